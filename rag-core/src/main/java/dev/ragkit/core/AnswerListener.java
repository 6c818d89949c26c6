package dev.ragkit.core;

import dev.ragkit.core.model.Answer;

/**
 * Receives a streamed answer. Called on the asking thread.
 */
public interface AnswerListener {
    /** The next piece of answer text. */
    void onToken(String token);

    /**
     * The text streamed so far is void: the model failed mid-answer (or an output guard blocked it) and
     * the next step starts over. Hosts showing the stream should clear it. Does nothing by default.
     */
    default void onRestart(Answer.Fallback reason) {
    }
}
