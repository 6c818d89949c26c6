package dev.ragkit.core.budget;

import java.util.Locale;

/** What a limit counts: tokens (prompt + completion), or their cost at the configured model prices. */
public enum BudgetUnit {
    TOKENS, COST;

    /** The lowercase name used in keys and tags, e.g. {@code cost}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
