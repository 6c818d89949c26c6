package dev.ragkit.testkit;

import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A deterministic fake model: it answers with the last user message, streamed word by word. Calls after
 * {@link #close()} fail, as for a client that holds resources.
 */
final class EchoLlmClient implements LlmClient {
    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
    }
    @Override
    public String id() {
        return "echo:v1";
    }

    @Override
    public Generation generate(LlmRequest request) {
        return stream(request, token -> { });
    }

    @Override
    public Generation stream(LlmRequest request, Consumer<String> onToken) {
        if (closed) {
            throw new IllegalStateException("LLM client " + id() + " is closed");
        }
        String last = "";
        long promptWords = 0;
        for (ChatMessage m : request.messages()) {
            promptWords += words(m.content()).size();
            if (m.role() == ChatMessage.Role.USER) {
                last = m.content();
            }
        }
        List<String> tokens = words("Echo: " + last);
        StringBuilder text = new StringBuilder();
        for (String token : tokens) {
            onToken.accept(token);
            text.append(token);
        }
        return new Generation(text.toString(), new TokenUsage(promptWords, tokens.size()), "echo-v1");
    }

    /** Words with their following whitespace, so that the pieces concatenate to the input. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i)))) {
                if (i > start) {
                    out.add(text.substring(start, i));
                }
                start = i;
            }
        }
        return out;
    }
}
