package dev.ragkit.llm.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.llm.http.FakeModels;
import dev.ragkit.llm.http.StubServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@code /api/chat} and {@code /api/embed} in Ollama's documented wire format (see
 * docs/api.md of ollama/ollama): chat streams NDJSON objects
 * {@code {"model","created_at","message":{"role":"assistant","content"},"done":false}} and ends
 * with one carrying {@code "done":true,"done_reason":"stop"} and the counters
 * {@code prompt_eval_count} / {@code eval_count}; with {@code "stream":false} it sends that final
 * object alone, holding the whole message. Embed answers {@code {"model","embeddings":[[...]]}}.
 * Requests that break the format get Ollama's 400 {@code {"error":"..."}}, so the tests also
 * check what the client sends.
 */
final class OllamaFake {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int DIMENSION = 32;

    private OllamaFake() {
    }

    /** The answer the fake gives to a conversation whose last user message is {@code question}. */
    static String answer(String model, String question) {
        return FakeModels.answer(model, question, "Hello!");
    }

    /** Tokens of {@link #answer}: words with their leading space, as Ollama streams them. */
    static List<String> tokens(String text) {
        return FakeModels.tokens(text);
    }

    static StubServer.Responder chat() {
        return (exchange, request) -> {
            JsonNode body;
            try {
                body = JSON.readTree(request.body());
            } catch (IOException e) {
                StubServer.json(400, "{\"error\":\"invalid character in request body\"}").respond(exchange, request);
                return;
            }
            String problem = chatProblem(body, request.header("Content-Type"));
            if (problem != null) {
                StubServer.json(400, JSON.createObjectNode().put("error", problem).toString())
                        .respond(exchange, request);
                return;
            }
            String model = body.get("model").asText();
            JsonNode messages = body.get("messages");
            String question = messages.get(messages.size() - 1).get("content").asText();
            String text = answer(model, question);
            int promptTokens = 0;
            for (JsonNode m : messages) {
                promptTokens += m.get("content").asText().split("\\s+").length + 4;
            }
            List<String> tokens = tokens(text);
            boolean stream = body.path("stream").asBoolean(true); // Ollama streams unless told not to
            if (!stream) {
                StubServer.json(200, finalLine(model, text, promptTokens, tokens.size()).toString())
                        .respond(exchange, request);
                return;
            }
            List<String> lines = new ArrayList<>();
            for (String token : tokens) {
                lines.add(chunk(model, token).toString());
            }
            lines.add(finalLine(model, "", promptTokens, tokens.size()).toString());
            StubServer.stream("application/x-ndjson", lines).respond(exchange, request);
        };
    }

    private static String chatProblem(JsonNode body, String contentType) {
        String common = FakeModels.chatRequestProblem(body, contentType);
        if (common != null) {
            return common;
        }
        if (body.has("stream") && !body.get("stream").isBoolean()) {
            return "stream must be a boolean";
        }
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isObject()) {
            return "options must be an object";
        }
        return null;
    }

    static ObjectNode chunk(String model, String content) {
        ObjectNode line = JSON.createObjectNode();
        line.put("model", model);
        line.put("created_at", "2026-11-23T11:22:42.180546Z");
        line.putObject("message").put("role", "assistant").put("content", content);
        line.put("done", false);
        return line;
    }

    static ObjectNode finalLine(String model, String content, int promptTokens, int completionTokens) {
        ObjectNode line = JSON.createObjectNode();
        line.put("model", model);
        line.put("created_at", "2026-11-23T11:22:42.223184Z");
        line.putObject("message").put("role", "assistant").put("content", content);
        line.put("done_reason", "stop");
        line.put("done", true);
        line.put("total_duration", 181553584L);
        line.put("load_duration", 27906292L);
        line.put("prompt_eval_count", promptTokens);
        line.put("prompt_eval_duration", 109000000L);
        line.put("eval_count", completionTokens);
        line.put("eval_duration", 42000000L);
        return line;
    }

    static StubServer.Responder embed() {
        return (exchange, request) -> {
            JsonNode body = JSON.readTree(request.body());
            JsonNode input = body.path("input");
            if (!body.path("model").isTextual() || !(input.isTextual() || input.isArray())) {
                StubServer.json(400, "{\"error\":\"invalid input type\"}").respond(exchange, request);
                return;
            }
            List<String> texts = new ArrayList<>();
            if (input.isTextual()) {
                texts.add(input.asText());
            } else {
                input.forEach(t -> texts.add(t.asText()));
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("model", body.get("model").asText());
            ArrayNode embeddings = out.putArray("embeddings");
            for (String text : texts) {
                ArrayNode v = embeddings.addArray();
                for (float x : vector(text)) {
                    v.add(x);
                }
            }
            out.put("total_duration", 14143917L);
            out.put("load_duration", 1019500L);
            out.put("prompt_eval_count", texts.size() * 8);
            StubServer.json(200, out.toString()).respond(exchange, request);
        };
    }

    /** A deterministic unit vector from the text's character trigrams (no meaning, but stable). */
    static float[] vector(String text) {
        return FakeModels.vector(text, DIMENSION);
    }
}
