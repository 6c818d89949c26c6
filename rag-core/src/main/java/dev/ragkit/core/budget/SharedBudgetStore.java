package dev.ragkit.core.budget;

import java.util.List;

/**
 * Budget usage counted where several processes see it (e.g. Redis, from {@code rag-cache-redis}), so
 * that replicas share one budget. Unlike a {@link BudgetStore}, which saves one process's counters,
 * this store does the counting: each check-and-hold is one atomic step in the store, so reservations
 * of different processes racing for the last tokens cannot all pass.
 *
 * <p>A hold is kept under an id until it is {@linkplain #settle settled}; one never settled (its process
 * died) lapses after the store's hold timeout, so a crash cannot eat the budget.
 *
 * <p>Implementations are thread-safe. Their methods may throw on a backend failure: {@link Budget}
 * counts it, carries on counting in the process (from the last shared counts it saw) and replays the
 * charges made meanwhile once the store answers again.
 */
public interface SharedBudgetStore extends AutoCloseable {
    /** The provider name, e.g. {@code redis}; the {@code store} metric tag. */
    String name();

    /**
     * Atomically: checks every limit in order (charged + held + the request's amount against its hard,
     * then soft, amount) and, unless one is past its hard amount, holds {@code tokens} and {@code cost}
     * in every window of {@code holdOn} under {@code holdId}.
     *
     * @return the level reached, the index in {@code checks} of the limit that decided it (-1 when
     *     WITHIN), and the usage of every window of {@code holdOn} as it was before the hold
     */
    Verdict reserve(String holdId, List<LimitCheck> checks, List<BudgetWindow> holdOn, long tokens, double cost);

    /** Adds {@code tokens} and {@code cost} to the hold {@code holdId} (a stream ran past its estimate); nothing when it is gone. */
    void extend(String holdId, long tokens, double cost);

    /**
     * Atomically: drops the hold {@code holdId} (when there is one; null for none) and charges
     * {@code tokens} and {@code cost} to every window of {@code chargeTo}.
     *
     * @return the usage of the windows of {@code chargeTo} after the charge
     */
    List<WindowUsage> settle(String holdId, List<BudgetWindow> chargeTo, long tokens, double cost);

    /** The usage of {@code windows}, in order. */
    List<WindowUsage> usage(List<BudgetWindow> windows);

    /** Releases connections; the counts stay in the store. */
    @Override
    void close();

    /**
     * The outcome of a {@link #reserve}.
     *
     * @param level where the request stands
     * @param limitIndex the index of the deciding limit in the checks, -1 when WITHIN
     * @param seen the usage of the held windows before this reservation
     */
    record Verdict(Reservation.Level level, int limitIndex, List<WindowUsage> seen) {
        public Verdict {
            java.util.Objects.requireNonNull(level, "level");
            seen = List.copyOf(seen);
        }
    }
}
