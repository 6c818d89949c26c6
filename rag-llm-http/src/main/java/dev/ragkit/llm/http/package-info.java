/**
 * Support for Ragkit's HTTP adapters; not a stable API.
 *
 * <p>The pieces that {@code rag-llm-ollama} and {@code rag-llm-hf} share: an HTTP exchange read line by
 * line with a deadline on every wait ({@link dev.ragkit.llm.http.HttpLines},
 * {@link dev.ragkit.llm.http.Exchange}), the classification of what went wrong
 * ({@link dev.ragkit.llm.http.CallFailure}, {@link dev.ragkit.llm.http.Failures}), retries with
 * backoff that honour {@code Retry-After} ({@link dev.ragkit.llm.http.RetryPolicy},
 * {@link dev.ragkit.llm.http.Sleeper}), the primary/fallback model loop
 * ({@link dev.ragkit.llm.http.ModelChain}, and for chat {@link dev.ragkit.llm.http.ChatChain}),
 * embedding batches and vector checks ({@link dev.ragkit.llm.http.EmbeddingBatches}), the bases of
 * the adapters' clients, which leave them one attempt in their wire format to write
 * ({@link dev.ragkit.llm.http.HttpLlmClient}, {@link dev.ragkit.llm.http.HttpEmbedder}), the connection
 * settings both adapters' builders check ({@link dev.ragkit.llm.http.ClientSettings}), the setters
 * every public builder inherits ({@link dev.ragkit.llm.http.HttpClientBuilder},
 * {@link dev.ragkit.llm.http.ChatClientBuilder}, {@link dev.ragkit.llm.http.EmbedderClientBuilder})
 * and the provider keys both adapters read ({@link dev.ragkit.llm.http.ProviderSettings}).
 *
 * <p>The types are public only because the adapters live in other packages. Hosts should not use
 * them directly (the builder bases only through the adapters' builders): they may change in any
 * release without notice. What differs between vendors is passed in
 * as a small parameter (the secret to blank out of quoted server text, how an error body says the
 * model is unknown, the name of the URL setting, HTTP/2 or not) or added by extending
 * {@link dev.ragkit.llm.http.ClientSettings}, never copied.
 */
package dev.ragkit.llm.http;
