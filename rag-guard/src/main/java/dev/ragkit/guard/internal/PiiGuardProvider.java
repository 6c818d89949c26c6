package dev.ragkit.guard.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.guard.PiiDetector;
import dev.ragkit.guard.PiiGuard;
import dev.ragkit.guard.PiiType;
import dev.ragkit.guard.RedactionMode;
import dev.ragkit.guard.Redactor;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Provider {@code pii}. Keys ({@code rag.guard.pii.*}): {@code mode} (placeholder | mask | hash,
 * default placeholder), {@code types} (comma list of email, phone, iban, card, nir, ip, person;
 * default all), {@code stages} (default input,context,output), {@code action} (redact | block,
 * default redact), {@code restore} (default true), {@code hash-key} (default random per process).
 */
public final class PiiGuardProvider implements GuardProvider {
    /** Does nothing: the guard is built in {@link #create}. */
    public PiiGuardProvider() {
    }

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public Guard create(ProviderConfig config) {
        String mode = config.oneOf("mode", "placeholder", List.of("placeholder", "mask", "hash"));
        String action = config.oneOf("action", "redact", List.of("redact", "block"));
        Set<GuardStage> stages = Stages.parse(config, "stages", EnumSet.allOf(GuardStage.class));
        boolean restore = config.bool("restore", true);
        String hashKey = config.secret("hash-key").orElse(null);
        Set<PiiType> types = EnumSet.allOf(PiiType.class);
        String rawTypes = config.string("types", null);
        if (rawTypes != null) {
            types = EnumSet.noneOf(PiiType.class);
            for (String t : rawTypes.split(",")) {
                try {
                    types.add(PiiType.parse(t));
                } catch (IllegalArgumentException e) {
                    config.problem("types", rawTypes, "must be a comma list of " + List.of(PiiType.values()).toString()
                            .toLowerCase(Locale.ROOT));
                    break;
                }
            }
        }
        if (hashKey != null && hashKey.isBlank()) {
            config.problem("hash-key", hashKey, "must not be blank");
        }
        config.validate();
        Redactor.Builder redactor = Redactor.builder().detector(PiiDetector.of(types))
                .mode(RedactionMode.valueOf(mode.toUpperCase(Locale.ROOT)));
        if (hashKey != null) {
            redactor.hashKey(hashKey);
        }
        return PiiGuard.builder().redactor(redactor.build()).stages(stages).restore(restore)
                .action(PiiGuard.Action.valueOf(action.toUpperCase(Locale.ROOT))).build();
    }
}
