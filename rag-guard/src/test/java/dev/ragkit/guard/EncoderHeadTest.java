package dev.ragkit.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EncoderHeadTest {
    private static final String HEAD = """
            # a comment
            task=toxicity
            embedder=test:three
            dimension=3
            blend=0.75
            threshold=0.40
            threshold.fr=0.30
            bias=-1
            weights=2,0,-1
            """;

    @Test
    void scoresThresholdsAndBlend() {
        EncoderHead h = EncoderHead.parse(HEAD);
        assertThat(h.task()).isEqualTo("toxicity");
        assertThat(h.embedderId()).isEqualTo("test:three");
        assertThat(h.id()).startsWith("toxicity:test:three:").hasSize("toxicity:test:three:".length() + 8);
        // sigmoid(-1 + 2*1 + 0 - 1*0) = sigmoid(1)
        assertThat(h.probability(new float[] {1, 5, 0})).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-9));
        assertThat(h.threshold("fr")).isEqualTo(0.30);
        assertThat(h.threshold("en")).isEqualTo(0.40);
        assertThat(h.combined(0.8, 0.4)).isCloseTo(0.75 * 0.8 + 0.25 * 0.4, within(1e-12));
    }

    @Test
    void germanTakesTheEnglishThresholdWhenItHasNoneOfItsOwn() {
        EncoderHead general = EncoderHead.parse(HEAD);
        // No English threshold either: the general one.
        assertThat(general.threshold("de")).isEqualTo(0.40);
        EncoderHead withEnglish = EncoderHead.parse(HEAD.replace("threshold.fr=0.30", "threshold.fr=0.30\nthreshold.en=0.55"));
        assertThat(withEnglish.threshold("de")).isEqualTo(0.55);
        assertThat(withEnglish.threshold("es")).isEqualTo(0.40);
        EncoderHead withGerman = EncoderHead.parse(HEAD.replace("threshold.fr=0.30",
                "threshold.fr=0.30\nthreshold.en=0.55\nthreshold.de=0.35"));
        assertThat(withGerman.threshold("de")).isEqualTo(0.35);
    }

    @Test
    void ruleFloorsOfTheNgramSideSurviveTheBlend() {
        EncoderHead h = EncoderHead.parse(HEAD);
        assertThat(h.combined(0.0, 0.95)).isEqualTo(0.95);
        assertThat(h.combined(1.0, 0.95)).isCloseTo(0.75 + 0.25 * 0.95, within(1e-12));
        assertThat(EncoderHead.combine(0, 0.9, 0.2)).isEqualTo(0.2);
        assertThat(EncoderHead.combine(1, 0.3, 0.2)).isEqualTo(0.3);
    }

    @Test
    void theIdChangesWithTheWeights() {
        EncoderHead a = EncoderHead.parse(HEAD);
        EncoderHead b = EncoderHead.parse(HEAD.replace("weights=2,0,-1", "weights=2,0,-1.5"));
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a).isEqualTo(EncoderHead.parse(HEAD)).isNotEqualTo(b);
    }

    @Test
    void malformedHeadsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> EncoderHead.parse(HEAD.replace("weights=2,0,-1", "weights=2,0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights has 2 values but dimension is 3");
        assertThatThrownBy(() -> EncoderHead.parse(HEAD.replace("embedder=test:three\n", "")))
                .hasMessageContaining("no 'embedder'");
        assertThatThrownBy(() -> EncoderHead.parse(HEAD.replace("threshold.fr=0.30", "threshold.fr=1.5")))
                .hasMessageContaining("threshold.fr was 1.5 but it must be within (0, 1)");
        assertThatThrownBy(() -> EncoderHead.parse(HEAD.replace("blend=0.75", "blend=x")))
                .hasMessageContaining("blend was 'x' but it must be a number");
        assertThatThrownBy(() -> EncoderHead.parse(HEAD).probability(new float[2]))
                .hasMessageContaining("vector has 2 dimensions but the head");
    }

    private static final String SCORED = """
            task=injection
            embedder=test:three
            score=injection:test:three:top:0a1b2c3d
            blend=0.25
            threshold=0.51
            """;

    @Test
    void aHeadCanBlendAScoreTheEmbedderComputesInsteadOfWeightsOverTheVector() {
        EncoderHead h = EncoderHead.parse(SCORED);
        assertThat(h.embedderScore()).hasValue("injection:test:three:top:0a1b2c3d");
        assertThat(h.dimension()).isZero();
        assertThat(h.blend()).isEqualTo(0.25);
        assertThat(h.threshold("fr")).isEqualTo(0.51);
        assertThat(h.combined(1.0, 0.4)).isCloseTo(0.25 + 0.75 * 0.4, within(1e-12));
        assertThat(h.id()).startsWith("injection:test:three:")
                .isNotEqualTo(EncoderHead.parse(SCORED.replace(":0a1b2c3d", ":ffffffff")).id());
        assertThat(EncoderHead.parse(HEAD).embedderScore()).isEmpty();
        assertThatThrownBy(() -> h.probability(new float[3])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reads the embedder's score");
    }

    @Test
    void aHeadOfBothKindsIsRefused() {
        assertThatThrownBy(() -> EncoderHead.parse(SCORED + "weights=1,2,3\n"))
                .hasMessageContaining("both 'score' (the embedder's query head) and 'weights'");
        assertThatThrownBy(() -> EncoderHead.parse(SCORED.replace("score=injection:test:three:top:0a1b2c3d", "score=")))
                .hasMessageContaining("no 'score'");
    }
}
