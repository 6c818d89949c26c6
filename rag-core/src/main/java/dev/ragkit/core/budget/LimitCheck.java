package dev.ragkit.core.budget;

import java.util.Objects;

/**
 * One limit as a {@link SharedBudgetStore} checks it: in {@code window}, the charged plus held amount of
 * {@code unit}, plus the new reservation's, against {@code soft} and {@code hard}.
 */
public record LimitCheck(BudgetWindow window, BudgetUnit unit, double soft, double hard) {
    public LimitCheck {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(unit, "unit");
    }
}
