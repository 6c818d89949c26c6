package dev.ragkit.llm.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ragkit.llm.http.Exchange;
import java.util.Locale;

/**
 * How the Hugging Face router and OpenAI-compatible servers say "unknown model" without a 404: the
 * hook this module hands to the shared failure classification.
 */
final class RouterErrors {
    private RouterErrors() {
    }

    /**
     * Whether a 400/422 body says the model is unknown: the OpenAI-style codes {@code model_not_found}
     * / {@code model_not_supported}, or the Hugging Face router's "is not supported by any provider".
     */
    static boolean unknownModel(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            JsonNode code = Exchange.JSON.readTree(body).path("error").path("code");
            if (code.isTextual() && (code.asText().equals("model_not_found") || code.asText().equals("model_not_supported"))) {
                return true;
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // Not JSON: fall back to the words.
        }
        String text = body.toLowerCase(Locale.ROOT);
        return text.contains("not supported by any provider") || text.contains("does not exist")
                || text.contains("model not found");
    }
}
