package dev.ragkit.cache.redis.internal;

import dev.ragkit.cache.redis.RedisBudgetStore;
import dev.ragkit.core.budget.BudgetStoreProvider;
import dev.ragkit.core.budget.SharedBudgetStore;
import dev.ragkit.core.config.ProviderConfig;
import java.time.Duration;

/**
 * {@code rag.budget.store=redis}: keys {@code rag.budget.redis.url} (required), {@code password} (a
 * credential: {@code env:}, {@code file:} and {@code vault:} references are resolved), {@code key-prefix}
 * ({@code ragkit:budget}), {@code timeout} (250ms), {@code pool-size} (16), {@code hold-timeout} (10m).
 */
public final class RedisBudgetStoreProvider implements BudgetStoreProvider {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public SharedBudgetStore create(ProviderConfig config) {
        RedisBudgetStore.Builder builder = RedisBudgetStore.builder()
                .url(config.string("url", null))
                .password(config.secret("password").orElse(null))
                .keyPrefix(config.string("key-prefix", "ragkit:budget"))
                .timeout(config.duration("timeout", Duration.ofMillis(250)))
                .poolSize(config.integer("pool-size", 16))
                .holdTimeout(config.duration("hold-timeout", Duration.ofMinutes(10)));
        config.validate();
        return builder.build();
    }
}
