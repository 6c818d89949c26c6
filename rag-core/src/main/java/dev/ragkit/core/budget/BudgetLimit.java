package dev.ragkit.core.budget;

import dev.ragkit.core.InvalidInputException;
import java.util.Objects;

/**
 * One limit: past {@code soft} the pipeline answers with its cheaper fallback model, past {@code hard}
 * it answers extractively and says the budget is reached.
 *
 * @param scope all questions, or each tenant
 * @param period the window counted over
 * @param unit tokens or cost
 * @param soft the amount past which the cheaper model is used; at most {@code hard}
 * @param hard the amount no window may exceed (beyond one request's overrun of its own estimate)
 */
public record BudgetLimit(BudgetScope scope, BudgetPeriod period, BudgetUnit unit, double soft, double hard) {
    public BudgetLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(unit, "unit");
        if (!(hard > 0) || Double.isInfinite(hard)) {
            throw new InvalidInputException("the hard limit of " + describe(scope, period, unit) + " was " + hard
                    + " but it must be a positive number");
        }
        if (!(soft >= 0) || soft > hard) {
            throw new InvalidInputException("the soft limit of " + describe(scope, period, unit) + " was " + soft
                    + " but it must be between 0 and the hard limit " + hard);
        }
    }

    /** {@code scope/period/unit}, e.g. {@code tenant/day/tokens}: how answers and logs name the limit. */
    public String describe() {
        return describe(scope, period, unit);
    }

    private static String describe(BudgetScope scope, BudgetPeriod period, BudgetUnit unit) {
        return scope.label() + "/" + period.label() + "/" + unit.label();
    }
}
