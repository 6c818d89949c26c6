package dev.ragkit.core.index;

import dev.ragkit.core.model.IndexVersion;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PromotionGate} judges: the version about to become live, and the live one it would
 * replace (absent at the first promotion).
 *
 * @param candidate searches the version to promote
 * @param live searches the version live now, if any
 */
public record PromotionCandidate(VersionSearcher candidate, Optional<VersionSearcher> live) {
    public PromotionCandidate {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(live, "live");
    }

    /** The version to promote. */
    public IndexVersion candidateVersion() {
        return candidate.version();
    }
}
