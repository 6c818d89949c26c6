package dev.ragkit.guard.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.GuardStage;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The stages of a guard: the {@code stages} key shared by every guard provider, and its check. */
public final class Stages {
    private Stages() {
    }

    /** The stages listed under {@code key} (comma list of input, context, output), or the default. */
    public static Set<GuardStage> parse(ProviderConfig config, String key, Set<GuardStage> defaults) {
        String raw = config.string(key, null);
        if (raw == null) {
            return defaults;
        }
        EnumSet<GuardStage> stages = EnumSet.noneOf(GuardStage.class);
        for (String part : raw.split(",")) {
            String p = part.trim();
            try {
                stages.add(GuardStage.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                config.problem(key, raw, "must be a comma list of input, context, output");
                return defaults;
            }
        }
        return stages;
    }

    /**
     * {@code stages} as an immutable set, refused when empty: a guard that runs nowhere is a
     * configuration mistake, not a way to turn it off.
     */
    public static Set<GuardStage> nonEmpty(Set<GuardStage> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages was empty but a guard needs at least one stage");
        }
        return Set.copyOf(stages);
    }

    /** A probability threshold under {@code key}, checked to lie in (0, 1). */
    public static double threshold(ProviderConfig config, String key, double defaultValue) {
        double t = config.decimal(key, defaultValue);
        if (!(t > 0 && t < 1)) {
            config.problem(key, t, "must be within (0, 1)");
            return defaultValue;
        }
        return t;
    }
}
