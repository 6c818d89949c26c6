package dev.ragkit.llm.hf;

import dev.ragkit.core.secret.Credential;
import dev.ragkit.llm.http.ClientSettings;
import dev.ragkit.llm.http.Exchange;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * Connection, timeout and retry settings shared by the chat client and the embedder: the common
 * ones of every HTTP adapter, plus the bearer token. HTTP/2 is offered to https servers.
 */
final class HfSettings extends ClientSettings {
    /** The Hugging Face router's OpenAI-compatible API. */
    static final String ROUTER_CHAT = "https://router.huggingface.co/v1";
    /** The Hugging Face router's own inference API, where feature extraction lives. */
    static final String ROUTER_MODELS = "https://router.huggingface.co/hf-inference/models";

    private final Credential token;

    private HfSettings(Builder b) {
        super(b);
        this.token = b.token;
        if (b.tokenRequired && token == null) {
            throw new IllegalArgumentException("token was not set but the Hugging Face router needs one "
                    + "(create one at https://huggingface.co/settings/tokens)");
        }
    }

    /**
     * Adds the bearer token, when there is one, as it is now: a token given by reference
     * ({@code vault:}, {@code file:}) is looked up per request through its resolver's cache, so a rotated
     * token is sent from the next request on.
     */
    HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token.value());
    }

    /** The token; null when none. Never printed: {@code toString} only says whether there is one. */
    String secret() {
        return token == null ? null : token.value();
    }

    /**
     * Sends {@code request} for {@code model}, blanking the token out of quoted server text and
     * reading a 400/422 that names an unknown model as such.
     */
    Exchange send(HttpClient client, HttpRequest request, String model) {
        return Exchange.send(client, request, model, secret(), RouterErrors::unknownModel);
    }

    static final class Builder extends ClientSettings.Builder {
        private Credential token;
        private boolean tokenRequired;

        Builder() {
            super("apiBase", ROUTER_CHAT);
            baseUrl(ROUTER_CHAT);
            http2OverTls(true);
        }

        void token(String value) {
            token = value == null || value.isBlank() ? null : Credential.literal(value.strip());
        }

        void token(Credential value) {
            token = value;
        }

        void tokenRequired(boolean value) {
            tokenRequired = value;
        }

        HfSettings build() {
            return new HfSettings(this);
        }
    }
}
