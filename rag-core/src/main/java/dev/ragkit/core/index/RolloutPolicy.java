package dev.ragkit.core.index;

import dev.ragkit.core.RagConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits a serving host holds a rollout's candidate to, and how it measures it.
 *
 * @param maxErrorRate the candidate's error rate above which the rollout rolls back by itself (the
 *     seeds: 0.01)
 * @param minAgreement the mean agreement with the live version below which it rolls back (the seeds'
 *     recall limit: 0.7). Agreement is the share of documents both versions return for a query, over
 *     the larger list: the online stand-in for recall when no labelled queries are at hand (recall on a
 *     labelled set is checked when the rollout completes, through a {@link PromotionGate})
 * @param minQueries candidate queries (for the error rate) and compared queries (for agreement) needed
 *     before a limit is judged, so that one early failure does not end a rollout
 * @param compareShare the share of queries also run on the other version, in the background, to be
 *     compared (in the shadow stage, the share of queries shadowed); 1 compares every query and doubles
 *     the search load
 * @param autoAdvanceAfter healthy candidate queries after which a stage advances by itself (the last
 *     stage completes the rollout: the candidate is promoted); 0 leaves advancing to an operator
 */
public record RolloutPolicy(double maxErrorRate, double minAgreement, int minQueries, double compareShare,
                            long autoAdvanceAfter) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.01;
    public static final double DEFAULT_MIN_AGREEMENT = 0.7;
    public static final int DEFAULT_MIN_QUERIES = 100;
    public static final double DEFAULT_COMPARE_SHARE = 1.0;

    /** The seeds' limits: error rate above 1 % or agreement below 0.7 over at least 100 queries; manual advance. */
    public static final RolloutPolicy DEFAULTS = new RolloutPolicy(DEFAULT_MAX_ERROR_RATE, DEFAULT_MIN_AGREEMENT,
            DEFAULT_MIN_QUERIES, DEFAULT_COMPARE_SHARE, 0);

    /** @throws RagConfigurationException listing every value out of range */
    public RolloutPolicy {
        List<String> problems = new ArrayList<>();
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            problems.add("rollout max error rate was " + maxErrorRate + " but it must be between 0 and 1");
        }
        if (!(minAgreement >= 0 && minAgreement <= 1)) {
            problems.add("rollout min agreement was " + minAgreement + " but it must be between 0 and 1");
        }
        if (minQueries < 1) {
            problems.add("rollout min queries was " + minQueries + " but it must be >= 1");
        }
        if (!(compareShare >= 0 && compareShare <= 1)) {
            problems.add("rollout compare share was " + compareShare + " but it must be between 0 and 1");
        }
        if (autoAdvanceAfter < 0) {
            problems.add("rollout auto-advance-after was " + autoAdvanceAfter + " but it must be >= 0 (0: manual)");
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
    }
}
