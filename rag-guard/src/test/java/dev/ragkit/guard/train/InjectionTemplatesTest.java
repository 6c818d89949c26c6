package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InjectionTemplatesTest {
    @Test
    void rowsAreReproducibleBalancedAndTrainingOnly() {
        List<TrainGuards.Example> a = InjectionTemplates.rows(TrainGuards.SEED);
        assertThat(InjectionTemplates.rows(TrainGuards.SEED)).isEqualTo(a);
        long positives = a.stream().filter(TrainGuards.Example::positive).count();
        assertThat(positives).isBetween(a.size() / 3L, 2L * a.size() / 3);
        assertThat(a).allMatch(TrainGuards::trainingOnly);
        assertThat(TrainGuards.trainingOnly(new TrainGuards.Example("deepset-prompt-injections/train.jsonl", "x", true)))
                .isFalse();
    }
}
