package dev.ragkit.guard.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.guard.InjectionDetector;
import dev.ragkit.guard.InjectionGuard;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Provider {@code injection}. Keys ({@code rag.guard.injection.*}): {@code threshold} (in (0, 1),
 * default the one chosen at training), {@code context-threshold} (for retrieved chunks, in (0, 1),
 * default the larger of 0.8 and {@code threshold}) {@code stages} (default input,context) and {@code encoder} (auto, required
 * or none: see {@link #create(ProviderConfig, Embedder)}).
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
        return create(config, null);
    }

    /**
     * With the pipeline's embedder, the guard adds the bundled encoder head trained for it
     * ({@code encoder=auto}, the default; n-gram model alone when no head ships for that embedder,
     * which the guard's {@code describe()} and its reasons ({@code ngram-only}) say),
     * requires one ({@code encoder=required}: assembly fails naming the embedders that have heads)
     * or stays on the n-gram model ({@code encoder=none}).
     */
    @Override
    public Guard create(ProviderConfig config, Embedder embedder) {
        boolean custom = config.raw("threshold").isPresent();
        double threshold = Stages.threshold(config, "threshold", 0.5);
        boolean customContext = config.raw("context-threshold").isPresent();
        double contextThreshold = Stages.threshold(config, "context-threshold", InjectionGuard.DEFAULT_CONTEXT_THRESHOLD);
        Set<GuardStage> stages = Stages.parse(config, "stages", EnumSet.of(GuardStage.INPUT, GuardStage.CONTEXT));
        String encoder = config.oneOf("encoder", "auto", List.of("auto", "required", "none"));
        if (encoder.equals("required") && (embedder == null
                || EncoderScorer.bundledHead(InjectionDetector.TASK, embedder.id()) == null)) {
            config.problem("encoder", encoder, "needs an encoder head for the pipeline's embedder ("
                    + (embedder == null ? "none given" : "'" + embedder.id() + "'") + "); heads ship for "
                    + EncoderScorer.bundledEmbedders(InjectionDetector.TASK) + ": set rag.embedder.onnx.model accordingly or use encoder=auto");
        }
        config.validate();
        InjectionDetector d = InjectionDetector.standard();
        if (embedder != null && !encoder.equals("none")) {
            d = d.withEncoder(embedder);
        }
        InjectionDetector detector = custom ? d.withThreshold(threshold) : d;
        return customContext ? new InjectionGuard(detector, stages, contextThreshold)
                : new InjectionGuard(detector, stages);
    }
}
