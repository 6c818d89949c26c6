package dev.ragkit.core.secret;

import dev.ragkit.core.RagConfigurationException;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code env:NAME}: the value of an environment variable. The library reads the environment only
 * where configuration asks for it this way.
 */
public final class EnvSecretResolver implements SecretResolver {
    private final Function<String, String> environment;

    /** Reads the process environment. */
    public EnvSecretResolver() {
        this(System::getenv);
    }

    /** Reads {@code environment} (a test's or a host's own map) instead of the process environment. */
    public EnvSecretResolver(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public String scheme() {
        return "env";
    }

    @Override
    public String resolve(String reference) {
        if (!reference.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new RagConfigurationException("env:" + reference + " is not an environment variable name");
        }
        String value = environment.apply(reference);
        if (value == null || value.isBlank()) {
            throw new RagConfigurationException("env:" + reference + " names an environment variable that is "
                    + (value == null ? "not set" : "empty") + "; export it before starting the host");
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return "EnvSecretResolver";
    }
}
