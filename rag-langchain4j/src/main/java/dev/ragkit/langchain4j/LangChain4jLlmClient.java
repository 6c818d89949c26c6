package dev.ragkit.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Any LangChain4j {@link ChatModel} (and optionally its {@link StreamingChatModel}) as a Ragkit
 * {@link LlmClient}, so the pipeline's fallback chain, token budget and metrics work unchanged.
 *
 * <ul>
 *   <li>Failures become {@link RagBackendException}s, retriable or not (see {@link Failures}).</li>
 *   <li>Token usage is LangChain4j's input/output token counts; absent counts are 0.</li>
 *   <li>An empty answer is a permanent backend failure, never an empty {@link Generation}.</li>
 *   <li>Streaming is watched by this client, not only by the model: LangChain4j's streaming models wait for
 *       their end-of-stream marker, so a stream that is cut (or a server that stops sending) neither
 *       completes nor fails. Here a stream fails with a retriable {@link RagBackendException} when no token
 *       arrives for {@code streamIdleTimeout}, when it takes longer than {@code streamTimeout}, or when it
 *       completes without a finish reason (what a cut OpenAI-style stream looks like).</li>
 *   <li>Without a streaming model, {@link #stream} makes a blocking call and delivers its text as one token.</li>
 * </ul>
 */
public final class LangChain4jLlmClient implements LlmClient {
    private final ChatModel chatModel;
    private final StreamingChatModel streamingModel;
    private final String id;
    private final String modelName;
    private final Duration streamTimeout;
    private final Duration streamIdleTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LangChain4jLlmClient(Builder b) {
        this.chatModel = Objects.requireNonNull(b.chatModel, "chatModel");
        this.streamingModel = b.streamingModel;
        this.modelName = b.modelName != null ? b.modelName : LangChain4jEmbedder.describeModel(chatModel);
        this.id = b.id != null ? b.id : "langchain4j:" + modelName;
        this.streamTimeout = requirePositive(b.streamTimeout, "streamTimeout");
        this.streamIdleTimeout = requirePositive(b.streamIdleTimeout, "streamIdleTimeout");
    }

    /** Settings for a client over {@code chatModel}. */
    public static Builder builder(ChatModel chatModel) {
        return new Builder(chatModel);
    }

    /** Settings of a {@link LangChain4jLlmClient}. */
    public static final class Builder {
        private final ChatModel chatModel;
        private StreamingChatModel streamingModel;
        private String id;
        private String modelName;
        private Duration streamTimeout = Duration.ofMinutes(5);
        private Duration streamIdleTimeout = Duration.ofSeconds(60);

        private Builder(ChatModel chatModel) {
            this.chatModel = chatModel;
        }

        /** The streaming twin of the chat model; without it, streaming is one blocking call. */
        public Builder streamingModel(StreamingChatModel streamingModel) {
            this.streamingModel = streamingModel;
            return this;
        }

        /** The client id, {@code provider:model} (default {@code langchain4j:<model name>}). */
        public Builder id(String id) {
            if (id == null || id.isBlank()) {
                throw new InvalidInputException("LLM client id was '" + id + "' but it must be non-blank");
            }
            this.id = id;
            return this;
        }

        /** The model name reported in {@link Generation#model()} when the response names none. */
        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /** Longest a whole stream may take (default 5 minutes). */
        public Builder streamTimeout(Duration timeout) {
            this.streamTimeout = timeout;
            return this;
        }

        /** Longest wait for the first token and between tokens (default 60 s). */
        public Builder streamIdleTimeout(Duration timeout) {
            this.streamIdleTimeout = timeout;
            return this;
        }

        public LangChain4jLlmClient build() {
            return new LangChain4jLlmClient(this);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Generation generate(LlmRequest request) {
        ensureOpen();
        ChatRequest chatRequest = toChatRequest(request);
        ChatResponse response;
        try {
            response = chatModel.chat(chatRequest);
        } catch (RuntimeException e) {
            throw Failures.map(id, "chat", e);
        }
        return toGeneration(response, null);
    }

    @Override
    public Generation stream(LlmRequest request, Consumer<String> onToken) {
        ensureOpen();
        Objects.requireNonNull(onToken, "onToken");
        if (streamingModel == null) {
            Generation generation = generate(request);
            onToken.accept(generation.text());
            return generation;
        }
        ChatRequest chatRequest = toChatRequest(request);
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder streamed = new StringBuilder();
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        AtomicReference<RuntimeException> consumerFailure = new AtomicReference<>();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String token) {
                if (done.isDone() || token == null || token.isEmpty()) {
                    return;
                }
                lastActivity.set(System.nanoTime());
                try {
                    synchronized (streamed) {
                        streamed.append(token);
                    }
                    onToken.accept(token);
                } catch (RuntimeException e) {
                    // The caller's token consumer failed: that is the caller's error, passed on as is.
                    consumerFailure.set(e);
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        };
        try {
            streamingModel.chat(chatRequest, handler);
        } catch (RuntimeException e) {
            throw Failures.map(id, "streaming chat", e);
        }
        ChatResponse response = await(done, lastActivity, consumerFailure);
        if (response.finishReason() == null) {
            throw RagBackendException.retriable(id, "the stream ended without a finish reason: the connection was"
                    + " cut before the model finished (" + streamed.length() + " characters received)", null);
        }
        String text;
        synchronized (streamed) {
            text = streamed.toString();
        }
        return toGeneration(response, text);
    }

    private ChatResponse await(CompletableFuture<ChatResponse> done, AtomicLong lastActivity,
                               AtomicReference<RuntimeException> consumerFailure) {
        long start = System.nanoTime();
        long idleNanos = streamIdleTimeout.toNanos();
        long totalNanos = streamTimeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            long idleLeft = lastActivity.get() + idleNanos - now;
            long totalLeft = start + totalNanos - now;
            if (totalLeft <= 0) {
                done.cancel(false);
                throw RagBackendException.retriable(id, "the stream took longer than " + streamTimeout
                        + " (streamTimeout)", null);
            }
            if (idleLeft <= 0) {
                done.cancel(false);
                throw RagBackendException.retriable(id, "no token for " + streamIdleTimeout
                        + " (streamIdleTimeout): the server stopped sending or the stream was cut", null);
            }
            try {
                return done.get(Math.min(idleLeft, totalLeft), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // Loop: a token may have arrived meanwhile and moved the idle deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.cancel(false);
                throw RagBackendException.retriable(id, "interrupted while streaming", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause != null && cause == consumerFailure.get()) {
                    throw consumerFailure.get();
                }
                throw Failures.map(id, "streaming chat", cause);
            }
        }
    }

    private Generation toGeneration(ChatResponse response, String streamedText) {
        AiMessage message = response == null ? null : response.aiMessage();
        String text = streamedText != null ? streamedText : message == null ? null : message.text();
        if (text == null || text.isBlank()) {
            throw RagBackendException.permanent(id, "the model returned an empty answer"
                    + (message != null && message.hasToolExecutionRequests() ? " (it asked for a tool call,"
                    + " which Ragkit does not make)" : ""), null);
        }
        dev.langchain4j.model.output.TokenUsage usage = response.tokenUsage();
        TokenUsage tokens = usage == null ? TokenUsage.NONE
                : new TokenUsage(nonNegative(usage.inputTokenCount()), nonNegative(usage.outputTokenCount()));
        String model = response.modelName() != null && !response.modelName().isBlank() ? response.modelName() : modelName;
        return new Generation(text, tokens, model);
    }

    private static long nonNegative(Integer count) {
        return count == null || count < 0 ? 0 : count;
    }

    static ChatRequest toChatRequest(LlmRequest request) {
        List<dev.langchain4j.data.message.ChatMessage> messages = new ArrayList<>(request.messages().size());
        for (ChatMessage m : request.messages()) {
            if (m.content().isBlank()) {
                throw new InvalidInputException("a " + m.role().name().toLowerCase() + " message was empty");
            }
            messages.add(switch (m.role()) {
                case SYSTEM -> SystemMessage.from(m.content());
                case USER -> UserMessage.from(m.content());
                case ASSISTANT -> AiMessage.from(m.content());
            });
        }
        ChatRequest.Builder b = ChatRequest.builder().messages(messages);
        request.maxTokens().ifPresent(b::maxOutputTokens);
        request.temperature().ifPresent(b::temperature);
        return b.build();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("LLM client '" + id + "' is closed");
        }
    }

    /** Marks the client closed; LangChain4j's models have no close and stay with their owner. */
    @Override
    public void close() {
        closed.set(true);
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidInputException(what + " was " + d + " but it must be positive");
        }
        return d;
    }
}
