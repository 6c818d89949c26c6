package dev.ragkit.core.spi;

import dev.ragkit.core.InvalidInputException;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A chat completion request.
 *
 * @param messages the conversation, at least one message
 * @param maxTokens upper bound on completion tokens, when set
 * @param temperature sampling temperature, when set (the client's configured value otherwise)
 */
public record LlmRequest(List<ChatMessage> messages, OptionalInt maxTokens, OptionalDouble temperature) {
    public LlmRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new InvalidInputException("an LLM request needs at least one message");
        }
        if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
            throw new InvalidInputException("maxTokens was " + maxTokens.getAsInt() + " but it must be >= 1");
        }
    }

    public static LlmRequest of(List<ChatMessage> messages) {
        return new LlmRequest(messages, OptionalInt.empty(), OptionalDouble.empty());
    }
}
