package dev.ragkit.core.budget;

import dev.ragkit.core.model.TokenUsage;
import java.util.Optional;

/**
 * The budget held for one generation: its expected maximum (estimated prompt tokens plus the completion
 * cap) is counted against every limit that applies while the model runs, so concurrent requests cannot
 * all pass a check against the same remaining amount. End it with exactly one of {@link #commit},
 * {@link #fail} or {@link #release}; later calls do nothing. Thread-safe.
 */
public final class Reservation {
    /** Where the request stood against the limits when it asked. */
    public enum Level {
        /** Below every soft limit. */
        WITHIN,
        /** Past a soft limit: answer with the cheaper fallback model. */
        SOFT,
        /** Past a hard limit: nothing was reserved; answer extractively. */
        HARD
    }

    private final Budget budget;
    private final Level level;
    private final BudgetLimit limit;
    final String tenantKey;
    final String llmId;
    final long promptTokens;
    /** Guarded by the budget's lock. */
    long heldTokens;
    double heldCost;
    private long streamedChars;
    private boolean ended;

    Reservation(Budget budget, Level level, BudgetLimit limit, String tenantKey, String llmId, long promptTokens,
                long heldTokens, double heldCost) {
        this.budget = budget;
        this.level = level;
        this.limit = limit;
        this.tenantKey = tenantKey;
        this.llmId = llmId;
        this.promptTokens = promptTokens;
        this.heldTokens = heldTokens;
        this.heldCost = heldCost;
        this.ended = level == Level.HARD;
    }

    public Level level() {
        return level;
    }

    /** The limit that made the level SOFT or HARD (the most severe one); empty when WITHIN. */
    public Optional<BudgetLimit> limit() {
        return Optional.ofNullable(limit);
    }

    /** The model the reservation was priced for. */
    public String llmId() {
        return llmId;
    }

    /** Tokens held now: the estimate, or more once a stream ran past it. */
    public long heldTokens() {
        synchronized (budget.lock) {
            return heldTokens;
        }
    }

    /**
     * A piece of streamed answer arrived: the usage it implies is counted at once, so a stream that runs
     * past its estimate raises what it holds (the limits see it) instead of surprising them at the end.
     */
    public void streamed(String piece) {
        synchronized (budget.lock) {
            if (ended) {
                return;
            }
            streamedChars += piece.length();
            budget.holdAtLeast(this, promptTokens + budget.estimateTokens(streamedChars));
        }
    }

    /**
     * The generation completed: the hold is replaced by the usage the provider reported (or, when it
     * reported none, the estimate of the prompt and of {@code text}), priced for {@code modelId}, or
     * for the reserved model when {@code modelId} has no price.
     */
    public void commit(String modelId, TokenUsage usage, String text) {
        TokenUsage charged = usage.totalTokens() > 0 ? usage
                : new TokenUsage(promptTokens, budget.estimateTokens(text.length()));
        budget.end(this, modelId, charged);
    }

    /** The generation failed: what was streamed (and the prompt it answered) is charged, nothing else. */
    public void fail() {
        long streamed;
        synchronized (budget.lock) {
            streamed = streamedChars;
        }
        budget.end(this, llmId, streamed == 0 ? TokenUsage.NONE
                : new TokenUsage(promptTokens, budget.estimateTokens(streamed)));
    }

    /** Nothing was generated: the hold is dropped and nothing charged. */
    public void release() {
        budget.end(this, llmId, TokenUsage.NONE);
    }

    /** Marks the reservation ended; false when it already was. Called under the budget's lock. */
    boolean endOnce() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }
}
