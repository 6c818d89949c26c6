package dev.ragkit.core.budget;

import java.util.Objects;

/**
 * What a {@link SharedBudgetStore} counts in one window: usage charged, and what in-flight reservations hold.
 *
 * @param window the window
 * @param tokens tokens charged
 * @param cost cost charged
 * @param heldTokens tokens held by reservations not ended yet
 * @param heldCost cost held by reservations not ended yet
 */
public record WindowUsage(BudgetWindow window, long tokens, double cost, long heldTokens, double heldCost) {
    public WindowUsage {
        Objects.requireNonNull(window, "window");
    }

    /** The window with nothing counted. */
    public static WindowUsage empty(BudgetWindow window) {
        return new WindowUsage(window, 0, 0, 0, 0);
    }
}
