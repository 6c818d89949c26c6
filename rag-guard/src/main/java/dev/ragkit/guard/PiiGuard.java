package dev.ragkit.guard;

import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.guard.internal.Stages;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redacts (or blocks) personal data in questions, retrieved chunks and answers. In placeholder mode
 * with {@code restore} on, values the user typed in the question are put back into the answer at
 * the OUTPUT stage: the question's mapping is kept per request ({@link GuardInput#requestId()}) from
 * INPUT to OUTPUT and dropped when the pipeline reports the request finished, whatever its outcome.
 * Inputs without a request id (direct calls) keep it per thread until the next INPUT or OUTPUT.
 * Reasons name the types and counts found, never the values.
 *
 * <p>Thread-safe.
 */
public final class PiiGuard implements Guard {
    /** What to do when personal data is found. */
    public enum Action {
        /** Replace it and let the text pass. */
        REDACT,
        /** Stop the text. */
        BLOCK
    }

    private final Redactor redactor;
    private final Set<GuardStage> stages;
    private final Action action;
    private final boolean restore;
    private final Map<String, Conversation> byRequest = new ConcurrentHashMap<>();
    private final ThreadLocal<Conversation> withoutRequest = new ThreadLocal<>();

    /** One question's numbering, and the placeholders that stand for values the user typed. */
    private static final class Conversation {
        final Redactor.Numbering numbering = new Redactor.Numbering();
        Map<String, String> userValues = Map.of();
    }

    private PiiGuard(Builder b) {
        this.redactor = b.redactor;
        this.stages = Set.copyOf(b.stages);
        this.action = b.action;
        this.restore = b.restore && b.redactor.mode() == RedactionMode.PLACEHOLDER;
    }

    /** A builder: every type, placeholder mode with restore, all three stages, redact. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for a {@link PiiGuard}. */
    public static final class Builder {
        private Redactor redactor = Redactor.builder().build();
        private Set<GuardStage> stages = EnumSet.allOf(GuardStage.class);
        private Action action = Action.REDACT;
        private boolean restore = true;

        private Builder() {
        }

        /** The redactor (detector, mode, hash key). */
        public Builder redactor(Redactor redactor) {
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /** The stages to check. */
        public Builder stages(Set<GuardStage> stages) {
            this.stages = Stages.nonEmpty(stages);
            return this;
        }

        /** Redact or block. */
        public Builder action(Action action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /** In placeholder mode, put the user's own values back into the answer (default true). */
        public Builder restore(boolean restore) {
            this.restore = restore;
            return this;
        }

        /** Builds the guard. */
        public PiiGuard build() {
            return new PiiGuard(this);
        }
    }

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public Set<GuardStage> stages() {
        return stages;
    }

    @Override
    public GuardVerdict check(GuardInput input) {
        String request = input.requestId();
        Conversation c = request.isEmpty() ? withoutRequest.get() : byRequest.get(request);
        if (input.stage() == GuardStage.INPUT || c == null) {
            c = new Conversation();
            if (request.isEmpty()) {
                withoutRequest.set(c);
            } else {
                byRequest.put(request, c);
            }
        }
        Redaction r = redactor.redact(input.text(), c.numbering);
        String text = r.text();
        String restored = text;
        if (input.stage() == GuardStage.INPUT) {
            c.userValues = c.numbering.placeholders();
        } else if (input.stage() == GuardStage.OUTPUT) {
            // Only the user's own values come back; values from documents or new ones stay redacted.
            if (restore) {
                restored = Redactor.restore(text, c.userValues);
            }
            forget(request);
        }
        if (r.isEmpty()) {
            return restored.equals(input.text()) ? GuardVerdict.allow()
                    : GuardVerdict.redact(restored, "restored the user's own values");
        }
        String reason = describe(r.matches());
        if (action == Action.BLOCK) {
            return GuardVerdict.block("personal data found: " + reason);
        }
        return GuardVerdict.redact(restored, "redacted " + reason);
    }

    /** Drops the question's mapping: the user's values are not kept past their request. */
    @Override
    public void requestFinished(String requestId) {
        forget(requestId);
    }

    private void forget(String request) {
        if (request.isEmpty()) {
            withoutRequest.remove();
        } else {
            byRequest.remove(request);
        }
    }

    /** Requests whose mapping is still held; for tests. */
    int openRequests() {
        return byRequest.size();
    }

    /** "2 EMAIL, 1 PHONE": types and counts, never values. */
    static String describe(List<PiiMatch> matches) {
        Map<PiiType, Integer> counts = new TreeMap<>();
        for (PiiMatch m : matches) {
            counts.merge(m.type(), 1, Integer::sum);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        counts.forEach((k, v) -> ordered.put(k.name(), v));
        StringBuilder sb = new StringBuilder();
        ordered.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        return sb.toString();
    }
}
