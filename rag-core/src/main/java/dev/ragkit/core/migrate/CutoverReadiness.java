package dev.ragkit.core.migrate;

import java.util.List;

/**
 * Whether a migration may cut over to its target now, with the figures that decide it.
 *
 * @param ready true when every condition holds
 * @param queries shadowed queries in the agreement window
 * @param window the window's size: that many queries must have been compared
 * @param meanAgreement mean agreement@k over the window (NaN before the first query)
 * @param minAgreement lowest agreement@k in the window (NaN before the first query)
 * @param threshold the mean agreement the cutover needs
 * @param backfillDone whether the backfill reached the end of the source
 * @param pendingRepairs chunk ids still to repair; the cutover needs none
 * @param reasons what is missing, one sentence each with its figures; empty when ready
 */
public record CutoverReadiness(boolean ready, int queries, int window, double meanAgreement, double minAgreement,
                               double threshold, boolean backfillDone, long pendingRepairs, List<String> reasons) {
    public CutoverReadiness {
        reasons = List.copyOf(reasons);
    }
}
