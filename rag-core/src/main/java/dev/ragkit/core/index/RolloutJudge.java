package dev.ragkit.core.index;

import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a rollout's candidate to the {@link RolloutPolicy}: rolls the rollout back when the candidate's
 * error rate or agreement crosses a limit, and advances a stage that served enough healthy queries when
 * the policy advances by itself.
 */
final class RolloutJudge {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    private final String indexName;
    private final RolloutPolicy policy;
    private final Rollout rollout;
    private final RolloutStateCache states;
    private final RolloutBackground background;
    private final RolloutFiguresWriter writer;
    private final RolloutMeters meters;

    RolloutJudge(String indexName, RolloutPolicy policy, Rollout rollout, RolloutStateCache states,
                 RolloutBackground background, RolloutFiguresWriter writer, RolloutMeters meters) {
        this.indexName = indexName;
        this.policy = policy;
        this.rollout = rollout;
        this.states = states;
        this.background = background;
        this.writer = writer;
        this.meters = meters;
    }

    /**
     * Checks the candidate's figures against the limits: rolls back when one is crossed, advances when a
     * stage has served enough healthy queries and the policy advances by itself.
     */
    void judge(RolloutState s, TrackedRollout t) {
        if (!t.judging.compareAndSet(false, true)) {
            return; // another thread judges these figures right now
        }
        try {
            if (t.ended) {
                return;
            }
            long requests = t.candidateRequests.sum();
            long errors = t.candidateErrors.sum();
            long compared = t.compared.sum();
            double agreement = compared == 0 ? Double.NaN : t.agreementSum.sum() / compared;
            if (requests >= policy.minQueries() && (double) errors / requests > policy.maxErrorRate()) {
                rollBack(s, t, "error-rate", String.format(Locale.ROOT, "candidate v%d error rate %.4f (%d failed of"
                        + " %d queries) is above the limit %s", s.candidate(), (double) errors / requests, errors,
                        requests, policy.maxErrorRate()));
            } else if (compared >= policy.minQueries() && agreement < policy.minAgreement()) {
                rollBack(s, t, "agreement", String.format(Locale.ROOT, "candidate v%d agreement with live v%d %.3f"
                        + " over %d compared queries is below the limit %s (agreement stands in for recall online)",
                        s.candidate(), s.baseline(), agreement, compared, policy.minAgreement()));
            } else if (policy.autoAdvanceAfter() > 0 && requests >= policy.minQueries()
                    && requests - t.stageStartRequests.get() >= policy.autoAdvanceAfter()) {
                advance(s, t, requests);
            }
        } catch (RejectedExecutionException e) {
            t.stageStartRequests.set(0); // the queue was full: advance on a later query
        } catch (RuntimeException e) {
            LOG.warn("index '{}': judging rollout {} failed: {}", indexName, s.id(), e.toString());
        } finally {
            t.judging.set(false);
        }
    }

    /** @throws RejectedExecutionException when the background queue is full */
    private void advance(RolloutState s, TrackedRollout t, long requests) {
        RolloutState current = states.current().orElse(s);
        if (current.active() && current.id().equals(s.id())) {
            LOG.info("index '{}': stage {} of rollout {} served {} healthy candidate queries: advancing",
                    indexName, current.currentStage().describe(), s.id(), requests - t.stageStartRequests.get());
            t.stageStartRequests.set(requests); // one advance per stage, even if the write below races
            // In the background: completing promotes, and the live store then opens the new version.
            background.execute(() -> {
                try {
                    states.update(rollout.advanceIfStill(current));
                } catch (RuntimeException e) {
                    LOG.warn("index '{}': advancing rollout {} failed: {}", indexName, s.id(), e.toString());
                }
            });
        }
    }

    /** Marks the rollout ROLLED_BACK in the index (unless it changed meanwhile) with {@code reason}. */
    void rollBack(RolloutState s, TrackedRollout t, String reasonTag, String reason) {
        t.ended = true;
        states.update(rollout.rollBackIfStill(s, reason));
        meters.rollback(reasonTag);
        writer.persist(t);
    }
}
