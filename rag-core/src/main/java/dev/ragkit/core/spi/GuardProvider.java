package dev.ragkit.core.spi;

/** Creates {@link Guard}s; registered in {@code META-INF/services/dev.ragkit.core.spi.GuardProvider}. */
public interface GuardProvider extends Provider<Guard> {
}
