package dev.ragkit.llm.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the adapters' fake servers compute the same way whatever their wire format: the scripted
 * answer and its tokens, a deterministic embedding, and the checks of a chat request every chat API
 * makes (JSON content type, a model, non-empty messages with known roles). Each fake keeps its own
 * vendor-specific checks and bodies.
 */
public final class FakeModels {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private FakeModels() {
    }

    /** The answer to a conversation whose last user message is {@code question}, ending with {@code greeting}. */
    public static String answer(String model, String question, String greeting) {
        int words = question.isBlank() ? 0 : question.strip().split("\\s+").length;
        return "Model " + model + " read " + words + " words. " + greeting;
    }

    /** Tokens of {@code text}: words with their leading space, as chat servers stream them. */
    public static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                tokens.add(text.substring(start, i));
                start = i;
            }
        }
        return tokens;
    }

    /**
     * A unit vector of byte-trigram hashes: the same text always gets the same vector, and texts
     * sharing words get close vectors.
     */
    public static float[] vector(String text, int dimension) {
        float[] v = new float[dimension];
        byte[] bytes = ("  " + text + "  ").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 2 < bytes.length; i++) {
            int h = (bytes[i] * 31 + bytes[i + 1]) * 31 + bytes[i + 2];
            v[Math.floorMod(h, dimension)] += (h & 1) == 0 ? 1 : -1;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    /**
     * What is wrong with a chat request in any chat API, or null: content type, model, messages and
     * their roles.
     */
    public static String chatRequestProblem(JsonNode body, String contentType) {
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "expected Content-Type application/json but was " + contentType;
        }
        if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
            return "model is required";
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return "messages must be a non-empty array";
        }
        for (JsonNode m : messages) {
            if (!ROLES.contains(m.path("role").asText()) || !m.path("content").isTextual()) {
                return "invalid message " + m;
            }
        }
        return null;
    }
}
