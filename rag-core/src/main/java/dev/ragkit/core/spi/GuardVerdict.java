package dev.ragkit.core.spi;

import java.util.List;
import java.util.Objects;

/** A guard's decision on one text. Guards return verdicts; they do not throw. */
public sealed interface GuardVerdict {
    /** The text passes unchanged. */
    record Allow() implements GuardVerdict {
    }

    /** The text passes with parts replaced, e.g. personal data masked. */
    record Redact(String text, List<String> reasons) implements GuardVerdict {
        public Redact {
            Objects.requireNonNull(text, "text");
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * The text passes unchanged, but something is worth recording (e.g. an answer sentence no source
     * supports); the reasons reach {@code Answer.guardReasons()}.
     */
    record Flag(List<String> reasons) implements GuardVerdict {
        public Flag {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a flag needs at least one reason");
            }
        }
    }

    /** The text must not pass. */
    record Block(List<String> reasons) implements GuardVerdict {
        public Block {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a block needs at least one reason");
            }
        }
    }

    static GuardVerdict allow() {
        return new Allow();
    }

    static GuardVerdict redact(String text, String... reasons) {
        return new Redact(text, List.of(reasons));
    }

    static GuardVerdict flag(String... reasons) {
        return new Flag(List.of(reasons));
    }

    static GuardVerdict block(String... reasons) {
        return new Block(List.of(reasons));
    }
}
