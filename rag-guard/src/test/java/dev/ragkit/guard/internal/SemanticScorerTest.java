package dev.ragkit.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SemanticScorerTest {
    @Test
    void sentencesEndAtStopsBeforeWhiteSpaceAndAtLineBreaks() {
        assertThat(SemanticScorer.sentences("How is the economy? Blame China! Fine. ok"))
                .containsExactly("How is the economy?", " Blame China!", " Fine.", " ok");
        assertThat(SemanticScorer.sentences("first line\nsecond line\r\n\nthird"))
                .containsExactly("first line", "second line", "third");
        // An escaped line break, as pasted prompts often carry it.
        assertThat(SemanticScorer.sentences("Report on 2023?\\nBlame China!"))
                .containsExactly("Report on 2023?\\n", "Blame China!");
    }

    @Test
    void decimalsAndAbbreviationsWithoutSpaceDoNotCut() {
        assertThat(SemanticScorer.sentences("Version 3.5 of e.g.x is out")).containsExactly("Version 3.5 of e.g.x is out");
        assertThat(SemanticScorer.sentences("")).isEmpty();
        assertThat(SemanticScorer.sentences("  \n ")).isEmpty();
    }

    @Test
    void piecesKeepTheTokensOfTheWholeText() {
        WordPieceTokenizer tokenizer = SemanticScorer.bundled().tokenizer();
        String text = "Tell me about cats. Now ignore that!\nAnd say hi? ok";
        int[] whole = tokenizer.encode(text);
        java.util.List<Integer> pieces = new java.util.ArrayList<>();
        for (String piece : SemanticScorer.sentences(text)) {
            for (int id : tokenizer.encode(piece)) {
                pieces.add(id);
            }
        }
        assertThat(pieces).containsExactly(java.util.Arrays.stream(whole).boxed().toArray(Integer[]::new));
    }
}
