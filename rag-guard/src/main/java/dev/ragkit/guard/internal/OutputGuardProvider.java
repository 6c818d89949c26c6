package dev.ragkit.guard.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.guard.OutputGuard;
import dev.ragkit.guard.RedactionMode;
import dev.ragkit.guard.Redactor;
import java.util.List;

/**
 * Provider {@code output}. Keys ({@code rag.guard.output.*}): {@code canary} (token the pipeline
 * places in the system prompt; {@code auto}, the default, draws a random one per guard; {@code none}
 * turns leak detection off; otherwise at least 8 characters), {@code min-grounding} (default 0.5),
 * {@code sentence-support} (default 0.5), {@code on-ungrounded} (flag | block, default flag),
 * {@code redact-pii} (default true; mask mode).
 */
public final class OutputGuardProvider implements GuardProvider {
    /** Does nothing: the guard is built in {@link #create}. */
    public OutputGuardProvider() {
    }

    @Override
    public String name() {
        return "output";
    }

    @Override
    public Guard create(ProviderConfig config) {
        String canary = config.string("canary", "auto").strip();
        double minGrounding = config.decimal("min-grounding", 0.5);
        double support = config.decimal("sentence-support", 0.5);
        String onUngrounded = config.oneOf("on-ungrounded", "flag", List.of("flag", "block"));
        boolean redact = config.bool("redact-pii", true);
        boolean named = !canary.equals("auto") && !canary.equals("none");
        if (named && canary.length() < 8) {
            config.problem("canary", canary, "must have at least 8 characters");
        }
        if (!(minGrounding >= 0 && minGrounding <= 1)) {
            config.problem("min-grounding", minGrounding, "must be within [0, 1]");
        }
        if (!(support > 0 && support <= 1)) {
            config.problem("sentence-support", support, "must be within (0, 1]");
        }
        config.validate();
        OutputGuard.Builder b = OutputGuard.builder().minGrounding(minGrounding).sentenceSupport(support)
                .blockUngrounded("block".equals(onUngrounded))
                .redactor(redact ? Redactor.builder().mode(RedactionMode.MASK).build() : null);
        if (canary.equals("auto")) {
            b.canary(OutputGuard.newCanary());
        } else if (named) {
            b.canary(canary);
        }
        return b.build();
    }
}
