package dev.ragkit.guard;

import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import java.util.EnumSet;
import dev.ragkit.guard.internal.Stages;
import java.util.Objects;
import java.util.Set;

/**
 * Blocks toxic questions and answers (French and English). See {@link ToxicityDetector}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ToxicityGuard implements Guard {
    private final ToxicityDetector detector;
    private final Set<GuardStage> stages;

    /** A guard over {@code detector} (its threshold decides) at {@code stages}. */
    public ToxicityGuard(ToxicityDetector detector, Set<GuardStage> stages) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.stages = Stages.nonEmpty(stages);
    }

    /** The bundled detector at INPUT and OUTPUT. */
    public static ToxicityGuard standard() {
        return new ToxicityGuard(ToxicityDetector.standard(), EnumSet.of(GuardStage.INPUT, GuardStage.OUTPUT));
    }

    @Override
    public String name() {
        return "toxicity";
    }

    @Override
    public Set<GuardStage> stages() {
        return stages;
    }

    /** The detector this guard decides with; {@link ToxicityDetector#describe()} says which models. */
    public ToxicityDetector detector() {
        return detector;
    }

    @Override
    public GuardVerdict check(GuardInput input) {
        // The signals say why: lexicon words ("rule:insult-fr"), the model alone ("model-only"), the
        // encoder head's probability ("head:0.83") and the language judged ("lang:fr").
        // Retrieved chunks: the n-gram model alone, so a chunk never pays an encoder pass per question.
        return detector.verdict(input.text(), input.stage() == GuardStage.CONTEXT);
    }

    /** Names the models deciding, e.g. whether an encoder head is in use or why not. */
    @Override
    public String toString() {
        return "ToxicityGuard[" + detector.describe() + ", stages " + stages + "]";
    }
}
