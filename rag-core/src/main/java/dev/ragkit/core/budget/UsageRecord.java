package dev.ragkit.core.budget;

import dev.ragkit.core.InvalidInputException;
import java.util.Objects;

/**
 * The usage counted in one window, as a {@link BudgetStore} keeps it.
 *
 * @param scopeKey {@code global}, or {@code tenant:<id>}
 * @param period the window's length
 * @param windowStart the window's start, epoch seconds
 * @param tokens tokens charged in the window
 * @param cost cost charged in the window
 */
public record UsageRecord(String scopeKey, BudgetPeriod period, long windowStart, long tokens, double cost) {
    public UsageRecord {
        Objects.requireNonNull(scopeKey, "scopeKey");
        Objects.requireNonNull(period, "period");
        if (tokens < 0 || !(cost >= 0)) {
            throw new InvalidInputException("usage of " + scopeKey + " was " + tokens + " tokens, cost " + cost
                    + " but both must be >= 0");
        }
    }
}
