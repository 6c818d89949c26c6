package dev.ragkit.core.budget;

import dev.ragkit.core.config.ProviderConfig;

/**
 * Makes a {@link SharedBudgetStore} from configuration; registered in {@code META-INF/services} (or with
 * {@code provides} on the module path) and chosen by {@code rag.budget.store=<name>}. The no-arg
 * constructor does nothing heavy; a provider only maps its settings onto the store's public builder.
 */
public interface BudgetStoreProvider {
    /** Lowercase {@code [a-z0-9-]} name, e.g. {@code redis}. */
    String name();

    /**
     * A store for {@code config}'s keys ({@code rag.budget.<name>.<key>}). Problems with the settings are
     * recorded in {@code config} or thrown as a {@link dev.ragkit.core.RagConfigurationException}; an
     * unreachable server is not a problem at assembly, since the budget then counts in the process.
     */
    SharedBudgetStore create(ProviderConfig config);
}
