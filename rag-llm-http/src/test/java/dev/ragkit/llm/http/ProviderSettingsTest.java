package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.config.ProviderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {
    private final List<Object> read = new ArrayList<>();

    private void readRetries(ProviderConfig config) {
        ProviderSettings.retries(config, read::add, (initial, max) -> {
            read.add(initial);
            read.add(max);
        }, read::add);
    }

    @Test
    void retryKeysHaveDefaults() {
        ProviderConfig config = ProviderConfig.of("llm", "x", Map.of());
        readRetries(config);
        assertThat(read).containsExactly(2, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30));
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void retryKeysAreRead() {
        ProviderConfig config = ProviderConfig.of("llm", "x",
                Map.of("retries", "0", "backoff", "10ms", "max-backoff", "40ms", "max-retry-after", "2s"));
        readRetries(config);
        assertThat(read).containsExactly(0, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void everyBadRetryKeyIsReportedAtOnce() {
        ProviderConfig config = ProviderConfig.of("llm", "x",
                Map.of("retries", "11", "backoff", "2s", "max-backoff", "1s"));
        readRetries(config);
        assertThat(config.problems()).containsExactly(
                "rag.llm.x.retries was '11' but it must be between 0 and 10",
                "rag.llm.x.max-backoff was '1s' but it must not be shorter than backoff (2000 ms)");
        assertThat(read).containsExactly(2, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    @Test
    void positiveRejectsZeroAndKeepsTheDefault() {
        ProviderConfig config = ProviderConfig.of("embedder", "x", Map.of("total-timeout", "0s"));
        assertThat(ProviderSettings.positive(config, "total-timeout", Duration.ofSeconds(120)))
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(ProviderSettings.positive(config, "connect-timeout", Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(config.problems()).containsExactly("rag.embedder.x.total-timeout was '0s' but it must be longer than 0");
    }

    @Test
    void httpUrls() {
        assertThat(ProviderSettings.isHttpUrl("http://127.0.0.1:11434")).isTrue();
        assertThat(ProviderSettings.isHttpUrl("https://router.huggingface.co/v1")).isTrue();
        assertThat(ProviderSettings.isHttpUrl("ftp://host/")).isFalse();
        assertThat(ProviderSettings.isHttpUrl("localhost:11434")).isFalse();
        assertThat(ProviderSettings.isHttpUrl("http://")).isFalse();
        assertThat(ProviderSettings.isHttpUrl("http://bad host/")).isFalse();
        assertThat(ProviderSettings.isHttpUrl(null)).isFalse();
    }
}
