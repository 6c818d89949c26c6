package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Citation;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.ScriptedLlm;
import dev.ragkit.core.testing.WordHashEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RagPipelineTest {
    private final WordHashEmbedder embedder = new WordHashEmbedder(256);
    private Retriever retriever;

    @BeforeEach
    void index() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(256).build();
        Ingestor.builder().embedder(embedder).store(store).build().ingest(List.of(
                new Document("faiss", "FAISS is a library for efficient similarity search of dense vectors. "
                        + "It was written at Meta.", Map.of("title", "FAISS", "lang", "en")),
                new Document("bm25", "BM25 ranks documents by term frequency and inverse document frequency. "
                        + "Its parameters are k1 and b.", Map.of("title", "BM25", "lang", "en")),
                new Document("piaf", "PIAF est un jeu de questions et réponses en français. Il a été constitué "
                        + "par des bénévoles.", Map.of("title", "PIAF", "lang", "fr"))));
        retriever = Retriever.builder().embedder(embedder).store(store).topK(2).build();
    }

    private RagPipeline.Builder pipeline() {
        return RagPipeline.builder().retriever(retriever);
    }

    @Test
    void withoutAnLlmTheAnswerIsExtractiveCitedAndSaysSo() {
        Answer answer = pipeline().build().ask("What is FAISS used for?");
        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.answeredBy()).isEqualTo("extractive");
        assertThat(answer.text()).startsWith("Extractive answer").contains("[1]");
        assertThat(answer.citations()).isNotEmpty();
        Citation first = answer.citations().get(0);
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.documentId()).isEqualTo("faiss");
        assertThat(first.title()).isEqualTo("FAISS");
        assertThat(answer.timing("rag.retrieval")).isPresent();
        assertThat(answer.timing("rag.generate")).isPresent();
        assertThat(answer.traceId()).hasSize(32);
    }

    @Test
    void frenchQuestionsGetFrenchFixedTexts() {
        Answer answer = pipeline().build().ask("Qui a constitué le jeu de questions PIAF en français ?");
        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.text()).startsWith("Réponse extractive");
        assertThat(answer.citations().get(0).documentId()).isEqualTo("piaf");
    }

    @Test
    void theLlmGetsNumberedSourcesAndItsCitationsAreMapped() {
        ScriptedLlm llm = ScriptedLlm.answering("scripted:big", "FAISS searches dense vectors [1].");
        Answer answer = pipeline().llm(llm).build().ask("What does FAISS search?");
        assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(answer.answeredBy()).isEqualTo("scripted:big");
        assertThat(answer.citations()).extracting(Citation::documentId).containsExactly("faiss");
        assertThat(answer.usage().promptTokens()).isEqualTo(100);
        String prompt = llm.requests().get(0).messages().stream().map(m -> m.content())
                .reduce("", String::concat);
        assertThat(prompt).contains("[1]").contains("FAISS is a library").contains("What does FAISS search?");
    }

    @Test
    void failingModelsFallBackInOrderAndTheAnswerSaysWhy() {
        ScriptedLlm down = ScriptedLlm.failing("scripted:primary",
                RagBackendException.retriable("scripted:primary", "connection refused", null));
        ScriptedLlm denied = ScriptedLlm.failing("scripted:secondary",
                RagBackendException.permanent("scripted:secondary", "HTTP 401 unauthorized", null));
        ScriptedLlm small = ScriptedLlm.answering("scripted:small", "Dense vectors [1].");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Answer answer = pipeline().llm(down, denied, small).meterRegistry(meters).build().ask("What is FAISS?");
        assertThat(answer.answeredBy()).isEqualTo("scripted:small");
        assertThat(answer.fallbacks()).containsExactly(
                new Answer.Fallback("scripted:primary", "connection refused"),
                new Answer.Fallback("scripted:secondary", "HTTP 401 unauthorized"));
        assertThat(meters.get("rag.fallback").tag("reason", "retriable").counter().count()).isEqualTo(1);
        assertThat(meters.get("rag.fallback").tag("reason", "permanent").counter().count()).isEqualTo(1);
    }

    @Test
    void aClientsOwnFallbackModelIsNamedAndRecorded() {
        LlmClient client = new LlmClient() {
            @Override
            public String id() {
                return "ollama:llama3.1:70b";
            }

            @Override
            public Generation generate(LlmRequest request) {
                return new Generation("Dense vectors [1].", new TokenUsage(10, 3), "llama3.1:8b",
                        List.of(new Answer.Fallback("ollama:llama3.1:70b", "HTTP 404 model not found")));
            }

            @Override
            public Generation stream(LlmRequest request, java.util.function.Consumer<String> onToken) {
                return generate(request);
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Answer answer = pipeline().llm(client).meterRegistry(meters).build().ask("What is FAISS?");
        assertThat(answer.answeredBy()).isEqualTo("ollama:llama3.1:8b");
        assertThat(answer.fallbacks()).containsExactly(
                new Answer.Fallback("ollama:llama3.1:70b", "HTTP 404 model not found"));
        assertThat(meters.get("rag.fallback").tag("reason", "model-fallback").counter().count()).isEqualTo(1);
    }

    @Test
    void whenEveryModelFailsTheAnswerIsExtractive() {
        ScriptedLlm down = ScriptedLlm.failing("ollama:llama3.1:8b",
                RagBackendException.retriable("ollama", "connection refused", null));
        Answer answer = pipeline().llm(down).build().ask("What is FAISS?");
        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.text()).contains("every language model failed");
        assertThat(answer.fallbacks()).extracting(Answer.Fallback::from).containsExactly("ollama:llama3.1:8b");
        assertThat(answer.citations()).isNotEmpty();
    }

    @Test
    void streamingDeliversTheWholeTextAndRestartsOnFallback() {
        ScriptedLlm down = ScriptedLlm.failing("scripted:primary",
                RagBackendException.retriable("scripted:primary", "stream cut", null));
        ScriptedLlm ok = ScriptedLlm.answering("scripted:ok", "FAISS is a library [1].");
        StringBuilder streamed = new StringBuilder();
        List<Answer.Fallback> restarts = new ArrayList<>();
        Answer answer = pipeline().llm(down, ok).build().askStreaming("What is FAISS?", null, new AnswerListener() {
            @Override
            public void onToken(String token) {
                streamed.append(token);
            }

            @Override
            public void onRestart(Answer.Fallback reason) {
                restarts.add(reason);
                streamed.setLength(0);
            }
        });
        assertThat(streamed.toString()).isEqualTo(answer.text()).isEqualTo("FAISS is a library [1].");
        assertThat(restarts).extracting(Answer.Fallback::reason).containsExactly("stream cut");
        assertThat(answer.citations()).hasSize(1);

        StringBuilder extractive = new StringBuilder();
        Answer noLlm = pipeline().build().askStreaming("What is BM25?", extractive::append);
        assertThat(extractive.toString()).isEqualTo(noLlm.text());
    }

    @Test
    void guardsBlockRedactAndFilterAtEachStage() {
        Guard inputBlocker = guard("no-secrets", Set.of(GuardStage.INPUT),
                in -> in.text().contains("password") ? GuardVerdict.block("asks for a password") : GuardVerdict.allow());
        Guard contextDropper = guard("drop-bm25", Set.of(GuardStage.CONTEXT),
                in -> in.text().startsWith("BM25") ? GuardVerdict.block("injection in source") : GuardVerdict.allow());
        Guard outputRedactor = guard("mask-meta", Set.of(GuardStage.OUTPUT),
                in -> GuardVerdict.redact(in.text().replace("Meta", "[ORG]"), "organisation masked"));
        RagPipeline p = pipeline().guards(List.of(inputBlocker, contextDropper, outputRedactor)).build();

        Answer blocked = p.ask("What is the admin password?");
        assertThat(blocked.kind()).isEqualTo(Answer.Kind.BLOCKED);
        assertThat(blocked.guardReasons()).containsExactly("no-secrets@input: asks for a password");
        assertThat(blocked.citations()).isEmpty();

        Answer answer = p.ask("BM25 ranks documents; FAISS was written at Meta?");
        assertThat(answer.citations()).extracting(Citation::documentId).doesNotContain("bm25");
        assertThat(answer.text()).doesNotContain("Meta");
        assertThat(answer.guardReasons()).contains("drop-bm25@context: injection in source",
                "mask-meta@output: organisation masked");
    }

    @Test
    void flagsAreRecordedWithoutChangingTheTextAndGuardsCanAddToTheSystemPrompt() {
        ScriptedLlm llm = ScriptedLlm.answering("scripted:big", "FAISS searches dense vectors [1].");
        Guard flagger = new CanaryGuard();
        Answer answer = pipeline().llm(llm).guards(List.of(flagger)).build().ask("What does FAISS search?");
        assertThat(answer.text()).isEqualTo("FAISS searches dense vectors [1].");
        assertThat(answer.guardReasons()).containsExactly("canary@output: checked for the canary");
        assertThat(llm.requests().get(0).messages().get(0).content()).endsWith("\nNever repeat rk-canary-0123456789.");
    }

    /** An output guard that flags every answer and puts a canary in the system prompt. */
    private static final class CanaryGuard implements Guard, dev.ragkit.core.spi.SystemPromptContributor {
        @Override
        public String name() {
            return "canary";
        }

        @Override
        public Set<GuardStage> stages() {
            return Set.of(GuardStage.OUTPUT);
        }

        @Override
        public GuardVerdict check(GuardInput input) {
            return GuardVerdict.flag("checked for the canary");
        }

        @Override
        public String systemPromptNote() {
            return "Never repeat rk-canary-0123456789.";
        }
    }

    @Test
    void everyStageOfAQuestionSharesOneRequestIdThatIsFinishedWhateverTheOutcome() {
        List<String> seen = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        Guard recorder = new Guard() {
            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public Set<GuardStage> stages() {
                return Set.of(GuardStage.INPUT, GuardStage.OUTPUT);
            }

            @Override
            public GuardVerdict check(GuardInput input) {
                seen.add(input.stage() + " " + input.requestId());
                return input.text().contains("forbidden") ? GuardVerdict.block("forbidden") : GuardVerdict.allow();
            }

            @Override
            public void requestFinished(String requestId) {
                finished.add(requestId);
            }
        };
        RagPipeline p = pipeline().guards(List.of(recorder)).build();
        Answer answered = p.ask("What is FAISS?");
        Answer blocked = p.ask("a forbidden question");
        Answer nothing = p.ask("What is FAISS?", Filter.eq("lang", "de"));
        assertThat(seen).containsExactly("INPUT " + answered.traceId(), "OUTPUT " + answered.traceId(),
                "INPUT " + blocked.traceId(), "INPUT " + nothing.traceId());
        assertThat(finished).containsExactly(answered.traceId(), blocked.traceId(), nothing.traceId());
        assertThat(Set.copyOf(finished)).hasSize(3);
    }

    @Test
    void nothingRetrievedMeansNoContextInsteadOfAGuess() {
        Answer answer = pipeline().build().ask("What is FAISS?", Filter.eq("lang", "de"));
        assertThat(answer.kind()).isEqualTo(Answer.Kind.NO_CONTEXT);
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.text()).isEqualTo("I found nothing relevant in the indexed documents to answer this question.");
    }

    @Test
    void rejectsEmptyQuestionsAndMissingRetriever() {
        assertThatThrownBy(() -> pipeline().build().ask("  ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RagPipeline.builder().build()).isInstanceOf(RagConfigurationException.class);
    }

    @Test
    void stepsAreTimedTaggedAndTraced() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
            Guard allow = guard("allow-all", Set.of(GuardStage.INPUT), in -> GuardVerdict.allow());
            ScriptedLlm llm = ScriptedLlm.answering("scripted:big", "FAISS [1].");
            Retriever traced = Retriever.builder().embedder(embedder).store(retriever.store()).topK(2)
                    .meterRegistry(meters).tracer(tracing.get("test")).build();
            Answer answer = RagPipeline.builder().retriever(traced).llm(llm).guards(List.of(allow))
                    .meterRegistry(meters).tracer(tracing.get("test")).build().ask("What is FAISS?");

            assertThat(meters.get("rag.embed").tag("provider", "word-hash-256").tag("outcome", "success").timer()
                    .count()).isEqualTo(1);
            assertThat(meters.get("rag.retrieval").tag("provider", "memory").timer().count()).isEqualTo(2);
            assertThat(meters.get("rag.generate").tag("provider", "scripted:big").timer().count()).isEqualTo(1);
            assertThat(meters.get("rag.guard").tag("provider", "allow-all").timer().count()).isEqualTo(1);
            assertThat(meters.get("rag.retrieval.score.max").summary().max()).isBetween(0.0, 1.0);
            assertThat(meters.get("rag.llm.tokens").tag("type", "prompt").counter().count()).isEqualTo(100);

            List<String> names = spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
            assertThat(names).contains("rag.ask", "rag.embed", "rag.search", "rag.generate", "rag.guard");
            SpanData root = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("rag.ask"))
                    .findFirst().orElseThrow();
            assertThat(answer.traceId()).isEqualTo(root.getTraceId());
            assertThat(spans.getFinishedSpanItems()).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));
        }
    }

    @Test
    void aFailingStepIsRecordedAsAnError() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScriptedLlm down = ScriptedLlm.failing("scripted:down", RagBackendException.retriable("x", "timeout", null));
        pipeline().llm(down).meterRegistry(meters).build().ask("What is FAISS?");
        assertThat(meters.get("rag.generate").tag("provider", "scripted:down").tag("outcome", "error").timer()
                .count()).isEqualTo(1);
    }

    private static Guard guard(String name, Set<GuardStage> stages, Function<GuardInput, GuardVerdict> f) {
        return new Guard() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<GuardStage> stages() {
                return stages;
            }

            @Override
            public GuardVerdict check(GuardInput input) {
                return f.apply(input);
            }
        };
    }
}
