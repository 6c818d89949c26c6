package dev.ragkit.guard;

import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import dev.ragkit.guard.internal.Stages;
import java.util.Objects;
import java.util.Set;

/**
 * Blocks prompt injections in the question (INPUT) and in retrieved chunks (CONTEXT: indirect
 * injection hidden in documents; the pipeline then drops that chunk). See {@link InjectionDetector}.
 * Chunks use a higher threshold ({@link #DEFAULT_CONTEXT_THRESHOLD} by default): documents are
 * longer and further from the training data than questions, so the model's score is noisier there
 * (1.3% of SciFact abstracts reach the input threshold of 0.58, none 0.8), while explicit override
 * phrases put the score at 0.9 or more.
 *
 * <p>Immutable and thread-safe.
 */
public final class InjectionGuard implements Guard {
    /** The default threshold for retrieved chunks. */
    public static final double DEFAULT_CONTEXT_THRESHOLD = 0.8;

    private final InjectionDetector detector;
    private final Set<GuardStage> stages;
    private final double contextThreshold;

    /**
     * A guard over {@code detector} at {@code stages}; the detector's threshold decides for questions
     * and answers, the larger of it and {@link #DEFAULT_CONTEXT_THRESHOLD} for chunks.
     */
    public InjectionGuard(InjectionDetector detector, Set<GuardStage> stages) {
        this(detector, stages, Math.max(detector.threshold(), DEFAULT_CONTEXT_THRESHOLD));
    }

    /** A guard with an explicit threshold in (0, 1) for retrieved chunks. */
    public InjectionGuard(InjectionDetector detector, Set<GuardStage> stages, double contextThreshold) {
        this.detector = Objects.requireNonNull(detector, "detector");
        if (!(contextThreshold > 0 && contextThreshold < 1)) {
            throw new IllegalArgumentException("contextThreshold was " + contextThreshold
                    + " but it must be within (0, 1)");
        }
        this.stages = Stages.nonEmpty(stages);
        this.contextThreshold = contextThreshold;
    }

    /** The bundled detector at INPUT and CONTEXT. */
    public static InjectionGuard standard() {
        return new InjectionGuard(InjectionDetector.standard(), EnumSet.of(GuardStage.INPUT, GuardStage.CONTEXT));
    }

    @Override
    public String name() {
        return "injection";
    }

    @Override
    public Set<GuardStage> stages() {
        return stages;
    }

    /** The detector this guard decides with; {@link InjectionDetector#describe()} says which models. */
    public InjectionDetector detector() {
        return detector;
    }

    /**
     * Questions (and answers, when configured) are scored by the detector, with its encoder head when it
     * has one, at the threshold of the language judged (named in the reason as {@code lang:xx}).
     * Retrieved chunks are scored by the n-gram model alone at the context threshold: a chunk must not
     * pay an encoder pass for every question that retrieves it.
     */
    @Override
    public GuardVerdict check(GuardInput input) {
        if (input.stage() == GuardStage.CONTEXT) {
            GuardScore s = detector.ngramScore(input.text());
            List<String> signals = new ArrayList<>(s.signals());
            signals.add("lang:" + GuardLanguage.of(input.text()));
            return new GuardScore(s.score(), signals).verdict("prompt injection", contextThreshold);
        }
        GuardScore s = detector.score(input.text());
        return s.verdict("prompt injection", detector.threshold(GuardLanguage.of(input.text())));
    }

    /** Names the models deciding, e.g. whether an encoder head is in use or why not. */
    @Override
    public String toString() {
        return "InjectionGuard[" + detector.describe() + ", stages " + stages + "]";
    }
}
