package dev.ragkit.server;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The JSON bodies of the /v1 endpoints. Unknown fields are refused (400 {@code unknown-field}). */
public final class ApiRequests {
    private ApiRequests() {
    }

    /** {@code POST /v1/rag}: a question, an optional metadata filter and number of passages. */
    public record RagRequest(String question, JsonNode filter, Integer topK) {
    }

    /** {@code POST /v1/retrieve}. */
    public record RetrieveRequest(String query, JsonNode filter, Integer topK) {
    }

    /** {@code POST /v1/embed}: texts embedded as documents, or one query embedded as a query. */
    public record EmbedRequest(List<String> texts, String query) {
    }

    /** {@code POST /v1/generate}: a prompt sent to the language model without retrieval, guarded. */
    public record GenerateRequest(String prompt, Integer maxTokens) {
    }

    /** {@code POST /v1/ingest}: documents inline, or a server-side path under an allowed directory. */
    public record IngestRequest(List<DocumentBody> documents, String path) {
    }

    /** One inline document. */
    public record DocumentBody(String id, String text, Map<String, Object> metadata) {
    }
}
