package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference pairs from Porter's 1980 paper ("An algorithm for suffix stripping"), run through the
 * whole algorithm, plus the two revisions the implementation claims from Lucene's PorterStemFilter.
 */
class PorterStemmerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Step 1a
        "caresses, caress", "ponies, poni", "ties, ti", "caress, caress", "cats, cat",
        // Step 1b
        "feed, feed", "agreed, agre", "plastered, plaster", "bled, bled", "motoring, motor", "sing, sing",
        "conflated, conflat", "troubled, troubl", "sized, size", "hopping, hop", "tanned, tan", "falling, fall",
        "hissing, hiss", "fizzed, fizz", "failing, fail", "filing, file",
        // Step 1c
        "happy, happi", "sky, sky",
        // Step 2
        "relational, relat", "conditional, condit", "rational, ration", "valenci, valenc", "hesitanci, hesit",
        "digitizer, digit", "conformabli, conform", "radicalli, radic", "differentli, differ", "vileli, vile",
        "analogousli, analog", "vietnamization, vietnam", "predication, predic", "operator, oper",
        "feudalism, feudal", "decisiveness, decis", "hopefulness, hope", "callousness, callous",
        "formaliti, formal", "sensitiviti, sensit", "sensibiliti, sensibl",
        // Step 3
        "triplicate, triplic", "formative, form", "formalize, formal", "electriciti, electr", "electrical, electr",
        "hopeful, hope", "goodness, good",
        // Step 4
        "revival, reviv", "allowance, allow", "inference, infer", "airliner, airlin", "gyroscopic, gyroscop",
        "adjustable, adjust", "defensible, defens", "irritant, irrit", "replacement, replac", "adjustment, adjust",
        "dependent, depend", "adoption, adopt", "homologou, homolog", "communism, commun", "activate, activ",
        "angulariti, angular", "homologous, homolog", "effective, effect", "bowdlerize, bowdler",
        // Step 5
        "probate, probat", "rate, rate", "cease, ceas", "controll, control", "roll, roll",
        // Whole-word examples from the paper's introduction and common use
        "generalizations, gener", "oscillators, oscil", "running, run", "runs, run", "connection, connect",
        "connections, connect", "connected, connect", "connecting, connect",
    })
    void stemsLikeThePaper(String word, String stem) {
        assertThat(PorterStemmer.stem(word)).isEqualTo(stem);
    }

    @Test
    void lucenesRevisionsBliAndLogi() {
        // Original Porter: abli -> able, so "humbly" stays "humbli"; the bli -> ble revision gives "humbl".
        assertThat(PorterStemmer.stem("humbly")).isEqualTo("humbl");
        // logi -> log: "archaeology" -> "archaeolog" (original Porter leaves "archaeologi").
        assertThat(PorterStemmer.stem("archaeology")).isEqualTo("archaeolog");
        assertThat(PorterStemmer.stem("analogy")).isEqualTo("analog");
    }

    @Test
    void shortOrNonAsciiTokensAreReturnedAsIs() {
        assertThat(PorterStemmer.stem("is")).isEqualTo("is");
        assertThat(PorterStemmer.stem("as")).isEqualTo("as");
        assertThat(PorterStemmer.stem("café")).isEqualTo("café");
        assertThat(PorterStemmer.stem("mp3s")).isEqualTo("mp3s");
        assertThat(PorterStemmer.stem("Running")).isEqualTo("Running");
    }

    @Test
    void stemmingIsIdempotentOnCommonWords() {
        for (String w : new String[] {"connect", "retriev", "index", "search", "document", "vector"}) {
            assertThat(PorterStemmer.stem(w)).as(w).isEqualTo(w);
        }
    }
}
