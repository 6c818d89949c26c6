package dev.ragkit.core.budget;

import java.util.Locale;

/** Whom a limit applies to: all questions together, or each tenant (user, API key, customer) separately. */
public enum BudgetScope {
    GLOBAL, TENANT;

    /** The lowercase name used in keys and tags, e.g. {@code tenant}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
