package dev.ragkit.core.index;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Both versions' figures during one rollout, side by side, since the rollout started. Each serving
 * host adds what it counted into the index's properties ({@code rollout.figures.*}) every few seconds,
 * at each stage change and when it closes, where {@code ragkit index rollout status} reads them: the
 * sum over hosts and restarts (a restarted host starts from the sum). The p95 latencies are those of
 * the host that wrote last.
 *
 * @param rolloutId the rollout they belong to
 * @param live the live version's side
 * @param candidate the candidate's side (the queries it answered plus those it shadowed)
 * @param compared queries run on both sides whose results were compared
 * @param agreementSum the sum of their agreement (shared documents of the two result lists over the larger list)
 * @param stageStartRequests the candidate's request count when the current stage started (for automatic advance)
 */
public record RolloutFigures(String rolloutId, Side live, Side candidate, long compared, double agreementSum,
                             long stageStartRequests) {
    private static final String PREFIX = "rollout.figures.";

    /**
     * One version's figures.
     *
     * @param version the version's number
     * @param requests queries it was asked (answered or shadowed)
     * @param errors those that failed
     * @param p95Millis the 95th percentile of its retrieval latency over its recent queries; NaN before any
     */
    public record Side(int version, long requests, long errors, double p95Millis) {
        Side minus(Side earlier) {
            return new Side(version, requests - earlier.requests, errors - earlier.errors, p95Millis);
        }

        Side plus(Side delta, Side latest) {
            return new Side(version, requests + delta.requests, errors + delta.errors,
                    Double.isNaN(latest.p95Millis) ? p95Millis : latest.p95Millis);
        }

        /** Errors over requests; 0 before any request. */
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    public RolloutFigures {
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(candidate, "candidate");
    }

    /** No query yet. */
    public static RolloutFigures empty(RolloutState state) {
        return new RolloutFigures(state.id(), new Side(state.baseline(), 0, 0, Double.NaN),
                new Side(state.candidate(), 0, 0, Double.NaN), 0, 0, 0);
    }

    /** The mean agreement of the compared queries; NaN before any. */
    public double agreement() {
        return compared == 0 ? Double.NaN : agreementSum / compared;
    }

    /** These counts less {@code earlier}'s (the same rollout's figures at an earlier time); latencies are this's. */
    RolloutFigures minus(RolloutFigures earlier) {
        return new RolloutFigures(rolloutId, live.minus(earlier.live), candidate.minus(earlier.candidate),
                compared - earlier.compared, agreementSum - earlier.agreementSum, stageStartRequests);
    }

    /** These counts plus {@code delta}'s, with the latencies and stage start of {@code latest}. */
    RolloutFigures plus(RolloutFigures delta, RolloutFigures latest) {
        return new RolloutFigures(rolloutId, live.plus(delta.live, latest.live),
                candidate.plus(delta.candidate, latest.candidate), compared + delta.compared,
                agreementSum + delta.agreementSum, latest.stageStartRequests);
    }

    /** The form kept in the index's properties. */
    public Map<String, String> toProperties() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(PREFIX + "id", rolloutId);
        put(map, "live", live);
        put(map, "candidate", candidate);
        map.put(PREFIX + "compared", Long.toString(compared));
        map.put(PREFIX + "agreement-sum", Double.toString(agreementSum));
        map.put(PREFIX + "stage-start", Long.toString(stageStartRequests));
        return map;
    }

    private static void put(Map<String, String> map, String role, Side side) {
        map.put(PREFIX + role + ".version", Integer.toString(side.version()));
        map.put(PREFIX + role + ".requests", Long.toString(side.requests()));
        map.put(PREFIX + role + ".errors", Long.toString(side.errors()));
        map.put(PREFIX + role + ".p95-ms", Double.toString(side.p95Millis()));
    }

    /** The figures kept for {@code rolloutId}; empty when none were written for it, or they cannot be read. */
    public static Optional<RolloutFigures> fromProperties(Map<String, String> properties, String rolloutId) {
        if (!rolloutId.equals(properties.get(PREFIX + "id"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RolloutFigures(rolloutId, side(properties, "live"), side(properties, "candidate"),
                    Long.parseLong(properties.get(PREFIX + "compared")),
                    Double.parseDouble(properties.get(PREFIX + "agreement-sum")),
                    Long.parseLong(properties.get(PREFIX + "stage-start"))));
        } catch (RuntimeException e) {
            return Optional.empty(); // figures are informative: unreadable ones start again from zero
        }
    }

    private static Side side(Map<String, String> p, String role) {
        return new Side(Integer.parseInt(p.get(PREFIX + role + ".version")),
                Long.parseLong(p.get(PREFIX + role + ".requests")), Long.parseLong(p.get(PREFIX + role + ".errors")),
                Double.parseDouble(p.get(PREFIX + role + ".p95-ms")));
    }

    /** {@code live v2: 900 queries, 0 errors (0.00%), p95 3.1 ms | candidate v3: ... | agreement 0.912 over 450}. */
    public String summary() {
        return describe("live", live) + " | " + describe("candidate", candidate) + " | agreement "
                + (compared == 0 ? "- (no query compared yet)"
                : String.format(Locale.ROOT, "%.3f over %d compared queries", agreement(), compared));
    }

    private static String describe(String role, Side s) {
        return String.format(Locale.ROOT, "%s v%d: %d queries, %d errors (%.2f%%), p95 %s", role, s.version(),
                s.requests(), s.errors(), s.errorRate() * 100,
                Double.isNaN(s.p95Millis()) ? "-" : String.format(Locale.ROOT, "%.1f ms", s.p95Millis()));
    }
}
