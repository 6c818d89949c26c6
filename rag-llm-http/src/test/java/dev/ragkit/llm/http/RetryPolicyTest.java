package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final long SEED = 20261123L;

    private static RetryPolicy policy(long initialMs, long maxMs) {
        return new RetryPolicy(3, Duration.ofMillis(initialMs), Duration.ofMillis(maxMs), Duration.ofSeconds(30),
                Sleeper.SYSTEM, new Random(SEED));
    }

    @Test
    void delayIsHalfTheExponentialPlusJitterAndCappedAtMaxBackoff() {
        RetryPolicy p = policy(100, 1_000);
        long[] capped = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (int retry = 1; retry <= capped.length; retry++) {
            long ms = p.delayBefore(retry, null).toMillis();
            long max = capped[retry - 1];
            assertThat(ms).as("retry %d (seed %d)", retry, SEED).isBetween(max / 2, max);
        }
    }

    @Test
    void hugeRetryNumbersDoNotOverflow() {
        RetryPolicy p = policy(500, 8_000);
        assertThat(p.delayBefore(Integer.MAX_VALUE, null).toMillis()).isBetween(4_000L, 8_000L);
    }

    @Test
    void zeroBackoffNeverWaitsUnlessTheServerAsks() {
        RetryPolicy p = policy(0, 0);
        assertThat(p.delayBefore(1, null)).isZero();
        assertThat(p.delayBefore(1, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterLongerThanTheBackoffWins() {
        RetryPolicy p = policy(100, 200);
        assertThat(p.delayBefore(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.delayBefore(1, Duration.ofMillis(1)).toMillis()).isBetween(50L, 100L);
    }

    @Test
    void tooLongComparesWithMaxRetryAfter() {
        RetryPolicy p = policy(100, 200);
        assertThat(p.tooLong(null)).isFalse();
        assertThat(p.tooLong(Duration.ofSeconds(30))).isFalse();
        assertThat(p.tooLong(Duration.ofSeconds(31))).isTrue();
    }

    @Test
    void sameSeedSameDelays() {
        RetryPolicy a = policy(100, 10_000);
        RetryPolicy b = policy(100, 10_000);
        for (int retry = 1; retry <= 5; retry++) {
            assertThat(a.delayBefore(retry, null)).isEqualTo(b.delayBefore(retry, null));
        }
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Sleeper.SYSTEM,
                new Random())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries was -1");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO,
                Sleeper.SYSTEM, new Random())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT2S").hasMessageContaining("PT1S");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, null, new Random()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sleeper");
    }
}
