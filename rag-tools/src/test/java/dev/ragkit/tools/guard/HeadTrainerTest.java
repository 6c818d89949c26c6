package dev.ragkit.tools.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadTrainerTest {
    /** Two Gaussian clouds on the first axis, noise on the second; seed printed in the assertion. */
    @Test
    void separatesTwoCloudsAndIsDeterministic() {
        long seed = 42;
        Random r = new Random(seed);
        List<float[]> x = new ArrayList<>();
        boolean[] y = new boolean[400];
        double[] w = new double[400];
        for (int i = 0; i < 400; i++) {
            y[i] = i % 2 == 0;
            x.add(new float[] {(float) ((y[i] ? 1 : -1) + 0.3 * r.nextGaussian()), (float) r.nextGaussian()});
            w[i] = 1;
        }
        double[] head = HeadTrainer.fit(x, y, w);
        int correct = 0;
        for (int i = 0; i < 400; i++) {
            correct += (HeadTrainer.probability(head, x.get(i)) >= 0.5) == y[i] ? 1 : 0;
        }
        assertThat(correct).as("seed " + seed).isGreaterThanOrEqualTo(396);
        assertThat(head[0]).as("the informative axis carries the weight").isGreaterThan(5 * Math.abs(head[1]));
        assertThat(HeadTrainer.fit(x, y, w)).containsExactly(head);
    }

    @Test
    void rowWeightsShiftTheDecision() {
        List<float[]> x = List.of(new float[] {0f}, new float[] {0f}, new float[] {1f}, new float[] {-1f});
        boolean[] y = {true, false, true, false};
        double[] favourPositive = HeadTrainer.fit(x, y, new double[] {10, 1, 1, 1});
        double[] favourNegative = HeadTrainer.fit(x, y, new double[] {1, 10, 1, 1});
        assertThat(HeadTrainer.probability(favourPositive, new float[] {0f})).isGreaterThan(0.5);
        assertThat(HeadTrainer.probability(favourNegative, new float[] {0f})).isLessThan(0.5);
    }
}
