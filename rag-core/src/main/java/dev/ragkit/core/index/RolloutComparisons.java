package dev.ragkit.core.index;

import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Agreement;
import dev.ragkit.core.retrieval.Retriever;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a share of the queries on the side that did not answer, in the background (the shadow queries of
 * the shadow stage, the comparisons of the others), and records the other side's latency, errors and
 * agreement. A comparison that does not fit in the background queue is skipped and counted.
 */
final class RolloutComparisons {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    private final String indexName;
    private final double compareShare;
    private final Retriever live;
    private final RolloutBackground background;
    private final RolloutJudge judge;
    private final RolloutMeters meters;

    RolloutComparisons(String indexName, double compareShare, Retriever live, RolloutBackground background,
                       RolloutJudge judge, RolloutMeters meters) {
        this.indexName = indexName;
        this.compareShare = compareShare;
        this.live = live;
        this.background = background;
        this.judge = judge;
        this.meters = meters;
    }

    /** Runs {@code query} on the side that did not answer, in the background, and compares the two. */
    void compareLater(RolloutState s, TrackedRollout t, RolloutRouter.Route answered, List<SearchHit> answer,
                      String query, Filter filter, int topK) {
        if (compareShare < 1 && ThreadLocalRandom.current().nextDouble() >= compareShare) {
            return;
        }
        if (!t.acquire()) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    compare(s, t, answered, answer, query, filter, topK);
                } catch (RuntimeException e) {
                    LOG.warn("index '{}': a rollout comparison failed: {}", indexName, e.toString());
                } finally {
                    t.release();
                }
            });
        } catch (RejectedExecutionException e) {
            t.release();
            meters.compareSkipped();
        }
    }

    private void compare(RolloutState s, TrackedRollout t, RolloutRouter.Route answered, List<SearchHit> answer,
                         String query, Filter filter, int topK) {
        RolloutRouter.Route other = answered == RolloutRouter.Route.LIVE ? RolloutRouter.Route.CANDIDATE
                : RolloutRouter.Route.LIVE;
        Retriever retriever = other == RolloutRouter.Route.LIVE ? live : t.candidate;
        long start = System.nanoTime();
        List<SearchHit> hits;
        try {
            hits = retriever.retrieve(query, filter, topK);
        } catch (RuntimeException e) {
            t.record(other, "shadow", false, System.nanoTime() - start);
            if (other == RolloutRouter.Route.CANDIDATE) {
                judge.judge(s, t);
            }
            return;
        }
        t.record(other, "shadow", true, System.nanoTime() - start);
        t.agree(Agreement.ofDocuments(answer, hits));
        judge.judge(s, t);
    }
}
