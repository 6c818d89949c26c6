package dev.ragkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.cache.CacheBackendProvider;
import dev.ragkit.core.cache.CacheBackends;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery and settings checks that need no server. */
class RedisCacheBackendProviderTest {
    @Test
    void theRedisProviderIsFoundBesideTheCoresMemoryOne() {
        Map<String, CacheBackendProvider> providers = CacheBackends.discover(getClass().getClassLoader());
        assertThat(providers).containsOnlyKeys("memory", "redis");
        assertThat(providers.get("redis").getClass().getName())
                .isEqualTo("dev.ragkit.cache.redis.internal.RedisCacheBackendProvider");
    }

    @Test
    void urlsAreCheckedAndPasswordsRedacted() {
        assertThat(RedisCacheBackend.urlProblem("redis://cache:6379/2")).isNull();
        assertThat(RedisCacheBackend.urlProblem("rediss://user:pw@cache")).isNull();
        assertThat(RedisCacheBackend.urlProblem("http://cache")).contains("redis://");
        assertThat(RedisCacheBackend.urlProblem("redis://cache/db")).contains("database number");
        assertThat(RedisCacheBackend.urlProblem(" ")).contains("must be set");
        assertThat(RedisCacheBackend.redact("redis://user:s3cret@cache:6379")).isEqualTo("redis://user:****@cache:6379");
        assertThat(RedisCacheBackend.redact("redis://cache:6379")).isEqualTo("redis://cache:6379");
    }

    @Test
    void toStringNamesTheServerButNeverThePassword() {
        try (RedisCacheBackend backend = RedisCacheBackend.builder().url("redis://app:s3cret@127.0.0.1:1/3").build()) {
            assertThat(backend.toString()).contains("redis://127.0.0.1:1/3").doesNotContain("s3cret");
        }
    }
}
