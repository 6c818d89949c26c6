package dev.ragkit.guard.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.guard.InjectionDetector;
import dev.ragkit.guard.InjectionGuard;
import java.util.EnumSet;
import java.util.Set;

/**
 * Provider {@code injection}. Keys ({@code rag.guard.injection.*}): {@code threshold} (in (0, 1),
 * default the one chosen at training), {@code context-threshold} (for retrieved chunks, in (0, 1),
 * default the larger of 0.8 and {@code threshold}) and {@code stages} (default input,context).
 */
public final class InjectionGuardProvider implements GuardProvider {
    /** Does nothing: the model is loaded in {@link #create}. */
    public InjectionGuardProvider() {
    }

    @Override
    public String name() {
        return "injection";
    }

    @Override
    public Guard create(ProviderConfig config) {
        boolean custom = config.raw("threshold").isPresent();
        double threshold = Stages.threshold(config, "threshold", 0.5);
        boolean customContext = config.raw("context-threshold").isPresent();
        double contextThreshold = Stages.threshold(config, "context-threshold", InjectionGuard.DEFAULT_CONTEXT_THRESHOLD);
        Set<GuardStage> stages = Stages.parse(config, "stages", EnumSet.of(GuardStage.INPUT, GuardStage.CONTEXT));
        config.validate();
        InjectionDetector d = InjectionDetector.standard();
        InjectionDetector detector = custom ? d.withThreshold(threshold) : d;
        return customContext ? new InjectionGuard(detector, stages, contextThreshold)
                : new InjectionGuard(detector, stages);
    }
}
