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

    /** The smallest adapter: settings with nothing of their own, and a chat or embedder builder. */
    private static final class Settings extends ClientSettings {
        Settings(ClientSettings.Builder b) {
            super(b);
        }
    }

    private static final class SettingsBuilder extends ClientSettings.Builder {
        SettingsBuilder() {
            super("baseUrl", "http://127.0.0.1:11434");
            baseUrl("http://127.0.0.1:11434");
        }
    }

    private static final class EmbedderBuilder extends HttpClientBuilder<EmbedderBuilder> {
        final SettingsBuilder settings;

        EmbedderBuilder() {
            this(new SettingsBuilder());
        }

        private EmbedderBuilder(SettingsBuilder settings) {
            super(settings);
            this.settings = settings;
            settings.totalTimeout(Duration.ofSeconds(120));
        }

        Settings build() {
            return new Settings(settings);
        }
    }

    private static final class ChatBuilder extends ChatClientBuilder<ChatBuilder> {
        final SettingsBuilder settings;

        ChatBuilder() {
            this(new SettingsBuilder());
        }

        private ChatBuilder(SettingsBuilder settings) {
            super(settings);
            this.settings = settings;
        }

        Settings build() {
            return new Settings(settings);
        }
    }

    @Test
    void commonKeysLeaveTheBuilderDefaultsWhenAbsent() {
        ProviderConfig config = ProviderConfig.of("embedder", "x", Map.of());
        EmbedderBuilder b = new EmbedderBuilder();
        ProviderSettings.applyCommonKeys(config, b);
        Settings s = b.build();
        assertThat(config.problems()).isEmpty();
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.retryPolicy().retries()).isEqualTo(2);
        assertThat(s.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.retryPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(8));
        assertThat(s.retryPolicy().maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void commonKeysReachTheBuiltSettings() {
        ProviderConfig config = ProviderConfig.of("llm", "x", Map.of("connect-timeout", "1s",
                "first-token-timeout", "7s", "total-timeout", "9s", "retries", "0", "backoff", "10ms",
                "max-backoff", "40ms", "max-retry-after", "2s"));
        ChatBuilder b = new ChatBuilder();
        ProviderSettings.applyCommonKeys(config, b);
        Settings s = b.build();
        assertThat(config.problems()).isEmpty();
        assertThat(s.httpClient().connectTimeout()).contains(Duration.ofSeconds(1));
        assertThat(s.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(s.retryPolicy().retries()).isZero();
        assertThat(s.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(10));
        assertThat(s.retryPolicy().maxBackoff()).isEqualTo(Duration.ofMillis(40));
        assertThat(s.retryPolicy().maxRetryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anEmbedderIgnoresTheFirstTokenTimeout() {
        ProviderConfig config = ProviderConfig.of("embedder", "x", Map.of("first-token-timeout", "0s"));
        EmbedderBuilder b = new EmbedderBuilder();
        ProviderSettings.applyCommonKeys(config, b);
        assertThat(config.problems()).isEmpty();
        assertThat(b.build().firstTokenTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everyBadTimeoutIsReportedInKeyOrderAndTheDefaultKept() {
        ProviderConfig config = ProviderConfig.of("llm", "x", Map.of("total-timeout", "0s",
                "connect-timeout", "0ms", "first-token-timeout", "soon", "retries", "-1"));
        ChatBuilder b = new ChatBuilder();
        ProviderSettings.applyCommonKeys(config, b);
        assertThat(config.problems()).containsExactly(
                "rag.llm.x.connect-timeout was '0ms' but it must be longer than 0",
                "rag.llm.x.first-token-timeout was 'soon' but it must be a duration such as 500ms, 30s or 2m",
                "rag.llm.x.total-timeout was '0s' but it must be longer than 0",
                "rag.llm.x.retries was '-1' but it must be between 0 and 10");
        Settings s = b.build();
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void settersChainAsTheAdaptersBuilder() {
        Sleeper recorder = d -> { };
        ChatBuilder b = new ChatBuilder().connectTimeout(Duration.ofSeconds(2)).firstTokenTimeout(Duration.ofSeconds(3))
                .totalTimeout(Duration.ofSeconds(4)).retries(1).backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .maxRetryAfter(Duration.ofSeconds(5)).jitterSeed(42).sleeper(recorder);
        Settings s = b.build();
        assertThat(s.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.retryPolicy().retries()).isEqualTo(1);
        assertThat(s.retryPolicy().maxBackoff()).isEqualTo(Duration.ofMillis(2));
        assertThat(s.retryPolicy().maxRetryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.retryPolicy().sleeper()).isSameAs(recorder);
        assertThat(s.retryPolicy().random().nextLong()).isEqualTo(new java.util.Random(42).nextLong());
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
