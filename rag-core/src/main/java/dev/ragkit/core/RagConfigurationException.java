package dev.ragkit.core;

import java.util.List;

/**
 * Assembly failed: an unknown provider name, a clash, or invalid configuration. Thrown before any
 * work is done, and lists every problem found, not just the first.
 */
public final class RagConfigurationException extends RagException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public RagConfigurationException(String message) {
        this(List.of(message), null);
    }

    public RagConfigurationException(String message, Throwable cause) {
        this(List.of(message), cause);
    }

    public RagConfigurationException(List<String> problems) {
        this(problems, null);
    }

    private RagConfigurationException(List<String> problems, Throwable cause) {
        super(String.join("\n", problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
