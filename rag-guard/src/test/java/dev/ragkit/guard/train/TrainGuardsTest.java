package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainGuardsTest {
    // Four positives and four negatives; one negative (0.32) sits just under the weakest positive.
    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.35, 0.32, 0.1, 0.1, 0.1};

    private static List<TrainGuards.Example> labels() {
        List<TrainGuards.Example> y = new ArrayList<>();
        for (int i = 0; i < SCORES.length; i++) {
            y.add(new TrainGuards.Example("test", "row " + i, i < 4));
        }
        return y;
    }

    @Test
    void withoutSlackTheBestF1NearestHalf() {
        // F1 is 1.0 for thresholds in (0.32, 0.35]; 0.35 is the nearest to 0.5.
        assertThat(TrainGuards.bestThreshold(SCORES, labels(), 0)).isEqualTo(0.35f);
    }

    @Test
    void withSlackTheHighestThresholdWithinIt() {
        // Up to 0.70 three of four positives remain: F1 6/7 = 0.857, within 0.2 of 1.0; above, 0.667.
        assertThat(TrainGuards.bestThreshold(SCORES, labels(), 0.2)).isEqualTo(0.70f);
        // A slack smaller than the drop keeps the best.
        assertThat(TrainGuards.bestThreshold(SCORES, labels(), 0.1)).isEqualTo(0.35f);
    }

    @Test
    void unknownFitIsRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> TrainGuards.main(new String[] {"--fit", "heldout"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--fit was 'heldout' but it must be all or train");
    }
}
