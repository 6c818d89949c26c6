package dev.ragkit.core.index;

/**
 * Decides whether a built version may become live, before {@link IndexLifecycle#promote} moves the
 * alias. A gate returns a verdict with its figures and never throws for a bad candidate; it may throw
 * when it cannot evaluate at all (a backend down).
 *
 * <p>Built in: {@link AgreementGate} (the candidate's top hits against the live version's on sample
 * queries) and {@link #none()}. rag-eval adds a gate on a labelled query set (recall@k, nDCG@10).
 */
@FunctionalInterface
public interface PromotionGate {
    /** Judges {@code candidate}; queries the versions through its searchers. */
    GateVerdict evaluate(PromotionCandidate candidate);

    /** A gate that lets every ready version through: promotion without a quality check. */
    static PromotionGate none() {
        return candidate -> new GateVerdict("none", true, java.util.Map.of(), "no gate was asked for");
    }
}
