package dev.ragkit.store.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import org.junit.jupiter.api.Test;

class ClusterConnectionTest {
    @Test
    void credentialsNeverAppearInToString() {
        ClusterConnection key = ClusterConnection.builder().url("http://127.0.0.1:9200").apiKey("c2VjcmV0LWtleQ==")
                .build();
        ClusterConnection basic = ClusterConnection.builder().url("http://127.0.0.1:9200")
                .basicAuth("ingest", "hunter2-secret").build();
        assertThat(key.toString()).doesNotContain("c2VjcmV0LWtleQ==").contains("an API key");
        assertThat(basic.toString()).doesNotContain("hunter2-secret").contains("user 'ingest'");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> ClusterConnection.builder().url("ftp://host").apiKey("k").basicAuth("u", "p")
                .retries(-1, java.time.Duration.ofMillis(1)).build())
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).hasSize(3))
                .hasMessageContainingAll("ftp://host", "both an API key and a user name", "retries was -1");
    }

    @Test
    void severalUrlsAndAMissingCaFile() {
        assertThat(ClusterConnection.builder().url("http://a:9200, http://b:9200").build().urls()).hasSize(2);
        assertThatThrownBy(() -> ClusterConnection.builder().url("https://a:9200").caFile(java.nio.file.Path.of(
                "/no/such/ca.pem")).build()).hasMessageContaining("/no/such/ca.pem");
    }
}
