package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void nearestRankPercentilesOfOneToHundred() {
        List<Double> samples = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            samples.add((double) i);
        }
        LatencyStats s = LatencyStats.ofMillis(samples);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Ms()).isEqualTo(50);
        assertThat(s.p95Ms()).isEqualTo(95);
        assertThat(s.p99Ms()).isEqualTo(99);
        assertThat(s.minMs()).isEqualTo(1);
        assertThat(s.maxMs()).isEqualTo(100);
        assertThat(s.meanMs()).isEqualTo(50.5);
    }

    @Test
    void p95OfThreeHundredIsThe285thSmallestWhateverTheInputOrder() {
        long seed = 42;
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            samples.add((double) i);
        }
        Collections.shuffle(samples, new Random(seed));
        LatencyStats s = LatencyStats.ofMillis(samples);
        assertThat(s.p95Ms()).as("seed %d", seed).isEqualTo(285);
        assertThat(s.p99Ms()).as("seed %d", seed).isEqualTo(297);
        assertThat(s.p50Ms()).as("seed %d", seed).isEqualTo(150);
    }

    @Test
    void singleSampleAndErrors() {
        LatencyStats s = LatencyStats.ofMillis(List.of(7.5));
        assertThat(s.p50Ms()).isEqualTo(7.5);
        assertThat(s.p99Ms()).isEqualTo(7.5);
        assertThat(s.get("p95")).isEqualTo(7.5);
        assertThatThrownBy(() -> LatencyStats.ofMillis(List.of())).hasMessageContaining("no");
        assertThatThrownBy(() -> s.get("p42")).hasMessageContaining("p42");
    }
}
