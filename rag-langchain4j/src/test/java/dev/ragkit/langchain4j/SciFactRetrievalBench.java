package dev.ragkit.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.ragkit.eval.BeirDataset;
import dev.ragkit.eval.BeirLoader;
import dev.ragkit.eval.CorpusDocument;
import dev.ragkit.eval.EvalQuery;
import dev.ragkit.eval.RetrievalMetric;
import dev.ragkit.store.faiss.FaissVectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SciFact (BEIR test split) retrieval through LangChain4j's {@link EmbeddingStoreContentRetriever}, over a
 * Ragkit FAISS store (through {@link RagkitEmbeddingStore}) and over LangChain4j's
 * {@link InMemoryEmbeddingStore}, in one run: the same documents, the same embeddings (all-MiniLM-L6-v2,
 * quantized, in process), the same queries. Reports nDCG@10 of each and their queries per second, single
 * thread, twice: with the retriever embedding each query (end to end) and with query vectors computed
 * beforehand (the store and the retriever alone, where the two differ).
 *
 * <p>Run from the repository root (see the module README for the command); arguments:
 * {@code <beir-dir> <output-file-without-extension> [rounds]}.
 */
public final class SciFactRetrievalBench {
    private static final int K = 10;

    private SciFactRetrievalBench() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/scifact");
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results/langchain4j-scifact-retrieval");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        BeirDataset dataset = BeirLoader.load(data, "test");
        List<EvalQuery> queries = dataset.evaluationQueries();
        EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (CorpusDocument doc : dataset.corpus()) {
            ids.add(doc.id());
            segments.add(TextSegment.from(doc.indexText()));
        }
        List<Embedding> embeddings = new ArrayList<>();
        for (int from = 0; from < segments.size(); from += 128) {
            embeddings.addAll(model.embedAll(segments.subList(from, Math.min(segments.size(), from + 128))).content());
        }
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "embedded %d documents in %.1f s%n", segments.size(), embedSeconds);

        Map<String, Embedding> queryVectors = new HashMap<>();
        for (EvalQuery q : queries) {
            queryVectors.put(q.text(), model.embed(q.text()).content());
        }
        EmbeddingModel precomputed = new PrecomputedQueries(queryVectors, model.dimension());

        InMemoryEmbeddingStore<TextSegment> memory = new InMemoryEmbeddingStore<>();
        memory.addAll(ids, embeddings, segments);
        try (FaissVectorStore faiss = FaissVectorStore.builder().dimension(model.dimension()).build()) {
            long t1 = System.nanoTime();
            RagkitEmbeddingStore ragkit = RagkitEmbeddingStore.of(faiss);
            ragkit.addAll(ids, embeddings, segments);
            double faissIngestSeconds = (System.nanoTime() - t1) / 1e9;

            Map<String, EmbeddingStore<TextSegment>> stores = Map.of("ragkit-faiss", ragkit, "langchain4j-in-memory", memory);
            StringBuilder json = new StringBuilder("{\n");
            StringBuilder md = new StringBuilder();
            json.append(String.format(Locale.ROOT, "  \"dataset\": \"scifact\", \"split\": \"test\", \"queries\": %d, \"documents\": %d,%n",
                    queries.size(), ids.size()));
            json.append(String.format(Locale.ROOT, "  \"model\": \"all-minilm-l6-v2-q (LangChain4j in-process)\", \"k\": %d,"
                    + " \"rounds\": %d, \"faiss_index\": \"%s\", \"date\": \"%s\",%n", K, rounds, faiss.toString().replace("\"", "'"), Instant.now()));
            json.append(String.format(Locale.ROOT, "  \"document_embedding_seconds\": %.1f, \"ragkit_faiss_ingest_seconds\": %.2f,%n",
                    embedSeconds, faissIngestSeconds));
            md.append("| retrieval | store | nDCG@10 | QPS |\n|---|---|---|---|\n");
            for (String mode : List.of("precomputed-query-vectors", "end-to-end")) {
                EmbeddingModel queryModel = mode.equals("end-to-end") ? model : precomputed;
                int modeRounds = mode.equals("end-to-end") ? Math.max(1, rounds / 5) : rounds;
                Map<String, Double> ndcg = new HashMap<>();
                Map<String, Long> nanos = new HashMap<>();
                Map<String, ContentRetriever> retrievers = new HashMap<>();
                stores.forEach((name, store) -> retrievers.put(name, EmbeddingStoreContentRetriever.builder()
                        .embeddingStore(store).embeddingModel(queryModel).maxResults(K).build()));
                for (String name : retrievers.keySet()) {
                    ndcg.put(name, pass(retrievers.get(name), queries, dataset)); // warm-up, and the quality figure
                }
                for (int r = 0; r < modeRounds; r++) {
                    // Alternate the order each round so that neither store always runs on a warmer JVM.
                    List<String> order = r % 2 == 0 ? List.of("ragkit-faiss", "langchain4j-in-memory")
                            : List.of("langchain4j-in-memory", "ragkit-faiss");
                    for (String name : order) {
                        long start = System.nanoTime();
                        double again = pass(retrievers.get(name), queries, dataset);
                        nanos.merge(name, System.nanoTime() - start, Long::sum);
                        if (again != ndcg.get(name)) {
                            throw new IllegalStateException(name + " gave nDCG@10 " + again + " then " + ndcg.get(name));
                        }
                    }
                }
                double qpsFaiss = queries.size() * (double) modeRounds / (nanos.get("ragkit-faiss") / 1e9);
                double qpsMemory = queries.size() * (double) modeRounds / (nanos.get("langchain4j-in-memory") / 1e9);
                double delta = Math.abs(ndcg.get("ragkit-faiss") - ndcg.get("langchain4j-in-memory"));
                json.append(String.format(Locale.ROOT, "  \"%s\": {\"rounds\": %d, \"ndcg@10_ragkit_faiss\": %.4f,"
                                + " \"ndcg@10_langchain4j_in_memory\": %.4f, \"ndcg@10_abs_difference\": %.4f,"
                                + " \"qps_ragkit_faiss\": %.1f, \"qps_langchain4j_in_memory\": %.1f, \"qps_ratio_faiss_over_memory\": %.2f}%s%n",
                        mode, modeRounds, ndcg.get("ragkit-faiss"), ndcg.get("langchain4j-in-memory"), delta,
                        qpsFaiss, qpsMemory, qpsFaiss / qpsMemory, mode.equals("end-to-end") ? "" : ","));
                md.append(String.format(Locale.ROOT, "| %s | Ragkit FAISS (RagkitEmbeddingStore) | %.4f | %.1f |%n", mode, ndcg.get("ragkit-faiss"), qpsFaiss));
                md.append(String.format(Locale.ROOT, "| %s | LangChain4j InMemoryEmbeddingStore | %.4f | %.1f |%n", mode, ndcg.get("langchain4j-in-memory"), qpsMemory));
                md.append(String.format(Locale.ROOT, "| %s | difference / ratio | %.4f | %.2fx |%n", mode, delta, qpsFaiss / qpsMemory));
                if (delta > 0.005) {
                    System.out.printf(Locale.ROOT, "WARNING: %s nDCG@10 differs by %.4f (> 0.005)%n", mode, delta);
                }
            }
            json.append("}\n");
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(Path.of(out + ".json"), json);
            Files.writeString(Path.of(out + ".md"), md);
            System.out.print(md);
            System.out.println("wrote " + out + ".json and .md");
        }
    }

    /** nDCG@10 over all queries, the mean of per-query nDCG@10 (rag-eval's metric, as in the eval reports). */
    private static double pass(ContentRetriever retriever, List<EvalQuery> queries, BeirDataset dataset) {
        double sum = 0;
        for (EvalQuery q : queries) {
            List<String> ranked = new ArrayList<>(K);
            for (Content c : retriever.retrieve(Query.from(q.text()))) {
                ranked.add((String) c.metadata().get(ContentMetadata.EMBEDDING_ID));
            }
            sum += RetrievalMetric.NDCG.compute(ranked, dataset.qrels().judgments(q.id()), K);
        }
        return sum / queries.size();
    }

    /** Query vectors computed beforehand by the real model, so a pass times the store and retriever only. */
    private record PrecomputedQueries(Map<String, Embedding> vectors, int dimension) implements EmbeddingModel {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            List<Embedding> out = new ArrayList<>(segments.size());
            for (TextSegment s : segments) {
                Embedding e = vectors.get(s.text());
                if (e == null) {
                    throw new IllegalStateException("no precomputed vector for query '" + s.text() + "'");
                }
                out.add(e);
            }
            return Response.from(out);
        }
    }
}
