package dev.ragkit.tools.bench;

import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.embed.onnx.OnnxEmbedder;
import dev.ragkit.embed.onnx.OnnxModel;
import dev.ragkit.eval.BeirLoader;
import dev.ragkit.eval.CorpusDocument;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench ingest}: embeds and indexes a BEIR corpus (SciFact by default) with the same ONNX
 * model and the same chunks, once with Ragkit's {@link Ingestor} into its {@link MemoryVectorStore},
 * once with LangChain4j's {@link EmbeddingStoreIngestor} into a minimal list-backed store, and
 * compares documents per second.
 *
 * <p>Both sides use Ragkit's {@link RecursiveSplitter} with the same settings (LangChain4j through a
 * {@link DocumentSplitter} adapter), so they embed exactly the same texts and only the ingestion
 * machinery differs. Both run the same ONNX file with the same token window (LangChain4j through
 * {@link OnnxModel#langChain4jModel()}, Ragkit through its own ONNX Runtime encoder); each side embeds
 * a few texts first so neither pays for loading it. No embedding cache is involved.
 */
public final class IngestBench {
    private IngestBench() {
    }

    /**
     * Settings.
     *
     * @param data a BEIR folder with {@code corpus.jsonl}
     * @param model an {@link OnnxModel} configuration name
     * @param limit ingest only the first {@code limit} documents (0: all)
     * @param maxChars splitter chunk size
     * @param overlap splitter overlap
     * @param batchSize Ragkit's ingestion batch size
     */
    public record Settings(Path data, String model, int limit, int maxChars, int overlap, int batchSize) {
    }

    /**
     * The measurement.
     *
     * @param documents documents ingested by each side
     * @param ragkitChunks chunks Ragkit embedded
     * @param langchain4jChunks chunks LangChain4j embedded
     * @param ragkitSeconds Ragkit's wall-clock time
     * @param langchain4jSeconds LangChain4j's wall-clock time
     * @param settings how it was run
     */
    public record Result(int documents, long ragkitChunks, long langchain4jChunks, double ragkitSeconds,
                         double langchain4jSeconds, Settings settings) {
        /** Ragkit's documents per second. */
        public double ragkitDocsPerSecond() {
            return documents / ragkitSeconds;
        }

        /** LangChain4j's documents per second. */
        public double langchain4jDocsPerSecond() {
            return documents / langchain4jSeconds;
        }

        /** Ragkit's throughput over LangChain4j's. */
        public double speedup() {
            return langchain4jSeconds / ragkitSeconds;
        }

        /** The result as a JSON object. */
        public String json() {
            return String.format(Locale.ROOT, "{\n  \"benchmark\": \"ingest\",\n  \"data\": \"%s\",\n"
                            + "  \"model\": \"%s\",\n  \"documents\": %d,\n  \"splitter\": \"recursive %d/%d\",\n"
                            + "  \"ragkit\": {\"chunks\": %d, \"seconds\": %.3f, \"docs_per_second\": %.2f, \"batch_size\": %d},\n"
                            + "  \"langchain4j\": {\"chunks\": %d, \"seconds\": %.3f, \"docs_per_second\": %.2f},\n"
                            + "  \"ingest_speedup_vs_langchain4j\": %.3f,\n  \"cores\": %d,\n  \"java\": \"%s\"\n}",
                    Json.escape(settings.data().toString()), settings.model(), documents, settings.maxChars(),
                    settings.overlap(), ragkitChunks, ragkitSeconds, ragkitDocsPerSecond(), settings.batchSize(),
                    langchain4jChunks, langchain4jSeconds, langchain4jDocsPerSecond(), speedup(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        }
    }

    /** Runs both ingestions, printing progress and docs/s to {@code out}. */
    public static Result run(Settings settings, PrintStream out) {
        OnnxModel model = OnnxModel.fromConfigName(settings.model()).orElseThrow(() -> new InvalidInputException(
                "--model was '" + settings.model() + "' but it must be one of " + OnnxModel.configNames()));
        List<CorpusDocument> corpus = BeirLoader.loadCorpus(settings.data().resolve("corpus.jsonl"));
        if (settings.limit() > 0 && settings.limit() < corpus.size()) {
            corpus = corpus.subList(0, settings.limit());
        }
        List<Document> documents = new ArrayList<>();
        for (CorpusDocument d : corpus) {
            if (!d.indexText().isBlank()) {
                documents.add(new Document(d.id(), d.indexText(), Map.of()));
            }
        }
        RecursiveSplitter splitter = RecursiveSplitter.of(settings.maxChars(), settings.overlap());
        out.printf(Locale.ROOT, "bench ingest: %d documents, model %s, splitter recursive %d/%d, %d cores%n",
                documents.size(), model.configName(), settings.maxChars(), settings.overlap(),
                Runtime.getRuntime().availableProcessors());

        OnnxEmbedder ragkitEmbedder = OnnxEmbedder.builder().model(model).batchSize(settings.batchSize()).build();
        // The same ONNX file and token window on both sides: LangChain4j's stock MiniLM class would cut
        // texts at 128 tokens where Ragkit (and the published model) reads 256, i.e. do half the work.
        EmbeddingModel lc4jModel = model.langChain4jModel();
        List<String> warmup = documents.stream().limit(16).map(Document::text).toList();
        ragkitEmbedder.embedDocuments(warmup);
        lc4jModel.embedAll(warmup.stream().map(TextSegment::from).toList());

        // LangChain4j first, then Ragkit: if anything, the later run sees a warmer JIT.
        out.println("langchain4j EmbeddingStoreIngestor ...");
        ListEmbeddingStore lc4jStore = new ListEmbeddingStore();
        EmbeddingStoreIngestor lc4jIngestor = EmbeddingStoreIngestor.builder()
                .documentSplitter(new SameChunks(splitter))
                .embeddingModel(lc4jModel)
                .embeddingStore(lc4jStore)
                .build();
        List<dev.langchain4j.data.document.Document> lc4jDocs = new ArrayList<>(documents.size());
        for (Document d : documents) {
            lc4jDocs.add(dev.langchain4j.data.document.Document.from(d.text(),
                    dev.langchain4j.data.document.Metadata.from("id", d.id())));
        }
        long t0 = System.nanoTime();
        lc4jIngestor.ingest(lc4jDocs);
        double lc4jSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "  langchain4j: %d chunks in %.2f s = %.2f docs/s%n", lc4jStore.size(), lc4jSeconds,
                documents.size() / lc4jSeconds);

        out.println("ragkit Ingestor ...");
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(ragkitEmbedder.dimension()).build();
        Ingestor ingestor = Ingestor.builder().embedder(ragkitEmbedder).store(store).splitter(splitter)
                .batchSize(settings.batchSize()).build();
        long t1 = System.nanoTime();
        IngestionReport report = ingestor.ingest(documents);
        double ragkitSeconds = (System.nanoTime() - t1) / 1e9;
        out.printf(Locale.ROOT, "  ragkit:      %d chunks in %.2f s = %.2f docs/s%n", report.chunksEmbedded(),
                ragkitSeconds, documents.size() / ragkitSeconds);
        store.close();
        return new Result(documents.size(), report.chunksEmbedded(), lc4jStore.size(), ragkitSeconds, lc4jSeconds,
                settings);
    }

    /** Gives LangChain4j exactly the chunks Ragkit's splitter makes. */
    private record SameChunks(RecursiveSplitter splitter) implements DocumentSplitter {
        @Override
        public List<TextSegment> split(dev.langchain4j.data.document.Document document) {
            String id = document.metadata().getString("id");
            List<TextSegment> segments = new ArrayList<>();
            for (Chunk c : splitter.split(new Document(id, document.text(), Map.of()))) {
                segments.add(TextSegment.from(c.text(), document.metadata().copy().put("index", c.index())));
            }
            return segments;
        }
    }

    /** The smallest LangChain4j store: keeps what it is given, in a list. Thread-safe. */
    private static final class ListEmbeddingStore implements EmbeddingStore<TextSegment> {
        private final List<Embedding> embeddings = new ArrayList<>();
        private final List<TextSegment> segments = new ArrayList<>();
        private final AtomicInteger size = new AtomicInteger();

        int size() {
            return size.get();
        }

        @Override
        public String add(Embedding embedding) {
            return add(embedding, null);
        }

        @Override
        public void add(String id, Embedding embedding) {
            addAll(List.of(id), List.of(embedding), null);
        }

        @Override
        public String add(Embedding embedding, TextSegment segment) {
            String id = UUID.randomUUID().toString();
            addAll(List.of(id), List.of(embedding), segment == null ? null : List.of(segment));
            return id;
        }

        @Override
        public List<String> addAll(List<Embedding> list) {
            List<String> ids = generateIds(list.size());
            addAll(ids, list, null);
            return ids;
        }

        @Override
        public synchronized void addAll(List<String> ids, List<Embedding> list, List<TextSegment> embedded) {
            embeddings.addAll(list);
            if (embedded != null) {
                segments.addAll(embedded);
            }
            size.addAndGet(list.size());
        }

        @Override
        public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
            throw new UnsupportedOperationException("the ingestion benchmark never searches");
        }
    }
}
