package dev.ragkit.core.index;

import dev.ragkit.core.retrieval.Agreement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Agreement@k of the candidate with the live version: for each query of a sample, the share of the
 * live version's top-k documents that the candidate also returns in its top k, averaged. It needs no
 * labelled data, so it suits recent real queries; it measures change, not quality, so a better model
 * may legitimately disagree: set the threshold to the change you accept, or use a labelled gate.
 *
 * <p>Documents rather than chunks are compared, so that versions cut by different splitters can be
 * compared. With no live version (the first promotion) it passes: there is nothing to disagree with.
 */
public final class AgreementGate implements PromotionGate {
    /** Default of {@link Builder#minAgreement}: 0.7. */
    public static final double DEFAULT_MIN_AGREEMENT = 0.7;

    private final List<String> queries;
    private final int k;
    private final double minAgreement;

    private AgreementGate(Builder b) {
        this.k = b.k;
        this.minAgreement = b.minAgreement;
        List<String> all = new ArrayList<>(new LinkedHashSet<>(b.queries));
        if (all.size() > b.sampleSize) {
            // A fixed seed: the same queries give the same sample, so two runs of a gate agree.
            Collections.shuffle(all, new Random(b.seed));
            all = all.subList(0, b.sampleSize);
        }
        this.queries = List.copyOf(all);
    }

    /** A gate over these queries (duplicates are asked once). */
    public static Builder builder(List<String> queries) {
        return new Builder(queries);
    }

    /** Settings of an {@link AgreementGate}. */
    public static final class Builder {
        private final List<String> queries;
        private int k = 10;
        private double minAgreement = DEFAULT_MIN_AGREEMENT;
        private int sampleSize = 200;
        private long seed = 18;

        private Builder(List<String> queries) {
            this.queries = List.copyOf(queries);
        }

        /** Top hits compared per query; 10 by default. */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /** The mean agreement below which the candidate is refused, in [0, 1]. */
        public Builder minAgreement(double minAgreement) {
            this.minAgreement = minAgreement;
            return this;
        }

        /** At most this many queries, drawn at random (seeded) from the given ones; 200 by default. */
        public Builder sampleSize(int sampleSize) {
            this.sampleSize = sampleSize;
            return this;
        }

        /** Seed of the sample; fixed by default so that reruns ask the same queries. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting */
        public AgreementGate build() {
            if (queries.isEmpty() || queries.stream().anyMatch(q -> q == null || q.isBlank())) {
                throw new IllegalArgumentException("an agreement gate needs at least one query, none blank");
            }
            if (k < 1) {
                throw new IllegalArgumentException("agreement gate k was " + k + " but it must be >= 1");
            }
            if (!(minAgreement >= 0 && minAgreement <= 1)) {
                throw new IllegalArgumentException("agreement gate minAgreement was " + minAgreement
                        + " but it must be in [0, 1]");
            }
            if (sampleSize < 1) {
                throw new IllegalArgumentException("agreement gate sampleSize was " + sampleSize + " but it must be >= 1");
            }
            return new AgreementGate(this);
        }
    }

    /** The queries asked, after sampling. */
    public List<String> queries() {
        return queries;
    }

    @Override
    public GateVerdict evaluate(PromotionCandidate candidate) {
        String name = "agreement@" + k;
        if (candidate.live().isEmpty()) {
            return new GateVerdict(name, true, Map.of("queries", 0.0), "no live version to compare with");
        }
        VersionSearcher live = candidate.live().get();
        double sum = 0;
        double worst = 1;
        for (String query : queries) {
            double a = Agreement.ofDocuments(live.search(query, k), candidate.candidate().search(query, k));
            sum += a;
            worst = Math.min(worst, a);
        }
        double mean = sum / queries.size();
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(name, mean);
        figures.put("min-agreement", minAgreement);
        figures.put("worst-query", worst);
        figures.put("queries", (double) queries.size());
        boolean passed = mean >= minAgreement;
        String explanation = String.format(Locale.ROOT, "%s %s of %s with live %s is %s the threshold %.3f", name,
                format(mean), candidate.candidateVersion().label(), live.version().label(),
                passed ? "at or above" : "below", minAgreement);
        return new GateVerdict(name, passed, figures, explanation);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    @Override
    public String toString() {
        return "AgreementGate[k=" + k + ", minAgreement=" + minAgreement + ", queries=" + queries.size() + "]";
    }
}
