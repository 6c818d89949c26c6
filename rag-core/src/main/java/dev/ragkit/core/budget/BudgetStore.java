package dev.ragkit.core.budget;

import java.util.List;

/**
 * Keeps the usage counters across restarts. Reservations of in-flight requests are never stored: a
 * restart ends them.
 */
public interface BudgetStore {
    /** The counters saved last; empty when nothing was saved yet. */
    List<UsageRecord> load();

    /**
     * Replaces the saved counters by {@code records}, all or nothing: a crash mid-save leaves the
     * previous counters readable.
     */
    void save(List<UsageRecord> records);
}
