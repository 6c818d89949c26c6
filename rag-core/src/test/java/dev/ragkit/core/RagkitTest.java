package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.ingest.SkippedDocument;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.testing.TestProviders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagkitTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(
            new MemoryVectorStoreProvider(), new TestProviders.WordsEmbedderProvider(),
            new TestProviders.ScriptedLlmProvider(), new TestProviders.ShoutGuardProvider(),
            new TestProviders.VectorGuardProvider()));

    private static final List<Document> DOCS = List.of(
            new Document("faiss", "FAISS is a library for efficient similarity search of dense vectors."),
            new Document("redis", "Redis stores vector sets and answers similarity queries in memory."),
            new Document("piaf", "PIAF est un jeu de questions et réponses en français."));

    @Test
    void assemblesDefaultsWithHybridRetrievalAndExtractiveAnswers() {
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words"), REGISTRY)) {
            assertThat(rag.store().name()).isEqualTo("memory");
            assertThat(rag.store().dimension()).isEqualTo(64);
            assertThat(rag.store().capabilities()).contains(StoreCapability.KEYWORD_SEARCH, StoreCapability.SCAN);
            assertThat(rag.retriever().mode()).isEqualTo(RetrievalMode.HYBRID);
            assertThat(rag.retriever().topK()).isEqualTo(5);
            assertThat(rag.llms()).isEmpty();

            assertThat(rag.ingestor().ingest(DOCS).chunksEmbedded()).isEqualTo(3);
            Answer answer = rag.pipeline().ask("What is FAISS used for?");
            assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(answer.citations()).isNotEmpty();
            assertThat(answer.citations().get(0).documentId()).isEqualTo("faiss");
        }
    }

    @Test
    void theMemoryStoresProximityWeightIsReadAndZeroIsPlainBm25() {
        // the same words as often in texts as long: only where "ministry" and "sport" stand differs
        List<Document> docs = List.of(
                new Document("apart", "ministry budget figures figures figures figures sport report report"),
                new Document("together", "budget figures figures figures ministry sport report report figures"));
        for (String weight : List.of("0", "0.5")) {
            try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.retrieval.mode", "keyword",
                    "rag.store.memory.proximity-weight", weight), REGISTRY)) {
                rag.ingestor().ingest(docs);
                assertThat(rag.retriever().retrieve("ministry sport", null, 2))
                        .extracting(hit -> hit.chunk().documentId())
                        .as("weight " + weight)
                        .containsExactly(weight.equals("0") ? "apart" : "together", weight.equals("0") ? "together" : "apart");
            }
        }
    }

    @Test
    void theMemoryStoresSubwordWeightIsReadAndZeroIsWholeWordsOnly() {
        List<Document> docs = List.of(new Document("tower", "the eiffel tower stands in paris"),
                new Document("bridge", "a bridge over the river"));
        for (String weight : List.of("0", "0.75")) {
            try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.retrieval.mode", "keyword",
                    "rag.store.memory.subword-weight", weight), REGISTRY)) {
                rag.ingestor().ingest(docs);
                assertThat(rag.retriever().retrieve("eifel", null, 2))
                        .extracting(hit -> hit.chunk().documentId())
                        .as("weight " + weight)
                        .isEqualTo(weight.equals("0") ? List.of() : List.of("tower"));
            }
        }
    }

    @Test
    void meaninglessSubwordWeightsAreReportedByKey() {
        Map<String, String> config = Map.of("rag.embedder", "words",
                "rag.retrieval.keyword-subword-weight", "NaN",
                "rag.store.memory.subword-weight", "-2");
        assertThatThrownBy(() -> Ragkit.fromConfig(config, REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).containsExactlyInAnyOrder(
                        "rag.retrieval.keyword-subword-weight was 'NaN' but it must be a finite number >= 0 (0 turns it off)",
                        "rag.store.memory.subword-weight was '-2.0' but it must be finite and >= 0 (0 turns it off)"));
    }

    @Test
    void wiresLlmChainGuardsAndSettings() {
        Map<String, String> config = Map.of(
                "rag.embedder", "words",
                "rag.embedder.words.dimension", "32",
                "rag.llm", "scripted",
                "rag.llm.scripted.answer", "FAISS searches vectors [1].",
                "rag.guards", "shout",
                "rag.retrieval.mode", "dense",
                "rag.retrieval.top-k", "2");
        try (Ragkit rag = Ragkit.fromConfig(config, REGISTRY)) {
            assertThat(rag.store().dimension()).isEqualTo(32);
            assertThat(rag.retriever().mode()).isEqualTo(RetrievalMode.DENSE);
            assertThat(rag.retriever().topK()).isEqualTo(2);
            rag.ingestor().ingest(DOCS);

            Answer answer = rag.pipeline().ask("efficient similarity search of dense vectors with faiss?");
            assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(answer.answeredBy()).isEqualTo("scripted:test");
            assertThat(answer.citations()).extracting(c -> c.documentId()).containsExactly("faiss");

            assertThat(rag.pipeline().ask("EFFICIENT SEARCH WITH FAISS?").kind()).isEqualTo(Answer.Kind.BLOCKED);
        }
    }

    @Test
    void guardsGetThePipelinesEmbedderAndTheQuestionIsEncodedOnce() {
        Map<String, String> config = Map.of("rag.embedder", "words", "rag.guards", "vectors",
                "rag.retrieval.mode", "dense");
        try (Ragkit rag = Ragkit.fromConfig(config, REGISTRY)) {
            assertThat(TestProviders.VectorGuardProvider.given.id()).isEqualTo(rag.embedder().id());
            rag.ingestor().ingest(DOCS);
            dev.ragkit.core.testing.WordHashEmbedder words = (dev.ragkit.core.testing.WordHashEmbedder) rag.embedder();
            int before = words.queriesEmbedded();
            rag.pipeline().ask("What is FAISS used for?");
            assertThat(words.queriesEmbedded() - before).isEqualTo(1); // the guard's pass, reused by retrieval
            rag.pipeline().ask("What is FAISS used for?");
            assertThat(words.queriesEmbedded() - before).isEqualTo(2);
        }
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.retrieval.mode", "dense"), REGISTRY)) {
            rag.ingestor().ingest(DOCS);
            dev.ragkit.core.testing.WordHashEmbedder words = (dev.ragkit.core.testing.WordHashEmbedder) rag.embedder();
            int before = words.queriesEmbedded();
            rag.pipeline().ask("What is FAISS used for?");
            rag.pipeline().ask("What is FAISS used for?");
            assertThat(words.queriesEmbedded() - before).isEqualTo(2); // no guard: one pass per question
        }
    }

    @Test
    void unknownNamesOfEveryKindAreReportedTogether() {
        Map<String, String> config = Map.of("rag.embedder", "nope", "rag.store", "nosuch", "rag.llm", "ollama",
                "rag.guards", "pii");
        assertThatThrownBy(() -> Ragkit.fromConfig(config, REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).containsExactly(
                        "No Embedder provider named 'nope'. Available: [words]. "
                                + "Add dev.ragkit:rag-embed-nope to the class path.",
                        "No VectorStore provider named 'nosuch'. Available: [memory]. "
                                + "Add dev.ragkit:rag-store-nosuch to the class path.",
                        "No LlmClient provider named 'ollama'. Available: [scripted]. "
                                + "Add dev.ragkit:rag-llm-ollama to the class path.",
                        "No Guard provider named 'pii'. Available: [shout, vectors]. "
                                + "Add dev.ragkit:rag-guard to the class path."));
    }

    @Test
    void everyKeyThatNoComponentReadsIsReportedWithTheClosestKnownKey() {
        Map<String, String> config = Map.of(
                "rag.embedder", "words",
                "rag.store", "memory",
                "rag.store.memory.directry", "/tmp/never-used",
                "rag.retrival.mode", "dense",
                "rag.store.faiss.directory", "/tmp/also-never-used",
                "rag.colour", "red");
        assertThatThrownBy(() -> Ragkit.fromConfig(config, REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).containsExactlyInAnyOrder(
                        "rag.retrival.mode is not a known setting (did you mean rag.retrieval.mode?)",
                        "rag.colour is not a known setting; settings are [rag.cache, rag.embedder, rag.guards, rag.index.rebuild, "
                                + "rag.ingest.batch-size, rag.ingest.concurrency, rag.ingest.max-document-chars, rag.llm, rag.retrieval.candidates, "
                                + "rag.retrieval.keyword-analyzer, rag.retrieval.keyword-proximity-weight, rag.retrieval.keyword-subword-weight, rag.retrieval.min-score, rag.retrieval.mode, rag.retrieval.rrf-k, rag.retrieval.top-k, rag.retrieval.uncovered-language-weight, "
                                + "rag.rollout.auto-advance-after, rag.rollout.compare-share, rag.rollout.max-error-rate, "
                                + "rag.rollout.min-agreement, rag.rollout.min-queries, "
                                + "rag.splitter.max-chars, rag.splitter.overlap-chars, rag.store] and "
                                + "rag.<store|embedder|llm|guard>.<provider>.<key>",
                        "rag.store.memory.directry is not a setting of the VectorStore provider 'memory' (did you mean "
                                + "rag.store.memory.directory?); it reads [rag.store.memory.analyzer, rag.store.memory.dimension, "
                                + "rag.store.memory.directory, rag.store.memory.live-refresh, rag.store.memory.proximity-weight, "
                                + "rag.store.memory.read-only, rag.store.memory.subword-weight]",
                        "rag.store.faiss.directory is set but no VectorStore provider named 'faiss' is configured "
                                + "(rag.store is [memory])"));
    }

    @Test
    void anIndexRefusesAnotherEmbedderNamingBothUnlessTheHostAsksToRebuild(@TempDir Path dir) {
        for (boolean persistent : new boolean[] {false, true}) {
            Map<String, String> minilm = new java.util.HashMap<>(Map.of("rag.embedder", "words",
                    "rag.embedder.words.model", "minilm"));
            if (persistent) {
                minilm.put("rag.store.memory.directory", dir.resolve("index").toString());
            }
            Map<String, String> bge = new java.util.HashMap<>(minilm);
            bge.put("rag.embedder.words.model", "bge");
            if (persistent) {
                try (Ragkit rag = Ragkit.fromConfig(minilm, REGISTRY)) {
                    assertThat(rag.ingestor().ingest(DOCS).chunksEmbedded()).isEqualTo(3);
                    assertThat(rag.store().indexInfo()).hasValueSatisfying(info -> {
                        assertThat(info.embedder()).isEqualTo("word-hash-64-minilm");
                        assertThat(info.dimension()).isEqualTo(64);
                        assertThat(info.splitter()).isEqualTo("recursive(max-chars=1000, overlap-chars=150)");
                    });
                }
                assertThatThrownBy(() -> Ragkit.fromConfig(bge, REGISTRY)).isInstanceOf(RagConfigurationException.class)
                        .hasMessageContaining("built with embedder 'word-hash-64-minilm' (dimension 64)")
                        .hasMessageContaining("uses embedder 'word-hash-64-bge' (dimension 64)")
                        .hasMessageContaining("rag.index.rebuild=true");
                try (Ragkit rag = Ragkit.fromConfig(minilm, REGISTRY)) {
                    assertThat(rag.ingestor().ingest(DOCS).chunksUnchanged()).as("same embedder: unchanged").isEqualTo(3);
                }
                bge.put("rag.index.rebuild", "true");
                try (Ragkit rag = Ragkit.fromConfig(bge, REGISTRY)) {
                    assertThat(rag.store().count()).as("emptied for the new embedder").isZero();
                    IngestionReport report = rag.ingestor().ingest(DOCS);
                    assertThat(report.chunksEmbedded()).as("unchanged text, new embedder: embedded again").isEqualTo(3);
                    assertThat(report.chunksUnchanged()).isZero();
                }
                bge.remove("rag.index.rebuild");
                try (Ragkit rag = Ragkit.fromConfig(bge, REGISTRY)) {
                    assertThat(rag.store().indexInfo().orElseThrow().embedder()).isEqualTo("word-hash-64-bge");
                    assertThat(rag.pipeline().ask("What is FAISS used for?").citations()).isNotEmpty();
                }
            } else {
                // One store shared by two ingestors of different models (a host wiring parts itself).
                try (Ragkit rag = Ragkit.fromConfig(minilm, REGISTRY)) {
                    rag.ingestor().ingest(DOCS);
                    Ingestor other = Ingestor.builder().store(rag.store())
                            .embedder(new dev.ragkit.core.testing.WordHashEmbedder(64, "bge")).build();
                    assertThatThrownBy(() -> other.ingest(DOCS)).isInstanceOf(RagConfigurationException.class)
                            .hasMessageContaining("'word-hash-64-minilm'").hasMessageContaining("'word-hash-64-bge'");
                    assertThatThrownBy(() -> dev.ragkit.core.retrieval.Retriever.builder().store(rag.store())
                            .embedder(new dev.ragkit.core.testing.WordHashEmbedder(64, "bge")).build())
                            .isInstanceOf(RagConfigurationException.class)
                            .hasMessageContaining("this retriever uses embedder 'word-hash-64-bge'");
                }
            }
        }
    }

    @Test
    void badValuesAndMissingProviderKeysAreReportedTogether() {
        Map<String, String> config = Map.of(
                "rag.embedder", "words",
                "rag.llm", "scripted",
                "rag.retrieval.mode", "fuzzy",
                "rag.retrieval.top-k", "zero",
                "rag.retrieval.topk", "3",
                "rag.retrieval.keyword-analyzer", "german",
                "rag.store.memory.analyzer", "porter",
                "rag.retrieval.keyword-proximity-weight", "-1",
                "rag.store.memory.proximity-weight", "lots",
                "rag.splitter.overlap-chars", "2000");
        assertThatThrownBy(() -> Ragkit.fromConfig(config, REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).containsExactlyInAnyOrder(
                        "rag.retrieval.topk is not a known setting (did you mean rag.retrieval.top-k?)",
                        "rag.retrieval.mode was 'fuzzy' but it must be one of dense, keyword (bm25), hybrid",
                        "rag.retrieval.top-k was 'zero' but it must be a number",
                        "rag.retrieval.keyword-analyzer was 'german' but it must be one of [auto, french-english, english, french]",
                        "rag.store.memory.analyzer was 'porter' but it must be one of [auto, french-english, english, french]",
                        "rag.retrieval.keyword-proximity-weight was '-1' but it must be a finite number >= 0 (0 turns it off)",
                        "rag.store.memory.proximity-weight was 'lots' but it must be a number",
                        "rag.splitter.overlap-chars was 2000 but it must be >= 0 and below rag.splitter.max-chars (1000)",
                        "rag.llm.scripted.answer was not set but it is required"));
    }

    @Test
    void aHugeTopKIsRefusedByNameInsteadOfOverflowingTheCandidateCount() {
        // 4 x 536870912 overflows an int: the candidate count used to come out as 40 and the error
        // named 'retrieval candidates', a setting nobody had set.
        for (String topK : List.of("536870912", "10001")) {
            assertThatThrownBy(() -> Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.retrieval.top-k", topK),
                    REGISTRY))
                    .isInstanceOf(RagConfigurationException.class)
                    .hasMessage("rag.retrieval.top-k was " + topK + " but it must be <= 10000");
        }
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.retrieval.top-k", "10000"), REGISTRY)) {
            assertThat(rag.retriever().topK()).isEqualTo(10_000);
        }
    }

    @Test
    void maxDocumentCharsIsReadAndChecked() {
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words"), REGISTRY)) {
            assertThat(rag.ingestor().maxDocumentChars()).isEqualTo(20_000_000);
        }
        Map<String, String> small = Map.of("rag.embedder", "words", "rag.ingest.max-document-chars", "40");
        try (Ragkit rag = Ragkit.fromConfig(small, REGISTRY)) {
            assertThat(rag.ingestor().maxDocumentChars()).isEqualTo(40);
            assertThat(rag.ingestor().ingest(DOCS).skipped()).extracting(SkippedDocument::documentId)
                    .containsExactlyInAnyOrder("faiss", "redis", "piaf");
        }
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.ingest.max-document-chars", "0"),
                REGISTRY))
                .hasMessage("rag.ingest.max-document-chars was 0 but it must be >= 1");
    }

    @Test
    void missingEmbedderIsExplained() {
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of(), REGISTRY))
                .hasMessage("rag.embedder is required (an embedder provider name; available: [words])");
    }

    @Test
    void explicitStoreDimensionMustMatchTheEmbedder() {
        Map<String, String> config = Map.of("rag.embedder", "words", "rag.store.memory.dimension", "384");
        assertThatThrownBy(() -> Ragkit.fromConfig(config, REGISTRY))
                .hasMessage("rag.store.memory.dimension was '384' but embedder 'words' makes vectors of dimension 64");
    }

    @Test
    void persistedIndexSurvivesReassembly(@TempDir Path dir) {
        Map<String, String> config = Map.of("rag.embedder", "words", "rag.store.memory.directory", dir.toString());
        try (Ragkit rag = Ragkit.fromConfig(config, REGISTRY)) {
            assertThat(rag.ingestor().ingest(DOCS).chunksEmbedded()).isEqualTo(3);
        }
        try (Ragkit rag = Ragkit.fromConfig(config, REGISTRY)) {
            assertThat(rag.store().count()).isEqualTo(3);
            assertThat(rag.ingestor().ingest(DOCS).chunksEmbedded()).isZero();
            assertThat(rag.retriever().retrieve("réponses en français").get(0).chunk().documentId())
                    .isEqualTo("piaf");
        }
    }

    @Test
    void assemblyFailureClosesWhatWasOpened(@TempDir Path dir) {
        Map<String, String> bad = Map.of("rag.embedder", "words", "rag.store.memory.directory", dir.toString(),
                "rag.store", "memory", "rag.retrieval.mode", "keyword", "rag.llm", "scripted");
        assertThatThrownBy(() -> Ragkit.fromConfig(bad, REGISTRY)).isInstanceOf(RagConfigurationException.class);
        // The directory lock was released: a correct assembly on the same directory succeeds.
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.store.memory.directory",
                dir.toString()), REGISTRY)) {
            assertThat(rag.store().count()).isZero();
        }
    }
}
