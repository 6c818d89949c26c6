package dev.ragkit.core.model;

import java.time.Duration;
import java.util.Objects;

/** How long one pipeline step took, e.g. {@code rag.embed} 12 ms. */
public record StepTiming(String step, Duration duration) {
    public StepTiming {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(duration, "duration");
    }
}
