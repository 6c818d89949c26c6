package dev.ragkit.guard.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.guard.ToxicityDetector;
import dev.ragkit.guard.ToxicityGuard;
import java.util.EnumSet;
import java.util.Set;

/**
 * Provider {@code toxicity}. Keys ({@code rag.guard.toxicity.*}): {@code threshold} (in (0, 1),
 * default the one chosen at training) and {@code stages} (default input,output).
 */
public final class ToxicityGuardProvider implements GuardProvider {
    /** Does nothing: the model is loaded in {@link #create}. */
    public ToxicityGuardProvider() {
    }

    @Override
    public String name() {
        return "toxicity";
    }

    @Override
    public Guard create(ProviderConfig config) {
        boolean custom = config.raw("threshold").isPresent();
        double threshold = Stages.threshold(config, "threshold", 0.5);
        Set<GuardStage> stages = Stages.parse(config, "stages", EnumSet.of(GuardStage.INPUT, GuardStage.OUTPUT));
        config.validate();
        ToxicityDetector d = ToxicityDetector.standard();
        return new ToxicityGuard(custom ? d.withThreshold(threshold) : d, stages);
    }
}
