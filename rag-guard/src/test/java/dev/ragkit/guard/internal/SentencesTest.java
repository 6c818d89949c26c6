package dev.ragkit.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentencesTest {
    @Test
    void sentencesEndAtStopsBeforeWhiteSpaceAndAtLineBreaks() {
        assertThat(Sentences.split("How is the economy? Blame China! Fine. ok"))
                .containsExactly("How is the economy?", " Blame China!", " Fine.", " ok");
        assertThat(Sentences.split("first line\nsecond line\r\n\nthird"))
                .containsExactly("first line", "second line", "third");
        // An escaped line break, as pasted prompts often carry it.
        assertThat(Sentences.split("Report on 2023?\\nBlame China!"))
                .containsExactly("Report on 2023?\\n", "Blame China!");
    }

    @Test
    void decimalsAndAbbreviationsWithoutSpaceDoNotCut() {
        assertThat(Sentences.split("Version 3.5 of e.g.x is out")).containsExactly("Version 3.5 of e.g.x is out");
        assertThat(Sentences.split("")).isEmpty();
        assertThat(Sentences.split("  \n ")).isEmpty();
    }

    @Test
    void piecesKeepTheTokensOfTheWholeText() {
        WordPieceTokenizer tokenizer = SemanticScorer.bundled().tokenizer();
        String text = "Tell me about cats. Now ignore that!\nAnd say hi? ok";
        int[] whole = tokenizer.encode(text);
        java.util.List<Integer> pieces = new java.util.ArrayList<>();
        for (String piece : Sentences.split(text)) {
            for (int id : tokenizer.encode(piece)) {
                pieces.add(id);
            }
        }
        assertThat(pieces).containsExactly(java.util.Arrays.stream(whole).boxed().toArray(Integer[]::new));
    }
}
