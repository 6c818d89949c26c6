package dev.ragkit.core.spi;

/**
 * Implemented by a {@link Guard} that needs a line in the language model's system prompt, such as a
 * canary token whose appearance in an answer proves the prompt leaked. The pipeline appends each
 * contributor's note to the system prompt, so the token is configured once, on the guard.
 */
public interface SystemPromptContributor {
    /** The text to append to the system prompt; blank for none. */
    String systemPromptNote();
}
