package dev.ragkit.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCliTest {
    @TempDir
    Path tmp;

    private record Run(int code, List<String> lines) {
        String last() {
            return lines.get(lines.size() - 1);
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EvalCli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(code, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private Path data() {
        return dev.ragkit.eval.TinyBeirAccess.write(tmp.resolve("tiny"));
    }

    @Test
    void theLuceneStoreCompactsOnFlushInEvaluationsAsInTheCliUnlessSetOtherwise() {
        assertThat(EvalCli.evalStoreSettings("lucene", List.of())).containsEntry("compact-on-flush", "true");
        assertThat(EvalCli.evalStoreSettings("lucene", List.of("rag.store.lucene.compact-on-flush=false")))
                .containsEntry("compact-on-flush", "false");
        assertThat(EvalCli.evalStoreSettings("faiss", List.of())).doesNotContainKey("compact-on-flush");
    }

    @Test
    void beirBm25PrintsTheSummaryLineLastAndWritesTheReports() throws IOException {
        Path out = tmp.resolve("reports");
        Run r = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--out", out.toString());
        assertThat(r.code()).as(String.join("\n", r.lines())).isZero();
        assertThat(r.last()).matches("ndcg@10=1\\.0000 recall@10=1\\.0000 recall@100=1\\.0000 mrr@10=1\\.0000 queries=3");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("tiny-test-bm25-bm25-auto.html", "tiny-test-bm25-bm25-auto.json",
                            "tiny-test-bm25-bm25-auto.md");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Test
    void plainBm25IsAskedForWithProximityAndSubwordZeroAndTheReportSaysSo() throws IOException {
        Path out = tmp.resolve("plain");
        Run r = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--proximity", "0",
                "--subword", "0", "--out", out.toString());
        assertThat(r.code()).as(String.join("\n", r.lines())).isZero();
        assertThat(Files.readString(out.resolve("tiny-test-bm25-bm25-auto-proximity0.0-subword0.0.json")))
                .contains("\"proximity_weight\"").contains("\"subword_weight\"");
        Run bad = run("eval", "qa", "--data", data().toString(), "--mode", "bm25", "--proximity", "-1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.last()).contains("--proximity was '-1'");
        Run badSubword = run("eval", "qa", "--data", data().toString(), "--mode", "bm25", "--subword", "lots");
        assertThat(badSubword.code()).isEqualTo(2);
        assertThat(badSubword.last()).contains("--subword was 'lots'");
    }

    @Test
    void aFailingGateExitsOneAndAPassingGateZero() {
        Run fail = run("eval", "beir", "--data", data().toString(), "--mode", "bm25",
                "--gate", "recall@5>=0.8,retrieval.p95<=0.000001ms");
        assertThat(fail.code()).isEqualTo(1);
        assertThat(fail.lines()).anyMatch(l -> l.startsWith("gate PASS recall@5>=0.8"))
                .anyMatch(l -> l.startsWith("gate FAIL retrieval.p95<=0.000001ms"));
        assertThat(fail.last()).startsWith("ndcg@10=");

        Run pass = run("eval", "beir", "--data", data().toString(), "--mode=bm25", "--gate", "recall@5>=0.8");
        assertThat(pass.code()).isZero();
    }

    @Test
    void usageErrorsExitTwoWithAMessage() {
        assertThat(run().code()).isEqualTo(2);
        Run unknown = run("eval", "beir", "--data", data().toString(), "--colour", "red");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.last()).contains("--colour");
        Run badMode = run("eval", "beir", "--data", data().toString(), "--mode", "sparse");
        assertThat(badMode.last()).contains("sparse");
        Run missing = run("eval", "beir", "--data", tmp.resolve("nope").toString(), "--mode", "bm25");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.last()).contains("nope");
        Run store = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "nosuch");
        assertThat(store.code()).isEqualTo(2);
        assertThat(store.last()).contains("No VectorStore provider named 'nosuch'. Available: [elastic, faiss, lucene, memory, opensearch, redisearch]");
        assertThat(run("eval", "everything").code()).isEqualTo(2);
        Run rrf = run("eval", "beir", "--data", data().toString(), "--mode", "hybrid", "--rrf-k", "0");
        assertThat(rrf.code()).isEqualTo(2);
        assertThat(rrf.last()).contains("--rrf-k was 0");
        Run oneDataset = run("eval", "mixed", "--data", data().toString());
        assertThat(oneDataset.code()).isEqualTo(2);
        assertThat(oneDataset.last()).contains("needs --data at least twice");
        Run sameTwice = run("eval", "mixed", "--data", data().toString(), "--data", data().toString());
        assertThat(sameTwice.code()).isEqualTo(2);
        assertThat(sameTwice.last()).contains("a mixed index needs distinct ids");
        Run badAnalyzer = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--analyzer", "porter");
        assertThat(badAnalyzer.code()).isEqualTo(2);
        assertThat(badAnalyzer.last()).contains("analyzer was 'porter' but it must be one of [auto, french-english, english, french]");
    }

    /** --set passes rag.store.<store>.<key> to the provider: a valid key is used, a bad value is the store's error. */
    @Test
    void beirSetPassesStoreKeysToTheProvider() {
        Path out = tmp.resolve("faiss-reports");
        Run flat = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "faiss",
                "--set", "rag.store.faiss.index=Flat", "--set", "rag.store.faiss.threads=1", "--out", out.toString());
        assertThat(flat.code()).as(String.join("\n", flat.lines())).isZero();
        assertThat(flat.last()).startsWith("ndcg@10=1.0000 ");
        // a store other than the reference names its reports, next to the memory store's
        assertThat(out.resolve("tiny-test-bm25-bm25-auto-faiss.json")).exists();

        Run badIndex = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "faiss",
                "--set", "rag.store.faiss.index=NoSuchIndex");
        assertThat(badIndex.code()).isEqualTo(2);
        assertThat(badIndex.last()).contains("rag.store.faiss.index").contains("NoSuchIndex");

        // A server store gets its url from --set: the error names the address it was given.
        Run unreachable = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "redisearch",
                "--set", "rag.store.redisearch.url=redis://127.0.0.1:1");
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.last()).startsWith("error: ").contains("127.0.0.1:1");
    }

    @Test
    void beirSetRefusesKeysOfAnotherStoreAndTheDimension() {
        Run other = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "faiss",
                "--set", "rag.store.elastic.url=http://127.0.0.1:9200");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.last()).isEqualTo("error: eval beir: option --set was 'rag.store.elastic.url=http://127.0.0.1:9200'"
                + " but with --store faiss it must be rag.store.faiss.<key>=<value>");
        Run noValue = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "faiss",
                "--set", "rag.store.faiss.index");
        assertThat(noValue.code()).isEqualTo(2);
        assertThat(noValue.last()).contains("rag.store.faiss.<key>=<value>");
        Run dimension = run("eval", "beir", "--data", data().toString(), "--mode", "bm25", "--store", "faiss",
                "--set", "rag.store.faiss.dimension=8");
        assertThat(dimension.code()).isEqualTo(2);
        assertThat(dimension.last()).contains("dimension").contains("from the embedder");
        Run memory = run("eval", "beir", "--data", data().toString(), "--mode", "bm25",
                "--set", "rag.store.memory.directory=/tmp/x");
        assertThat(memory.code()).isEqualTo(2);
        assertThat(memory.last()).contains("memory store takes none");
    }

    @Test
    void qaRunsTheFullPipelineInKeywordMode() throws IOException {
        Path dir = tmp.resolve("qa");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("corpus.jsonl"), String.join("\n",
                "{\"_id\": \"p1\", \"title\": \"Tour Eiffel\", \"text\": \"La tour Eiffel mesure 330 mètres. Elle est à Paris.\"}",
                "{\"_id\": \"p2\", \"title\": \"Loire\", \"text\": \"La Loire est le plus long fleuve de France.\"}"));
        Files.writeString(dir.resolve("qa.jsonl"), String.join("\n",
                "{\"id\": \"1\", \"question\": \"Combien mesure la tour Eiffel ?\", \"answers\": [\"330 mètres\"],"
                        + " \"answer_starts\": [22], \"context_id\": \"p1\", \"title\": \"Tour Eiffel\"}",
                "{\"id\": \"2\", \"question\": \"Quel est le plus long fleuve de France ?\", \"answers\": [\"la Loire\"],"
                        + " \"answer_starts\": [0], \"context_id\": \"p2\", \"title\": \"Loire\"}"));
        Run r = run("eval", "qa", "--data", dir.toString(), "--mode", "bm25", "--k", "1");
        assertThat(r.code()).as(String.join("\n", r.lines())).isZero();
        assertThat(r.last()).startsWith("recall@1=1.0000 ").endsWith(" questions=2");
        assertThat(r.lines()).anyMatch(l -> l.contains("containment"));
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Run help = run("eval", "beir", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.lines()).anyMatch(l -> l.contains("bench guards"));
        assertThat(run("bench", "store", "-h").code()).isZero();
    }

    @Test
    void benchStoreRejectsBadOptionsBeforeAnyWork() {
        Run unknown = run("bench", "store", "--size", "10");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.lines())
                .anyMatch(l -> l.startsWith("bench store: unknown option '--size'; known: --builds, --clusters,"));
        assertThat(unknown.last()).startsWith("usage: bench store");
        Run notANumber = run("bench", "store", "--n", "many");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.lines()).contains("bench store: option --n was 'many' but it must be a whole number >= 1");
        Run dataset = run("bench", "store", "--datasets", "synthetic,msmarco");
        assertThat(dataset.lines()).anyMatch(l -> l.contains("'msmarco'"));
        Run missingValue = run("bench", "store", "--seed");
        assertThat(missingValue.lines()).contains("bench store: option --seed needs a value");
        Run elasticWithoutUrl = run("bench", "store", "--store", "elastic");
        assertThat(elasticWithoutUrl.code()).isEqualTo(2);
        assertThat(elasticWithoutUrl.lines()).contains("bench store: option --store elastic needs --elastic-url"
                + " http://host:port (an Elasticsearch 8.x node)");
        Run opensearchWithoutUrl = run("bench", "store", "--store", "opensearch");
        assertThat(opensearchWithoutUrl.code()).isEqualTo(2);
        assertThat(opensearchWithoutUrl.lines()).contains("bench store: option --store opensearch needs --opensearch-url"
                + " http://host:port (an OpenSearch 2.x/3.x node with the k-NN plugin)");
        Run otherStore = run("bench", "store", "--store", "weaviate");
        assertThat(otherStore.code()).isEqualTo(2);
        assertThat(otherStore.lines()).contains("bench store: option --store was 'weaviate' but the stores to add are"
                + " redisearch, elastic, opensearch, lucene and faiss-builds");
        Run badBuilds = run("bench", "store", "--store", "faiss-builds", "--builds", "32");
        assertThat(badBuilds.code()).isEqualTo(2);
        assertThat(badBuilds.lines()).anyMatch(l -> l.startsWith("bench store: option --builds was '32' but"));
    }

    /** A small synthetic run through every store: exact stores have recall 1, the headline line comes last. */
    @Test
    void benchStoreRunsEveryStoreOnASmallSyntheticSet() {
        Run r = run("bench", "store", "--n", "400", "--dim", "8", "--clusters", "5", "--queries", "30", "--seed", "7");
        assertThat(r.code()).as(String.join("\n", r.lines())).isZero();
        assertThat(r.lines()).anyMatch(l -> l.startsWith("# dataset: synthetic n=400 dim=8 clusters=5 spread=0.35 seed=7"))
                // exact searches: the same neighbours as the reference, up to float ties at rank 10
                .anyMatch(l -> l.matches("ragkit-faiss-flat\\s+[0-9.]+\\s+[0-9.]+\\s+(1\\.0000|0\\.99[0-9]{2})\\s.*"))
                .anyMatch(l -> l.matches("langchain4j-inmemory\\s+[0-9.]+\\s+[0-9.]+\\s+(1\\.0000|0\\.99[0-9]{2})\\s.*"));
        assertThat(r.last()).matches("faiss_vs_langchain4j_qps_ratio=[0-9.]+ recall@10=[01]\\.[0-9]{4}");
    }

    @Test
    void benchGuardsMeasuresTheFourGuards() {
        Run r = run("bench", "guards", "--iterations", "100");
        assertThat(r.code()).as(String.join("\n", r.lines())).isZero();
        assertThat(r.lines()).anyMatch(l -> l.startsWith("pii@input wall")).anyMatch(l -> l.startsWith("injection@input cpu"))
                .anyMatch(l -> l.startsWith("toxicity@input wall")).anyMatch(l -> l.startsWith("output@output cpu"))
                .anyMatch(l -> l.startsWith("all four cpu"));
        Run tooFew = run("bench", "guards", "--iterations", "5");
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.last()).isEqualTo("error: bench guards: option --iterations was 5 but it must be >= 100");
    }
}
