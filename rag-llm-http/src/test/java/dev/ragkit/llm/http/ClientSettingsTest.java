package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
    /** The smallest adapter settings: nothing of its own. */
    private static final class Plain extends ClientSettings {
        Plain(Builder b) {
            super(b);
        }
    }

    private static final class PlainBuilder extends ClientSettings.Builder {
        PlainBuilder(String url) {
            super("baseUrl", "http://127.0.0.1:11434");
            baseUrl(url);
        }

        Plain build() {
            return new Plain(this);
        }
    }

    @Test
    void defaultsAndATrailingSlash() {
        Plain s = new PlainBuilder("http://127.0.0.1:8080/v1").build();
        assertThat(s.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/v1/"));
        assertThat(s.resolve("chat/completions")).isEqualTo(URI.create("http://127.0.0.1:8080/v1/chat/completions"));
        assertThat(s.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.retryPolicy().retries()).isEqualTo(2);
        assertThat(s.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.retryPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(8));
        assertThat(s.retryPolicy().maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.retryPolicy().sleeper()).isSameAs(Sleeper.SYSTEM);
    }

    @Test
    void settersReachTheBuiltSettings() {
        PlainBuilder b = new PlainBuilder("https://example.org/");
        Sleeper recorder = d -> { };
        b.connectTimeout(Duration.ofSeconds(1));
        b.firstTokenTimeout(Duration.ofSeconds(2));
        b.totalTimeout(Duration.ofSeconds(3));
        b.retries(0);
        b.backoff(Duration.ofMillis(10), Duration.ofMillis(20));
        b.maxRetryAfter(Duration.ofSeconds(4));
        b.sleeper(recorder);
        b.jitterSeed(1);
        Plain s = b.build();
        assertThat(s.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.retryPolicy()).extracting(RetryPolicy::retries, RetryPolicy::initialBackoff,
                RetryPolicy::maxBackoff, RetryPolicy::maxRetryAfter, RetryPolicy::sleeper)
                .containsExactly(0, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(4), recorder);
        assertThat(s.httpClient().connectTimeout()).contains(Duration.ofSeconds(1));
        assertThat(s.httpClient().followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
    }

    @Test
    void http2OnlyWhenAskedAndOverTls() {
        assertThat(new PlainBuilder("https://example.org").build().httpClient().version())
                .isEqualTo(HttpClient.Version.HTTP_1_1);
        PlainBuilder tls = new PlainBuilder("https://example.org");
        tls.http2OverTls(true);
        assertThat(tls.build().httpClient().version()).isEqualTo(HttpClient.Version.HTTP_2);
        PlainBuilder plain = new PlainBuilder("http://127.0.0.1:1");
        plain.http2OverTls(true);
        assertThat(plain.build().httpClient().version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void badUrlsAreNamedWithTheAdaptersFieldAndExample() {
        assertThatThrownBy(() -> new PlainBuilder(null).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl was not set but it must be an http(s) URL such as http://127.0.0.1:11434");
        assertThatThrownBy(() -> new PlainBuilder(" ").build())
                .hasMessage("baseUrl was '' but it must be an http(s) URL such as http://127.0.0.1:11434");
        assertThatThrownBy(() -> ClientSettings.parseBaseUrl("ftp://x/", "apiBase", "https://router.example/v1"))
                .hasMessage("apiBase was 'ftp://x/' but it must be an http(s) URL such as https://router.example/v1");
        assertThatThrownBy(() -> ClientSettings.parseBaseUrl("not a url", "apiBase", "https://e/"))
                .hasMessageStartingWith("apiBase was 'not a url'");
    }

    @Test
    void nonPositiveTimeoutsAreRejected() {
        PlainBuilder b = new PlainBuilder("http://127.0.0.1:1");
        b.totalTimeout(Duration.ZERO);
        assertThatThrownBy(b::build).hasMessage("totalTimeout was PT0S but it must be > 0");
        PlainBuilder n = new PlainBuilder("http://127.0.0.1:1");
        n.connectTimeout(Duration.ofSeconds(-1));
        assertThatThrownBy(n::build).hasMessage("connectTimeout was PT-1S but it must be > 0");
    }
}
