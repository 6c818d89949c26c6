package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.StepTiming;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.Splitter;
import dev.ragkit.core.text.TextAnalyzer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a question-answering evaluation through the full {@link RagPipeline}: the passages are
 * ingested, each question is asked, and the answer is scored against the gold answers (exact
 * match, containment, token F1; see {@link AnswerMetrics}); the retrieval step is scored by whether
 * the gold passage is among the top {@code k} documents.
 */
public final class QaEvaluator {
    private QaEvaluator() {
    }

    /**
     * How to run.
     *
     * @param mode retrieval mode of the pipeline
     * @param k how many chunks the pipeline retrieves (and the cut-off of {@code recall@k})
     * @param splitter how passages are cut into chunks
     * @param splitterLabel the splitter, for the report
     * @param analyzer keyword analysis of the store
     * @param analyzerName its name, for the report
     * @param limit score only the first {@code limit} questions (0: all)
     * @param keywordWeights the proximity and subword weights of the store's BM25 ({@link KeywordWeights#PLAIN_BM25}:
     *     plain BM25)
     */
    public record Settings(RetrievalMode mode, int k, Splitter splitter, String splitterLabel, TextAnalyzer analyzer,
                           String analyzerName, int limit, KeywordWeights keywordWeights) {
        /** Settings with Ragkit's default keyword proximity and subwords. */
        public Settings(RetrievalMode mode, int k, Splitter splitter, String splitterLabel, TextAnalyzer analyzer,
                        String analyzerName, int limit) {
            this(mode, k, splitter, splitterLabel, analyzer, analyzerName, limit, KeywordWeights.DEFAULTS);
        }

        public Settings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(splitter, "splitter");
            Objects.requireNonNull(analyzer, "analyzer");
            if (k < 1) {
                throw new InvalidInputException("k was " + k + " but it must be >= 1");
            }
            if (limit < 0) {
                throw new InvalidInputException("limit was " + limit + " but it must be >= 0");
            }
            Objects.requireNonNull(keywordWeights, "keywordWeights");
        }
    }

    /**
     * Evaluates the questions against the passages.
     *
     * @param name the data set's name, for the report
     * @param corpus the passages (a question's {@code contextId} is a passage id)
     * @param questions the questions and gold answers
     * @param embedder the dense model (null for keyword mode)
     * @param embedderLabel its name in the report
     * @param progress where to print progress (may be null)
     */
    public static EvalReport evaluate(String name, List<CorpusDocument> corpus, List<QaExample> questions,
                                      Embedder embedder, String embedderLabel, Settings settings,
                                      PrintStream progress) {
        if (settings.mode() != RetrievalMode.KEYWORD && embedder == null) {
            throw new InvalidInputException("mode " + BeirEvaluator.modeName(settings.mode()) + " needs an embedder");
        }
        Set<String> ids = new LinkedHashSet<>();
        corpus.forEach(d -> ids.add(d.id()));
        Embedder used = embedder == null ? new ConstantEmbedder() : embedder;
        long start = System.nanoTime();
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(used.dimension()).analyzer(settings.analyzer())
                .keywordWeights(settings.keywordWeights())
                .build();
        try {
            List<Document> documents = new ArrayList<>();
            for (CorpusDocument d : corpus) {
                if (!d.indexText().isBlank()) {
                    documents.add(new Document(d.id(), d.indexText(), Map.of("title", d.title())));
                }
            }
            Ingestor.builder().embedder(used).store(store).splitter(settings.splitter()).build().ingest(documents);
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            Retriever retriever = Retriever.builder().embedder(used).store(store).mode(settings.mode())
                    .topK(settings.k()).build();
            RagPipeline pipeline = RagPipeline.builder().retriever(retriever).build();

            List<QaExample> scored = settings.limit() == 0 || settings.limit() >= questions.size() ? questions
                    : questions.subList(0, settings.limit());
            double em = 0;
            double contained = 0;
            double f1 = 0;
            double found = 0;
            double reciprocal = 0;
            Map<Answer.Kind, Integer> kinds = new EnumMap<>(Answer.Kind.class);
            List<Double> pipelineMs = new ArrayList<>();
            Map<String, List<Double>> stepMs = new LinkedHashMap<>();
            int missingContext = 0;
            long queriesStart = System.nanoTime();
            int done = 0;
            for (QaExample q : scored) {
                if (!ids.contains(q.contextId())) {
                    missingContext++;
                }
                long t0 = System.nanoTime();
                Answer answer = pipeline.ask(q.question());
                pipelineMs.add((System.nanoTime() - t0) / 1e6);
                // A step may run more than once per question (hybrid searches twice): sum per question.
                Map<String, Double> perStep = new LinkedHashMap<>();
                for (StepTiming t : answer.timings()) {
                    perStep.merge(t.step(), t.duration().toNanos() / 1e6, Double::sum);
                }
                perStep.forEach((step, ms) -> stepMs.computeIfAbsent(step, s -> new ArrayList<>()).add(ms));
                kinds.merge(answer.kind(), 1, Integer::sum);
                String text = answer.text() == null ? "" : answer.text();
                em += AnswerMetrics.exactMatch(text, q.answers());
                contained += AnswerMetrics.containment(text, q.answers());
                f1 += AnswerMetrics.f1(text, q.answers());
                // The same query again: its embedding is cached by a CachingEmbedder, and the
                // document ranking is the one the pipeline answered from.
                List<String> docs = documentRanking(retriever.retrieve(q.question(), null, settings.k()));
                int rank = docs.indexOf(q.contextId());
                if (rank >= 0) {
                    found++;
                    reciprocal += 1.0 / (rank + 1);
                }
                done++;
                if (progress != null && done % 500 == 0) {
                    progress.printf(Locale.ROOT, "asked %d/%d%n", done, scored.size());
                }
            }
            double querySeconds = (System.nanoTime() - queriesStart) / 1e9;
            int n = scored.size();
            int k = settings.k();
            EvalReport.Builder report = EvalReport.builder(name + " qa " + BeirEvaluator.modeName(settings.mode()) + " "
                            + (settings.mode() == RetrievalMode.KEYWORD ? "analyzer " + settings.analyzerName() : embedderLabel),
                    "qa")
                    .parameter("dataset", name)
                    .parameter("mode", BeirEvaluator.modeName(settings.mode()))
                    .parameter("embedder", settings.mode() == RetrievalMode.KEYWORD ? "none" : embedderLabel)
                    .parameter("analyzer", settings.analyzerName())
                    .parameter("proximity_weight", settings.keywordWeights().proximity())
                    .parameter("subword_weight", settings.keywordWeights().subword())
                    .parameter("splitter", settings.splitterLabel())
                    .parameter("answerer", "extractive (no LLM configured)")
                    .parameter("k", k)
                    .parameter("passages", documents.size())
                    .parameter("chunks", store.count())
                    .queries(n)
                    .metric("recall@" + k, n == 0 ? 0 : found / n)
                    .metric("mrr@" + k, n == 0 ? 0 : reciprocal / n)
                    .metric("em", n == 0 ? 0 : em / n)
                    .metric("containment", n == 0 ? 0 : contained / n)
                    .metric("f1", n == 0 ? 0 : f1 / n)
                    .latency("pipeline", pipelineMs)
                    .duration("ingest", ingestSeconds)
                    .duration("queries", querySeconds)
                    .duration("total", (System.nanoTime() - start) / 1e9);
            stepMs.forEach((step, samples) -> report.latency(step.startsWith("rag.") ? step.substring(4) : step, samples));
            kinds.forEach((kind, count) -> report.note(count + " answers of kind " + kind));
            if (missingContext > 0) {
                report.note(missingContext + " questions name a context_id that is not in the corpus (scored as misses)");
            }
            return report.build();
        } finally {
            store.close();
        }
    }

    /** Document ids in first-seen order of their chunks. */
    static List<String> documentRanking(List<SearchHit> hits) {
        LinkedHashSet<String> docs = new LinkedHashSet<>();
        hits.forEach(h -> docs.add(h.chunk().documentId()));
        return new ArrayList<>(docs);
    }
}
