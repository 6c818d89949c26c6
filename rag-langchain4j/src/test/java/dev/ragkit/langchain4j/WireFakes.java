package dev.ragkit.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.llm.http.FakeModels;
import dev.ragkit.llm.http.StubServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fake Ollama and OpenAI-compatible model servers for {@link StubServer}, speaking the documented wire
 * formats (Ollama's {@code /api/chat} and {@code /api/embed}, OpenAI's {@code /chat/completions} with SSE
 * streaming and {@code /embeddings}). Answers and vectors come from rag-llm-http's {@link FakeModels}, so
 * they are deterministic; usage counts words.
 */
final class WireFakes {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int DIMENSION = 48;

    private WireFakes() {
    }

    static JsonNode body(StubServer.Recorded request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastUser(JsonNode messages) {
        String last = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                JsonNode content = m.path("content");
                last = content.isTextual() ? content.asText() : content.path(0).path("text").asText();
            }
        }
        return last;
    }

    private static int promptWords(JsonNode messages) {
        int words = 0;
        for (JsonNode m : messages) {
            JsonNode content = m.path("content");
            String text = content.isTextual() ? content.asText() : content.path(0).path("text").asText();
            words += text.isBlank() ? 0 : text.strip().split("\\s+").length;
        }
        return words;
    }

    static String answer(JsonNode body) {
        return FakeModels.answer(body.path("model").asText(), lastUser(body.path("messages")), "Hello there.");
    }

    // ---- Ollama -------------------------------------------------------------------------------------

    static StubServer.Responder ollamaChat() {
        return (exchange, request) -> {
            JsonNode body = body(request);
            String problem = FakeModels.chatRequestProblem(body, request.header("Content-Type"));
            if (problem != null) {
                StubServer.json(400, "{\"error\":" + JSON.writeValueAsString(problem) + "}").respond(exchange, request);
                return;
            }
            String text = answer(body);
            int prompt = promptWords(body.path("messages"));
            int completion = FakeModels.tokens(text).size();
            String model = body.path("model").asText();
            if (body.path("stream").asBoolean(true)) {
                List<String> lines = new ArrayList<>();
                for (String token : FakeModels.tokens(text)) {
                    lines.add(ollamaLine(model, token, false, 0, 0));
                }
                lines.add(ollamaLine(model, "", true, prompt, completion));
                StubServer.stream("application/x-ndjson", lines).respond(exchange, request);
            } else {
                StubServer.json(200, ollamaLine(model, text, true, prompt, completion)).respond(exchange, request);
            }
        };
    }

    static String ollamaLine(String model, String content, boolean done, int prompt, int completion) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model", model).put("created_at", "2026-12-05T12:00:00Z");
        n.putObject("message").put("role", "assistant").put("content", content);
        n.put("done", done);
        if (done) {
            n.put("done_reason", "stop").put("prompt_eval_count", prompt).put("eval_count", completion);
        }
        return n.toString();
    }

    static StubServer.Responder ollamaEmbed() {
        return (exchange, request) -> {
            JsonNode body = body(request);
            ObjectNode out = JSON.createObjectNode().put("model", body.path("model").asText());
            ArrayNode embeddings = out.putArray("embeddings");
            JsonNode input = body.path("input");
            for (JsonNode text : input.isArray() ? input : JSON.createArrayNode().add(input)) {
                ArrayNode v = embeddings.addArray();
                for (float x : FakeModels.vector(text.asText(), DIMENSION)) {
                    v.add(x);
                }
            }
            StubServer.json(200, out.toString()).respond(exchange, request);
        };
    }

    // ---- OpenAI-compatible --------------------------------------------------------------------------

    static StubServer.Responder openAiChat() {
        return (exchange, request) -> {
            JsonNode body = body(request);
            String problem = FakeModels.chatRequestProblem(body, request.header("Content-Type"));
            if (problem != null) {
                StubServer.json(400, "{\"error\":{\"message\":" + JSON.writeValueAsString(problem)
                        + ",\"type\":\"invalid_request_error\"}}").respond(exchange, request);
                return;
            }
            String text = answer(body);
            String model = body.path("model").asText();
            int prompt = promptWords(body.path("messages"));
            int completion = FakeModels.tokens(text).size();
            if (body.path("stream").asBoolean(false)) {
                List<String> lines = new ArrayList<>();
                for (String token : FakeModels.tokens(text)) {
                    lines.add("data: " + openAiChunk(model, token, null));
                    lines.add("");
                }
                lines.add("data: " + openAiChunk(model, null, "stop"));
                lines.add("");
                if (body.path("stream_options").path("include_usage").asBoolean(false)) {
                    ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                            .put("created", 1_764_000_000L).put("model", model);
                    usage.putArray("choices");
                    usage.set("usage", usage(prompt, completion));
                    lines.add("data: " + usage);
                    lines.add("");
                }
                lines.add("data: [DONE]");
                lines.add("");
                StubServer.stream("text/event-stream", lines).respond(exchange, request);
            } else {
                ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                        .put("created", 1_764_000_000L).put("model", model);
                ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", text);
                choice.put("finish_reason", "stop");
                out.set("usage", usage(prompt, completion));
                StubServer.json(200, out.toString()).respond(exchange, request);
            }
        };
    }

    static String openAiChunk(String model, String content, String finishReason) {
        ObjectNode n = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("created", 1_764_000_000L).put("model", model);
        ObjectNode choice = n.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (content != null) {
            delta.put("content", content);
        }
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return n.toString();
    }

    private static ObjectNode usage(int prompt, int completion) {
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    static StubServer.Responder openAiEmbeddings() {
        return (exchange, request) -> {
            JsonNode body = body(request);
            ObjectNode out = JSON.createObjectNode().put("object", "list").put("model", body.path("model").asText());
            ArrayNode data = out.putArray("data");
            JsonNode input = body.path("input");
            int i = 0;
            int words = 0;
            for (JsonNode text : input.isArray() ? input : JSON.createArrayNode().add(input)) {
                ObjectNode item = data.addObject().put("object", "embedding").put("index", i++);
                ArrayNode v = item.putArray("embedding");
                for (float x : FakeModels.vector(text.asText(), DIMENSION)) {
                    v.add(x);
                }
                words += text.asText().split("\\s+").length;
            }
            out.putObject("usage").put("prompt_tokens", words).put("total_tokens", words);
            StubServer.json(200, out.toString()).respond(exchange, request);
        };
    }
}
