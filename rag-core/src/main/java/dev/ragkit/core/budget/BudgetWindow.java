package dev.ragkit.core.budget;

import java.util.Objects;

/**
 * One window of usage: a scope's counts over one period, starting at {@code start}.
 *
 * @param scopeKey {@code global}, or {@code tenant:<id>}
 * @param period the window's length
 * @param start the window's start, epoch seconds (as {@link BudgetPeriod#windowStart} gives it)
 */
public record BudgetWindow(String scopeKey, BudgetPeriod period, long start) {
    public BudgetWindow {
        Objects.requireNonNull(scopeKey, "scopeKey");
        Objects.requireNonNull(period, "period");
    }

    /** The window's end, epoch seconds: when its counts stop mattering. */
    public long end() {
        return period.windowEnd(start);
    }
}
