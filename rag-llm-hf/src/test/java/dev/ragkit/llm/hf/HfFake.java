package dev.ragkit.llm.hf;

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
 * Answers in the wire formats the Hugging Face router documents: OpenAI-style
 * {@code POST /v1/chat/completions} (a {@code chat.completion} object, or with {@code "stream":true}
 * server-sent events {@code data: {chat.completion.chunk}} separated by blank lines, a chunk with
 * {@code finish_reason}, a usage chunk with empty {@code choices} when
 * {@code stream_options.include_usage} is set, then {@code data: [DONE]}); feature extraction
 * ({@code {"inputs":[...]}} in, a JSON array of vectors out); and OpenAI {@code /v1/embeddings}.
 * Errors use the router's bodies: {@code {"error":"Invalid credentials in Authorization header"}}
 * for 401 and OpenAI-style {@code {"error":{"message","type","param","code"}}} for 400.
 */
final class HfFake {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int DIMENSION = 24;
    static final String TOKEN = "hf_testTOKENvalue123";

    private HfFake() {
    }

    static String answer(String model, String question) {
        return FakeModels.answer(model, question, "Bonjour!");
    }

    static List<String> tokens(String text) {
        return FakeModels.tokens(text);
    }

    static StubServer.Responder unauthorized() {
        return StubServer.json(401, "{\"error\":\"Invalid credentials in Authorization header\"}");
    }

    static StubServer.Responder openAiError(int status, String message, String type, String code, String... headers) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return StubServer.json(status, body.toString(), headers);
    }

    /** Chat completions; requires the bearer token when {@code token} is not null. */
    static StubServer.Responder chat(String token) {
        return (exchange, request) -> {
            if (token != null && !("Bearer " + token).equals(request.header("Authorization"))) {
                unauthorized().respond(exchange, request);
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(request.body());
            } catch (IOException e) {
                openAiError(400, "Invalid JSON body", "invalid_request_error", null).respond(exchange, request);
                return;
            }
            String problem = chatProblem(body, request.header("Content-Type"));
            if (problem != null) {
                openAiError(400, problem, "invalid_request_error", null).respond(exchange, request);
                return;
            }
            String model = body.get("model").asText();
            JsonNode messages = body.get("messages");
            String question = messages.get(messages.size() - 1).get("content").asText();
            String text = answer(model, question);
            int promptTokens = 0;
            for (JsonNode m : messages) {
                promptTokens += m.get("content").asText().split("\\s+").length + 3;
            }
            List<String> tokens = tokens(text);
            if (!body.path("stream").asBoolean(false)) {
                ObjectNode out = JSON.createObjectNode();
                out.put("id", "chatcmpl-stub");
                out.put("object", "chat.completion");
                out.put("created", 1763896962L);
                out.put("model", model);
                ObjectNode choice = out.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", text);
                choice.put("finish_reason", "stop");
                out.set("usage", usage(promptTokens, tokens.size()));
                StubServer.json(200, out.toString()).respond(exchange, request);
                return;
            }
            List<String> lines = new ArrayList<>();
            event(lines, chunk(model, "assistant", "", null));
            for (String t : tokens) {
                event(lines, chunk(model, null, t, null));
            }
            event(lines, chunk(model, null, null, "stop"));
            if (body.path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode last = JSON.createObjectNode();
                last.put("id", "chatcmpl-stub");
                last.put("object", "chat.completion.chunk");
                last.put("created", 1763896962L);
                last.put("model", model);
                last.putArray("choices");
                last.set("usage", usage(promptTokens, tokens.size()));
                event(lines, last);
            }
            lines.add("data: [DONE]");
            lines.add("");
            StubServer.stream("text/event-stream", lines).respond(exchange, request);
        };
    }

    static void event(List<String> lines, JsonNode data) {
        lines.add("data: " + data);
        lines.add("");
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }

    static ObjectNode chunk(String model, String role, String content, String finishReason) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-stub");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1763896962L);
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return c;
    }

    private static String chatProblem(JsonNode body, String contentType) {
        String common = FakeModels.chatRequestProblem(body, contentType);
        if (common != null) {
            return common;
        }
        if (body.has("max_tokens") && !body.get("max_tokens").canConvertToInt()) {
            return "max_tokens must be an integer";
        }
        if (body.has("stream_options") && !body.path("stream").asBoolean(false)) {
            return "stream_options is only allowed when stream is true";
        }
        return null;
    }

    /** Feature extraction for sentence-embedding models: one pooled vector per input. */
    static StubServer.Responder featureExtraction(String token) {
        return (exchange, request) -> {
            if (token != null && !("Bearer " + token).equals(request.header("Authorization"))) {
                unauthorized().respond(exchange, request);
                return;
            }
            JsonNode inputs = JSON.readTree(request.body()).path("inputs");
            List<String> texts = new ArrayList<>();
            if (inputs.isTextual()) {
                texts.add(inputs.asText());
            } else if (inputs.isArray()) {
                inputs.forEach(t -> texts.add(t.asText()));
            } else {
                StubServer.json(400, "{\"error\":\"Input should be a valid string or list\"}").respond(exchange, request);
                return;
            }
            ArrayNode out = JSON.createArrayNode();
            for (String text : texts) {
                ArrayNode v = out.addArray();
                for (float x : vector(text)) {
                    v.add(x);
                }
            }
            StubServer.json(200, out.toString()).respond(exchange, request);
        };
    }

    /** OpenAI {@code /v1/embeddings}; answers items in reverse order, which "index" allows. */
    static StubServer.Responder openAiEmbeddings() {
        return (exchange, request) -> {
            JsonNode body = JSON.readTree(request.body());
            JsonNode input = body.path("input");
            if (!body.path("model").isTextual() || !input.isArray()) {
                openAiError(400, "input must be an array", "invalid_request_error", null).respond(exchange, request);
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            for (int i = input.size() - 1; i >= 0; i--) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                ArrayNode v = item.putArray("embedding");
                for (float x : vector(input.get(i).asText())) {
                    v.add(x);
                }
            }
            out.put("model", body.get("model").asText());
            out.set("usage", usage(input.size() * 5, 0));
            StubServer.json(200, out.toString()).respond(exchange, request);
        };
    }

    static float[] vector(String text) {
        return FakeModels.vector(text, DIMENSION);
    }
}
