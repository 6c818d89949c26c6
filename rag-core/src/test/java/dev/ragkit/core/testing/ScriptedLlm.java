package dev.ragkit.core.testing;

import dev.ragkit.core.RagException;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A test LLM that answers a fixed text (streamed word by word) or throws a fixed exception. */
public final class ScriptedLlm implements LlmClient {
    private final String id;
    private final String answer;
    private final RagException failure;
    private final List<LlmRequest> requests = new ArrayList<>();

    private ScriptedLlm(String id, String answer, RagException failure) {
        this.id = id;
        this.answer = answer;
        this.failure = failure;
    }

    public static ScriptedLlm answering(String id, String answer) {
        return new ScriptedLlm(id, answer, null);
    }

    public static ScriptedLlm failing(String id, RagException failure) {
        return new ScriptedLlm(id, null, failure);
    }

    public synchronized List<LlmRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized Generation generate(LlmRequest request) {
        requests.add(request);
        if (failure != null) {
            throw failure;
        }
        return new Generation(answer, new TokenUsage(100, answer.split(" ").length), id.substring(id.indexOf(':') + 1));
    }

    @Override
    public Generation stream(LlmRequest request, Consumer<String> onToken) {
        Generation g = generate(request);
        String[] words = g.text().split("(?<= )");
        for (String w : words) {
            onToken.accept(w);
        }
        return g;
    }
}
