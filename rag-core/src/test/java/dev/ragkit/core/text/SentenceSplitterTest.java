package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SentenceSplitterTest {

    @Test
    void splitsSimpleEnglishAndFrenchProse() {
        assertThat(SentenceSplitter.split("Ragkit is a library. It retrieves passages! Does it answer? Yes."))
                .containsExactly("Ragkit is a library.", "It retrieves passages!", "Does it answer?", "Yes.");
        assertThat(SentenceSplitter.split("Le chat dort. Il fait beau."))
                .containsExactly("Le chat dort.", "Il fait beau.");
    }

    @Test
    void frenchSpaceBeforeQuestionAndExclamationMarks() {
        assertThat(SentenceSplitter.split("Vraiment ? Oui ! Bon."))
                .containsExactly("Vraiment ?", "Oui !", "Bon.");
    }

    @Test
    void frenchAbbreviations() {
        assertThat(SentenceSplitter.split("M. Dupont est arrivé. Mme. Durand aussi."))
                .containsExactly("M. Dupont est arrivé.", "Mme. Durand aussi.");
        assertThat(SentenceSplitter.split("Des moteurs, p. ex. Lucene, existent. Fin."))
                .containsExactly("Des moteurs, p. ex. Lucene, existent.", "Fin.");
        assertThat(SentenceSplitter.split("Voir la fig. 3 et le chap. Deux. Ensuite."))
                .containsExactly("Voir la fig. 3 et le chap. Deux.", "Ensuite.");
    }

    @Test
    void englishAbbreviationsAndInitials() {
        assertThat(SentenceSplitter.split("Use a stemmer, e.g. Porter. It works."))
                .containsExactly("Use a stemmer, e.g. Porter.", "It works.");
        assertThat(SentenceSplitter.split("Dr. Smith met Mr. Jones. They talked."))
                .containsExactly("Dr. Smith met Mr. Jones.", "They talked.");
        assertThat(SentenceSplitter.split("J. R. R. Tolkien wrote it. Yes."))
                .containsExactly("J. R. R. Tolkien wrote it.", "Yes.");
        assertThat(SentenceSplitter.split("Some tools (i.e. Lucene) help. Others not."))
                .containsExactly("Some tools (i.e. Lucene) help.", "Others not.");
    }

    @Test
    void decimalsUrlsAndLowercaseContinuations() {
        assertThat(SentenceSplitter.split("The score is 3.5 on average. Version 2.0.1 is out."))
                .containsExactly("The score is 3.5 on average.", "Version 2.0.1 is out.");
        assertThat(SentenceSplitter.split("Le score vaut 3,5. Fin."))
                .containsExactly("Le score vaut 3,5.", "Fin.");
        assertThat(SentenceSplitter.split("See www.example.com for more. Next one."))
                .containsExactly("See www.example.com for more.", "Next one.");
        assertThat(SentenceSplitter.split("It ends with v. not a sentence start."))
                .containsExactly("It ends with v. not a sentence start.");
    }

    @Test
    void quotesBracketsEllipsesAndDigitsStartingSentences() {
        assertThat(SentenceSplitter.split("He said \"Stop.\" Then he left."))
                .containsExactly("He said \"Stop.\"", "Then he left.");
        assertThat(SentenceSplitter.split("Il a dit « non ». « Pourquoi ? » demanda-t-elle."))
                .containsExactly("Il a dit « non ».", "« Pourquoi ? » demanda-t-elle.");
        assertThat(SentenceSplitter.split("Wait… Then go. 42 is the answer."))
                .containsExactly("Wait…", "Then go.", "42 is the answer.");
        assertThat(SentenceSplitter.split("Really?! Yes (indeed.) Done."))
                .containsExactly("Really?!", "Yes (indeed.)", "Done.");
    }

    @Test
    void edgeCases() {
        assertThat(SentenceSplitter.split("")).isEmpty();
        assertThat(SentenceSplitter.split("   \n ")).isEmpty();
        assertThat(SentenceSplitter.split("no terminal punctuation")).containsExactly("no terminal punctuation");
        assertThat(SentenceSplitter.split("  Trimmed.   Both.  ")).containsExactly("Trimmed.", "Both.");
        assertThat(SentenceSplitter.split("...")).containsExactly("...");
        assertThat(SentenceSplitter.split("One.\nTwo.\n\nThree.")).containsExactly("One.", "Two.", "Three.");
    }

    /**
     * A run of terminal characters not followed by a sentence start ("!!!!...x", a line of dots in
     * ASCII art) used to be scanned again from each of its characters: quadratic, minutes for a few
     * megabytes. The timeout guards against that coming back; linear takes milliseconds.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void runsOfTerminalCharactersAreScannedOnce() {
        String run = "!".repeat(2_000_000);
        assertThat(SentenceSplitter.split("Wow" + run + "x and more. Next one."))
                .containsExactly("Wow" + run + "x and more.", "Next one.");
        String dots = ".".repeat(2_000_000);
        assertThat(SentenceSplitter.split("See etc" + dots + " continued here. Done."))
                .containsExactly("See etc" + dots + " continued here.", "Done.");
    }

    @Test
    void forEachSentenceGivesTheBoundsOfWhatSplitReturns() {
        String text = "  M. Dupont est arrivé.  Il fait beau ! Fin…  ";
        List<String> sentences = new ArrayList<>();
        SentenceSplitter.forEachSentence(text, (start, end) -> sentences.add(text.substring(start, end)));
        assertThat(sentences).isEqualTo(SentenceSplitter.split(text))
                .containsExactly("M. Dupont est arrivé.", "Il fait beau !", "Fin…");
    }
}
