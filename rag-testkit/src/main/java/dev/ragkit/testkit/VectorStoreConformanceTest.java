package dev.ragkit.testkit;

import static dev.ragkit.testkit.StoreFixtures.bruteForce;
import static dev.ragkit.testkit.StoreFixtures.chunkIds;
import static dev.ragkit.testkit.StoreFixtures.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.StoreFixtures.Keyword;
import dev.ragkit.testkit.StoreFixtures.Scored;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link VectorStore} must meet. An adapter's tests extend this class and
 * implement {@link #openStore(int, Path)}; every check then runs against the adapter:
 *
 * <pre>{@code
 * class FaissVectorStoreConformanceTest extends VectorStoreConformanceTest {
 *     protected VectorStore openStore(int dimension, Path directory) {
 *         return FaissVectorStore.builder().dimension(dimension).directory(directory).build();
 *     }
 * }
 * }</pre>
 *
 * <p>The basic checks (upsert, get, count, dense search, scores, input validation, concurrency) always
 * run. One nested group per {@link StoreCapability} runs when the store declares the capability and
 * is skipped otherwise; each group also checks that an undeclared capability throws
 * {@link UnsupportedCapabilityException}, so claims are honest both ways.
 *
 * <p>Data is random with a fixed seed, printed in every assertion description; rerun with
 * {@code -Dragkit.testkit.seed=<seed>} to reproduce another seed. Every failure starts with the
 * contract it checks, e.g. {@code Contract broken: VectorStoreConformanceTest > FILTER > when FILTER is
 * not declared, a filtered search throws UnsupportedCapabilityException [undeclaredFilterThrows]}.
 */
@ExtendWith(ContractFailures.class)
public abstract class VectorStoreConformanceTest {
    /** The seed of every test's random data; override with {@code -Dragkit.testkit.seed}. */
    private static final long SEED = Long.getLong("ragkit.testkit.seed", 20240611L);
    private static final long THREAD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path directory;

    private final Random random = new Random(SEED);
    private final List<VectorStore> opened = new ArrayList<>();
    private final Set<VectorStore> closed = Collections.newSetFromMap(new IdentityHashMap<>());
    private VectorStore store;

    /**
     * Opens a store for vectors of {@code dimension}, creating it when absent. A store that declares
     * {@link StoreCapability#PERSISTENCE} keeps its data under {@code directory} (or in a server
     * namespace derived from it), so that opening it again with the same arguments sees the same
     * data; other stores may ignore {@code directory}. Each test gets a fresh, empty directory; the kit
     * closes every store it opened after the test.
     */
    protected abstract VectorStore openStore(int dimension, Path directory);

    /**
     * Opens the store in {@code directory} read-only, for stores that can: nothing may be written, not
     * even a lock file. Empty (the default) for stores without a read-only mode; the kit's read-only
     * checks are then skipped, visibly.
     */
    protected Optional<VectorStore> openStoreReadOnly(int dimension, Path directory) {
        return Optional.empty();
    }

    /** Dimension of the test vectors; small keeps the kit fast. */
    protected int dimension() {
        return 8;
    }

    /**
     * The share of the exact top-k an approximate store must find, averaged over the queries of a
     * check. Exact stores keep the default of 1.0, which also checks the exact ranking.
     */
    protected double minRecall() {
        return 1.0;
    }

    @AfterEach
    void closeStores() {
        for (VectorStore s : opened) {
            if (!closed.contains(s)) {
                closed.add(s);
                s.close();
            }
        }
    }

    /** The store under test, opened on first use. */
    protected final VectorStore store() {
        if (store == null) {
            store = open();
        }
        return store;
    }

    private VectorStore open() {
        VectorStore s = openStore(dimension(), directory);
        assertThat(s).as(ctx("openStore(%d, dir) result", dimension())).isNotNull();
        opened.add(s);
        return s;
    }

    /** Closes the current store and opens it again on the same directory. */
    private VectorStore reopen() {
        close(store());
        store = open();
        return store;
    }

    private void close(VectorStore s) {
        if (closed.add(s)) {
            s.close();
        }
    }

    private boolean declares(StoreCapability capability) {
        return store().capabilities().contains(capability);
    }

    private void assumeDeclared(StoreCapability capability) {
        assumeTrue(declares(capability), () -> storeName() + " does not declare " + capability);
    }

    private void assumeNotDeclared(StoreCapability capability) {
        assumeFalse(declares(capability), () -> storeName() + " declares " + capability);
    }

    /** Whether the store's search applies {@code filter} exactly, by its {@link VectorStore#filterSupport()}. */
    private boolean filterSupported(Filter filter) {
        return declares(StoreCapability.FILTER) && store().filterSupport().refusal(filter).isEmpty();
    }

    private void assumeFilterSupported(Filter filter) {
        assumeTrue(filterSupported(filter), () -> storeName() + " does not support the filter " + filter + " ("
                + store().filterSupport().refusal(filter).orElse("FILTER not declared") + ")");
    }

    /** The search with {@code filter} throws UnsupportedCapabilityException naming the refused part. */
    private void assertRefused(SoftAssertions softly, String what, Filter filter) {
        String part = store().filterSupport().refusal(filter).orElseThrow();
        Throwable thrown = null;
        try {
            List<SearchHit> hits = dense(randomVector(), 5, filter);
            softly.fail(ctx("%s %s: the store does not support %s, but a search with it answered %d hits instead of "
                    + "refusing it with UnsupportedCapabilityException", what, filter, part, hits.size()));
            return;
        } catch (RuntimeException e) {
            thrown = e;
        }
        softly.assertThat(thrown).as(ctx("%s %s: refusal of the unsupported part %s", what, filter, part))
                .isInstanceOf(UnsupportedCapabilityException.class);
        softly.assertThat(thrown.getMessage()).as(ctx("%s %s: the refusal names the part (operator, key, value type)",
                what, filter)).contains(part);
    }

    private String storeName() {
        return store().name() + " (" + store().getClass().getSimpleName() + ")";
    }

    private boolean exact() {
        return minRecall() >= 1.0;
    }

    /** An assertion description that names the store and the seed to reproduce the data. */
    final String ctx(String format, Object... args) {
        return String.format(format, args) + " [store " + (store == null ? "?" : store.name()) + ", seed " + SEED
                + "; reproduce with -Dragkit.testkit.seed=" + SEED + "]";
    }

    private float[] randomVector() {
        return StoreFixtures.unitVector(random, dimension());
    }

    private List<EmbeddedChunk> corpus(int documents, int perDocument) {
        return StoreFixtures.corpus(random, dimension(), documents, perDocument);
    }

    private static List<Chunk> chunks(List<EmbeddedChunk> embedded) {
        return embedded.stream().map(EmbeddedChunk::chunk).toList();
    }

    private List<SearchHit> dense(float[] query, int topK) {
        return store().search(SearchRequest.dense(query, topK));
    }

    private List<SearchHit> dense(float[] query, int topK, Filter filter) {
        return store().search(SearchRequest.dense(query, topK).withFilter(filter));
    }

    /** Problems of one dense result: own order, hits that are the stored chunks, then exactness or recall. */
    private final class DenseCheck {
        private final SoftAssertions softly = new SoftAssertions();
        private double recallSum;
        private int queries;

        void check(String what, List<SearchHit> hits, List<Scored> expected, int topK) {
            softly.assertThat(StoreFixtures.orderProblems(hits)).as(ctx("%s: order of %s", what, ids(hits))).isEmpty();
            Map<String, Chunk> candidates = new LinkedHashMap<>();
            expected.forEach(s -> candidates.put(s.id(), s.chunk()));
            for (SearchHit hit : hits) {
                softly.assertThat(hit.chunk()).as(ctx("%s: chunk of hit %s", what, hit.id()))
                        .isEqualTo(candidates.get(hit.id()));
            }
            if (exact()) {
                softly.assertThat(StoreFixtures.exactTopKProblems(hits, expected, topK))
                        .as(ctx("%s: exact top-%d versus brute-force cosine", what, topK)).isEmpty();
            } else {
                softly.assertThat(hits.size()).as(ctx("%s: hit count", what)).isLessThanOrEqualTo(topK);
                for (SearchHit hit : hits) {
                    expected.stream().filter(s -> s.id().equals(hit.id())).findFirst().ifPresent(s ->
                            softly.assertThat(hit.score()).as(ctx("%s: score of %s", what, hit.id()))
                                    .isCloseTo(s.score(), within(StoreFixtures.SCORE_TOLERANCE)));
                }
                recallSum += StoreFixtures.recall(hits, expected, topK);
                queries++;
            }
        }

        void assertAll() {
            if (queries > 0) {
                softly.assertThat(recallSum / queries).as(ctx("mean recall over %d queries", queries))
                        .isGreaterThanOrEqualTo(minRecall());
            }
            softly.assertAll();
        }
    }

    // ---------------------------------------------------------------- basics

    @Test
    @DisplayName("describes itself: name, dimension, stable capabilities")
    void describesItself() {
        VectorStore s = store();
        assertThat(s.name()).as(ctx("name")).isNotBlank().matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(s.dimension()).as(ctx("dimension")).isEqualTo(dimension());
        assertThat(s.capabilities()).as(ctx("capabilities")).isNotNull().isEqualTo(s.capabilities());
        assertThat(s.count()).as(ctx("count of a new store")).isZero();
    }

    @Test
    @DisplayName("upsert then get returns the chunks with text, metadata and hash intact")
    void upsertThenGetRoundTrips() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("title", "Ünïcödé — «guillemets» \"quotes\" \\ back\\slash");
        metadata.put("year", 2024L);
        metadata.put("timestamp", 1_700_000_000_123L);
        metadata.put("weight", 2.0); // a whole-valued decimal must stay a Double
        metadata.put("ratio", -0.125);
        metadata.put("published", true);
        metadata.put("draft", false);
        metadata.put("empty", "");
        String text = "Première ligne, « citation » et \"quotes\"\nsecond line\twith tab 😀 中文 \\ end";
        List<EmbeddedChunk> batch = List.of(
                new EmbeddedChunk(Chunk.of("doc-a", 0, text, metadata), randomVector()),
                new EmbeddedChunk(Chunk.of("doc-a", 1, "plain text", Map.of()), randomVector()),
                new EmbeddedChunk(Chunk.of("doc-b", 0, "other document", Map.of("lang", "fr")), randomVector()));
        store().upsert(batch);

        List<Chunk> got = store().get(List.of("doc-b#0", "doc-a#0", "doc-a#1"));
        assertThat(got).as(ctx("get in the requested order"))
                .containsExactly(batch.get(2).chunk(), batch.get(0).chunk(), batch.get(1).chunk());
        Chunk first = got.get(1);
        assertThat(first.text()).as(ctx("text round-trip")).isEqualTo(text);
        assertThat(first.contentHash()).as(ctx("hash round-trip")).isEqualTo(Chunk.hash(text));
        assertThat(first.metadata()).as(ctx("metadata round-trip, types included"))
                .isEqualTo(batch.get(0).chunk().metadata())
                .hasEntrySatisfying("weight", v -> assertThat(v).isInstanceOf(Double.class))
                .hasEntrySatisfying("year", v -> assertThat(v).isInstanceOf(Long.class));
    }

    @Test
    @DisplayName("get keeps the order of the ids asked for and skips unknown ids")
    void getKeepsRequestOrderAndSkipsUnknown() {
        List<EmbeddedChunk> corpus = corpus(5, 4);
        store().upsert(corpus);
        List<EmbeddedChunk> shuffled = new ArrayList<>(corpus);
        Collections.shuffle(shuffled, random);
        List<String> request = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            request.add(shuffled.get(i).id());
            if (i % 3 == 0) {
                request.add("unknown-doc#" + i);
            }
        }
        assertThat(store().get(request)).as(ctx("get(%s)", request)).containsExactlyElementsOf(chunks(shuffled));
        assertThat(store().get(List.of("unknown#0", "doc-999#0"))).as(ctx("get of unknown ids only")).isEmpty();
        assertThat(store().get(List.of())).as(ctx("get of no ids")).isEmpty();
    }

    @Test
    @DisplayName("an empty upsert is a no-op")
    void emptyUpsertIsNoOp() {
        store().upsert(List.of());
        assertThat(store().count()).as(ctx("count after empty upsert")).isZero();
    }

    @Test
    @DisplayName("count is the number of distinct ids stored")
    void countTracksDistinctIds() {
        List<EmbeddedChunk> corpus = corpus(6, 5);
        store().upsert(corpus.subList(0, 10));
        assertThat(store().count()).as(ctx("count after 10")).isEqualTo(10);
        store().upsert(corpus.subList(5, 30));
        assertThat(store().count()).as(ctx("count after overlapping batch")).isEqualTo(30);
    }

    @Test
    @DisplayName("dense search ranks like a brute-force cosine, for several topK")
    void denseSearchMatchesBruteForce() {
        List<EmbeddedChunk> corpus = corpus(40, 5);
        store().upsert(corpus);
        DenseCheck check = new DenseCheck();
        for (int q = 0; q < 20; q++) {
            float[] query = q % 4 == 0 ? StoreFixtures.scaled(randomVector(), 7f) : randomVector();
            List<Scored> expected = bruteForce(corpus, query, null);
            for (int topK : new int[] {1, 5, 10}) {
                check.check("query " + q + " topK " + topK, dense(query, topK), expected, topK);
            }
        }
        check.assertAll();
    }

    @Test
    @DisplayName("scores are the cosine clamped to [0, 1]: opposite vectors score 0, ties at 0 ordered by id")
    void scoresAreClampedCosine() {
        List<EmbeddedChunk> corpus = new ArrayList<>(corpus(10, 5));
        float[] query = randomVector();
        corpus.add(new EmbeddedChunk(Chunk.of("opposite", 0, "points away from the query", Map.of()),
                StoreFixtures.scaled(query, -2f)));
        corpus.add(new EmbeddedChunk(Chunk.of("same", 0, "points like the query", Map.of()),
                StoreFixtures.scaled(query, 0.5f)));
        store().upsert(corpus);
        List<SearchHit> hits = dense(query, corpus.size());
        DenseCheck check = new DenseCheck();
        check.check("all chunks", hits, bruteForce(corpus, query, null), corpus.size());
        check.assertAll();
        assertThat(hits).as(ctx("scores in [0, 1]")).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        assertThat(hits.get(0).id()).as(ctx("best hit")).isEqualTo("same#0");
        assertThat(hits.get(0).score()).as(ctx("score of a parallel vector")).isCloseTo(1.0,
                within(StoreFixtures.SCORE_TOLERANCE));
        hits.stream().filter(h -> h.id().equals("opposite#0")).findFirst().ifPresent(h ->
                assertThat(h.score()).as(ctx("score of the opposite vector")).isCloseTo(0.0,
                        within(StoreFixtures.SCORE_TOLERANCE)));
    }

    @Test
    @DisplayName("equal scores are ordered by ascending chunk id")
    void tiesAreBrokenByAscendingId() {
        float[] shared = randomVector();
        List<EmbeddedChunk> batch = new ArrayList<>();
        for (String doc : List.of("tie-c", "tie-a", "tie-b", "tie-aa")) {
            batch.add(new EmbeddedChunk(Chunk.of(doc, 0, "same vector as the others", Map.of()), shared));
        }
        batch.addAll(corpus(5, 4));
        store().upsert(batch);
        List<SearchHit> hits = dense(shared, 4);
        assertThat(StoreFixtures.orderProblems(hits)).as(ctx("order of %s", ids(hits))).isEmpty();
        if (exact()) {
            assertThat(ids(hits)).as(ctx("identical vectors, best first")).containsExactly("tie-a#0", "tie-aa#0",
                    "tie-b#0", "tie-c#0");
            assertThat(hits).as(ctx("identical scores")).allSatisfy(h -> assertThat(h.score())
                    .isEqualTo(hits.get(0).score()));
        }
    }

    @Test
    @DisplayName("a stored vector's nearest neighbour is itself, with score 1")
    void storedVectorFindsItself() {
        List<EmbeddedChunk> corpus = corpus(20, 5);
        store().upsert(corpus);
        int found = 0;
        List<String> misses = new ArrayList<>();
        for (EmbeddedChunk c : corpus.subList(0, 40)) {
            List<SearchHit> hits = dense(c.vector(), 1);
            if (!hits.isEmpty() && hits.get(0).id().equals(c.id())) {
                found++;
                assertThat(hits.get(0).score()).as(ctx("self score of %s", c.id())).isCloseTo(1.0,
                        within(StoreFixtures.SCORE_TOLERANCE));
            } else {
                misses.add(c.id() + " -> " + ids(hits));
            }
        }
        assertThat(found / 40.0).as(ctx("share of stored vectors finding themselves; misses %s", misses))
                .isGreaterThanOrEqualTo(minRecall());
    }

    @Test
    @DisplayName("topK larger than the store returns every chunk")
    void topKLargerThanStore() {
        List<EmbeddedChunk> corpus = corpus(3, 4);
        store().upsert(corpus);
        float[] query = randomVector();
        List<SearchHit> hits = dense(query, 1000);
        DenseCheck check = new DenseCheck();
        check.check("topK 1000 over 12 chunks", hits, bruteForce(corpus, query, null), 1000);
        check.assertAll();
        assertThat(hits).as(ctx("hits")).hasSizeLessThanOrEqualTo(corpus.size());
    }

    @Test
    @DisplayName("searching an empty store returns no hits")
    void emptyStoreReturnsNoHits() {
        assertThat(dense(randomVector(), 10)).as(ctx("dense search of an empty store")).isEmpty();
        store().upsert(List.of());
        assertThat(dense(randomVector(), 1)).as(ctx("dense search after an empty upsert")).isEmpty();
    }

    @Test
    @DisplayName("minScore drops exactly the hits scoring below it")
    void minScoreDropsLowerHits() {
        List<EmbeddedChunk> corpus = corpus(20, 5);
        store().upsert(corpus);
        SoftAssertions softly = new SoftAssertions();
        for (int q = 0; q < 10; q++) {
            float[] query = randomVector();
            List<Scored> expected = bruteForce(corpus, query, null);
            double minScore = expected.get(expected.size() / 4).score();
            List<SearchHit> hits = store().search(SearchRequest.dense(query, 50).withMinScore(minScore));
            softly.assertThat(hits).as(ctx("query %d: every hit scores >= %s", q, minScore))
                    .allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(minScore));
            softly.assertThat(StoreFixtures.orderProblems(hits)).as(ctx("query %d: order", q)).isEmpty();
            if (exact()) {
                Set<String> mustHave = expected.stream()
                        .filter(s -> s.score() >= minScore + StoreFixtures.SCORE_TOLERANCE).map(Scored::id)
                        .collect(Collectors.toSet());
                Set<String> mayHave = expected.stream()
                        .filter(s -> s.score() >= minScore - StoreFixtures.SCORE_TOLERANCE).map(Scored::id)
                        .collect(Collectors.toSet());
                softly.assertThat(ids(hits)).as(ctx("query %d: hits at or above minScore %s", q, minScore))
                        .containsAll(mustHave);
                softly.assertThat(mayHave).as(ctx("query %d: no hit below minScore %s", q, minScore))
                        .containsAll(ids(hits));
            }
        }
        List<Scored> expected = bruteForce(corpus, corpus.get(0).vector(), null);
        softly.assertThat(store().search(SearchRequest.dense(corpus.get(0).vector(), 10).withMinScore(1.0)).size())
                .as(ctx("minScore 1.0 keeps at most the exact matches")).isLessThanOrEqualTo(
                        (int) expected.stream().filter(s -> s.score() >= 1 - StoreFixtures.SCORE_TOLERANCE).count());
        softly.assertAll();
    }

    @Test
    @DisplayName("upserting the same batch twice changes nothing")
    void upsertIsIdempotent() {
        List<EmbeddedChunk> corpus = corpus(10, 5);
        store().upsert(corpus);
        float[] query = randomVector();
        List<SearchHit> before = dense(query, 20);
        store().upsert(corpus);
        assertThat(store().count()).as(ctx("count after the second upsert")).isEqualTo(corpus.size());
        assertThat(store().get(chunkIds(corpus))).as(ctx("get after the second upsert"))
                .containsExactlyElementsOf(chunks(corpus));
        List<SearchHit> after = dense(query, 20);
        assertThat(ids(after)).as(ctx("search after the second upsert")).isEqualTo(ids(before));
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).score()).as(ctx("score of %s", after.get(i).id()))
                    .isCloseTo(before.get(i).score(), within(1e-6));
        }
    }

    @Test
    @DisplayName("upserting an existing id replaces its text, metadata and vector")
    void upsertReplacesExistingId() {
        List<EmbeddedChunk> corpus = corpus(5, 4);
        store().upsert(corpus);
        EmbeddedChunk old = corpus.get(7);
        float[] newVector = randomVector();
        Chunk replacement = Chunk.of(old.chunk().documentId(), old.chunk().index(), "replaced text",
                Map.of("lang", "xx", "version", 2));
        store().upsert(List.of(new EmbeddedChunk(replacement, newVector)));

        assertThat(store().count()).as(ctx("count after replacing")).isEqualTo(corpus.size());
        assertThat(store().get(List.of(old.id()))).as(ctx("get after replacing")).containsExactly(replacement);
        List<SearchHit> hits = dense(newVector, 1);
        if (exact()) {
            assertThat(hits).as(ctx("nearest to the new vector")).hasSize(1);
            assertThat(hits.get(0).chunk()).as(ctx("nearest to the new vector")).isEqualTo(replacement);
        }
        List<SearchHit> all = dense(old.vector(), corpus.size());
        all.stream().filter(h -> h.id().equals(old.id())).findFirst().ifPresent(h ->
                assertThat(h.score()).as(ctx("score of the replaced chunk against its old vector"))
                        .isCloseTo(StoreFixtures.expectedScore(old.vector(), newVector),
                                within(StoreFixtures.SCORE_TOLERANCE)));
    }

    @Test
    @DisplayName("upsert with a wrong dimension is rejected, naming the dimension, and writes nothing")
    void upsertRejectsWrongDimension() {
        List<EmbeddedChunk> existing = corpus(2, 3);
        store().upsert(existing);
        List<EmbeddedChunk> batch = new ArrayList<>(corpus(3, 2).stream()
                .map(c -> new EmbeddedChunk(Chunk.of("new-" + c.chunk().documentId(), c.chunk().index(),
                        c.chunk().text(), c.chunk().metadata()), c.vector()))
                .toList());
        batch.add(2, new EmbeddedChunk(Chunk.of("bad", 0, "wrong dimension", Map.of()),
                StoreFixtures.unitVector(random, dimension() + 1)));
        assertThatThrownBy(() -> store().upsert(batch),
                ctx("upsert of a batch with a vector of dimension %d into a store of dimension %d must throw "
                        + "InvalidInputException", dimension() + 1, dimension()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll("dimension", String.valueOf(dimension() + 1));
        assertThat(store().count()).as(ctx("count after the rejected batch")).isEqualTo(existing.size());
        assertThat(store().get(chunkIds(batch))).as(ctx("chunks of the rejected batch")).isEmpty();
    }

    @Test
    @DisplayName("a query with a wrong dimension is rejected, naming the dimension")
    void searchRejectsWrongDimension() {
        store().upsert(corpus(2, 3));
        float[] tooShort = StoreFixtures.unitVector(random, dimension() - 1);
        assertThatThrownBy(() -> dense(tooShort, 3), ctx("a query of dimension %d must throw InvalidInputException",
                dimension() - 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension");
        float[] tooLong = StoreFixtures.unitVector(random, dimension() * 2);
        assertThatThrownBy(() -> dense(tooLong, 3), ctx("a query of dimension %d must throw InvalidInputException",
                dimension() * 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension");
    }

    @Test
    @DisplayName("NaN in a chunk vector or a query is rejected, naming NaN, and nothing is written")
    void nanIsRejected() {
        List<EmbeddedChunk> existing = corpus(2, 3);
        store().upsert(existing);
        float[] withNan = randomVector();
        withNan[dimension() / 2] = Float.NaN;
        // The core's value types reject NaN before a store sees it; the check covers the path a caller takes.
        assertThatThrownBy(() -> store().upsert(List.of(
                new EmbeddedChunk(Chunk.of("nan-doc", 0, "ok", Map.of()), randomVector()),
                new EmbeddedChunk(Chunk.of("nan-doc", 1, "nan", Map.of()), withNan))),
                ctx("upsert with NaN must throw InvalidInputException"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> dense(withNan, 3), ctx("a query with NaN must throw InvalidInputException"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThat(store().count()).as(ctx("count after NaN")).isEqualTo(existing.size());
        assertThat(store().get(List.of("nan-doc#0", "nan-doc#1"))).as(ctx("chunks of the NaN batch")).isEmpty();
    }

    @Test
    @DisplayName("a batch with the same id twice is rejected, naming the id, and writes nothing")
    void duplicateIdsInBatchRejected() {
        List<EmbeddedChunk> existing = corpus(2, 3);
        store().upsert(existing);
        List<EmbeddedChunk> batch = List.of(
                new EmbeddedChunk(Chunk.of("dup-doc", 0, "first", Map.of()), randomVector()),
                new EmbeddedChunk(Chunk.of("dup-doc", 1, "other", Map.of()), randomVector()),
                new EmbeddedChunk(Chunk.of("dup-doc", 0, "second", Map.of()), randomVector()));
        assertThatThrownBy(() -> store().upsert(batch),
                ctx("upsert of a batch holding dup-doc#0 twice must throw InvalidInputException"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dup-doc#0");
        assertThat(store().count()).as(ctx("count after the rejected batch")).isEqualTo(existing.size());
        assertThat(store().get(List.of("dup-doc#0", "dup-doc#1"))).as(ctx("chunks of the rejected batch")).isEmpty();
    }

    @Test
    @DisplayName("concurrent writers and readers: no error, and every write is visible afterwards")
    void concurrentWritersAndReaders() throws Exception {
        int writers = 4;
        int readers = 4;
        List<List<EmbeddedChunk>> parts = new ArrayList<>();
        List<EmbeddedChunk> all = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<EmbeddedChunk> part = new ArrayList<>();
            for (EmbeddedChunk c : corpus(12, 5)) {
                Chunk renamed = Chunk.of("w" + w + "-" + c.chunk().documentId(), c.chunk().index(), c.chunk().text(),
                        c.chunk().metadata());
                part.add(new EmbeddedChunk(renamed, c.vector()));
            }
            parts.add(part);
            all.addAll(part);
        }
        List<float[]> queries = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            queries.add(randomVector());
        }
        VectorStore s = store();
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger writing = new AtomicInteger(writers);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (List<EmbeddedChunk> part : parts) {
            tasks.add(() -> {
                try {
                    start.await();
                    for (int i = 0; i < part.size(); i += 6) {
                        s.upsert(part.subList(i, Math.min(part.size(), i + 6)));
                    }
                    return part.size();
                } finally {
                    writing.decrementAndGet();
                }
            });
        }
        for (float[] query : queries) {
            tasks.add(() -> {
                start.await();
                int searches = 0;
                // Keep reading until every writer is done, and at least a few times.
                while (writing.get() > 0 || searches < 10) {
                    List<SearchHit> hits = s.search(SearchRequest.dense(query, 10));
                    List<String> problems = StoreFixtures.orderProblems(hits);
                    if (!problems.isEmpty()) {
                        throw new AssertionError("search during writes: " + problems);
                    }
                    long count = s.count();
                    if (count < 0 || count > all.size()) {
                        throw new AssertionError("count during writes was " + count);
                    }
                    searches++;
                }
                return searches;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                try {
                    f.get(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError(ctx("a concurrent writer or reader failed"), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.count()).as(ctx("count after concurrent writes")).isEqualTo(all.size());
        assertThat(s.get(chunkIds(all))).as(ctx("get after concurrent writes")).containsExactlyElementsOf(chunks(all));
        DenseCheck check = new DenseCheck();
        for (float[] query : queries) {
            check.check("search after concurrent writes", dense(query, 10), bruteForce(all, query, null), 10);
        }
        check.assertAll();
    }

    @Test
    @DisplayName("a closed store fails clearly instead of answering")
    void closedStoreFailsClearly() {
        VectorStore s = store();
        s.upsert(corpus(1, 2));
        close(s);
        assertThatThrownBy(() -> s.search(SearchRequest.dense(randomVector(), 3)),
                ctx("search after close must throw, not answer"))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(e.getMessage()).as("message").isNotBlank());
        assertThatThrownBy(() -> s.upsert(corpus(1, 1)), ctx("upsert after close must throw, not write"))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(e.getMessage()).as("message").isNotBlank());
    }

    @Test
    @DisplayName("the index records what built it: empty at first, then the last record, which writes do not change")
    void indexInfoIsKeptAndReplaced() {
        assertThat(store().indexInfo()).as(ctx("indexInfo of a new store (contract: empty until recorded)")).isEmpty();
        IndexInfo first = new IndexInfo("test:model-a", dimension(), "recursive(max-chars=1000, overlap-chars=150)");
        store().recordIndexInfo(first);
        assertThat(store().indexInfo()).as(ctx("indexInfo after recordIndexInfo")).contains(first);
        store().upsert(corpus(2, 2));
        assertThat(store().indexInfo()).as(ctx("indexInfo after an upsert (contract: writes keep the record)"))
                .contains(first);
        IndexInfo second = new IndexInfo("test:model-a", dimension(), "recursive(max-chars=500, overlap-chars=50)");
        store().recordIndexInfo(second);
        assertThat(store().indexInfo()).as(ctx("indexInfo after a second record (contract: it replaces the first)"))
                .contains(second);
    }

    // ---------------------------------------------------------------- capabilities

    /**
     * {@link StoreCapability#FILTER}: every operator the store's {@link VectorStore#filterSupport()} covers,
     * checked against {@link Filter#test(Chunk)}; every part it does not cover refused, never dropped.
     */
    @Nested
    @DisplayName("FILTER")
    class FilterCapability {
        @Test
        @DisplayName("every supported operator returns exactly the chunks Filter.test accepts; the rest is refused")
        void everyOperatorMatchesTheReference() {
            assumeDeclared(StoreCapability.FILTER);
            List<EmbeddedChunk> corpus = corpus(12, 10);
            store().upsert(corpus);
            SoftAssertions softly = new SoftAssertions();
            for (Map.Entry<String, Filter> entry : StoreFixtures.filtersForCorpus().entrySet()) {
                Filter filter = entry.getValue();
                if (!filterSupported(filter)) {
                    assertRefused(softly, entry.getKey(), filter);
                    continue;
                }
                float[] query = randomVector();
                Set<String> expected = corpus.stream().filter(c -> filter.test(c.chunk())).map(EmbeddedChunk::id)
                        .collect(Collectors.toCollection(java.util.TreeSet::new));
                List<SearchHit> hits = dense(query, corpus.size(), filter);
                Set<String> actual = new java.util.TreeSet<>(ids(hits));
                Set<String> extra = new java.util.TreeSet<>(actual);
                extra.removeAll(expected);
                Set<String> missing = new java.util.TreeSet<>(expected);
                missing.removeAll(actual);
                softly.assertThat(extra).as(ctx("%s %s: hits Filter.test rejects", entry.getKey(), filter)).isEmpty();
                if (exact()) {
                    softly.assertThat(missing).as(ctx("%s %s: matching chunks not returned", entry.getKey(), filter))
                            .isEmpty();
                }
            }
            softly.assertAll();
        }

        @Test
        @DisplayName("a filtered search returns min(topK, matching) hits, the best of the matching ones")
        void filteredTopKIsTheBestMatching() {
            assumeDeclared(StoreCapability.FILTER);
            List<EmbeddedChunk> corpus = corpus(12, 10);
            store().upsert(corpus);
            DenseCheck check = new DenseCheck();
            for (Map.Entry<String, Filter> entry : StoreFixtures.filtersForCorpus().entrySet()) {
                if (!filterSupported(entry.getValue())) {
                    continue; // refused, as everyOperatorMatchesTheReference checks
                }
                float[] query = randomVector();
                List<Scored> expected = bruteForce(corpus, query, entry.getValue());
                List<SearchHit> hits = dense(query, 5, entry.getValue());
                check.check(entry.getKey() + " " + entry.getValue() + " topK 5", hits, expected, 5);
                check.softly.assertThat(hits.size()).as(ctx("%s: hit count with %d matching", entry.getKey(),
                        expected.size())).isEqualTo(Math.min(5, expected.size()));
            }
            check.assertAll();
        }

        @Test
        @DisplayName("a filter matching nothing, or an empty store, gives no hits")
        void filterMatchingNothing() {
            assumeDeclared(StoreCapability.FILTER);
            assumeFilterSupported(Filter.eq("lang", "fr"));
            assertThat(dense(randomVector(), 5, Filter.eq("lang", "fr"))).as(ctx("filtered search of an empty store"))
                    .isEmpty();
            store().upsert(corpus(4, 5));
            assertThat(dense(randomVector(), 5, Filter.eq("lang", "no-such-language")))
                    .as(ctx("filter matching nothing")).isEmpty();
        }

        @Test
        @DisplayName("filters combine with minScore")
        void filterWithMinScore() {
            assumeDeclared(StoreCapability.FILTER);
            Filter filter = Filter.in("lang", List.of("fr", "en"));
            assumeFilterSupported(filter);
            List<EmbeddedChunk> corpus = corpus(12, 10);
            store().upsert(corpus);
            float[] query = randomVector();
            List<Scored> expected = bruteForce(corpus, query, filter);
            double minScore = expected.get(expected.size() / 3).score();
            List<SearchHit> hits = store().search(SearchRequest.dense(query, 100).withFilter(filter)
                    .withMinScore(minScore));
            assertThat(hits).as(ctx("hits of %s with minScore %s", filter, minScore)).isNotEmpty()
                    .allSatisfy(h -> {
                        assertThat(filter.test(h.chunk())).as("filter holds for %s", h.id()).isTrue();
                        assertThat(h.score()).as("score of %s", h.id()).isGreaterThanOrEqualTo(minScore);
                    });
        }

        @Test
        @DisplayName("when FILTER is not declared, a filtered search throws UnsupportedCapabilityException (a filter is never ignored)")
        void undeclaredFilterThrows() {
            assumeNotDeclared(StoreCapability.FILTER);
            store().upsert(corpus(2, 3));
            assertThatThrownBy(() -> dense(randomVector(), 3, Filter.eq("lang", "fr")),
                    ctx("a filtered search on a store that does not declare FILTER must throw "
                            + "UnsupportedCapabilityException, never ignore the filter"))
                    .isInstanceOf(UnsupportedCapabilityException.class);
        }

        @Test
        @DisplayName("filterSupport() is empty exactly when FILTER is not declared")
        void filterSupportAgreesWithTheDeclaration() {
            assertThat(store().filterSupport()).as(ctx("filterSupport()")).isNotNull();
            assertThat(store().filterSupport().isEmpty()).as(ctx("filterSupport() %s is empty, while FILTER is %s",
                    store().filterSupport().describe(), declares(StoreCapability.FILTER) ? "declared" : "not declared"))
                    .isEqualTo(!declares(StoreCapability.FILTER));
        }

        @Test
        @DisplayName("when FILTER is declared in part, every unsupported operator, value type, connective and "
                + "negated range is refused, also inside supported and/or/not (never dropped)")
        void everyUnsupportedPartIsRefused() {
            assumeDeclared(StoreCapability.FILTER);
            FilterSupport support = store().filterSupport();
            Map<String, Filter> unsupported = new java.util.LinkedHashMap<>();
            for (FilterSupport.Operator op : FilterSupport.Operator.values()) {
                for (FilterSupport.ValueType type : FilterSupport.ValueType.values()) {
                    if (!(op.isRange() && type == FilterSupport.ValueType.BOOLEAN) && !support.supports(op, type)) {
                        unsupported.put(op.filterName() + " " + type, StoreFixtures.sampleFilter(op, type));
                    }
                }
            }
            for (FilterSupport.ValueType type : List.of(FilterSupport.ValueType.STRING, FilterSupport.ValueType.NUMBER)) {
                Filter negated = Filter.not(StoreFixtures.sampleFilter(FilterSupport.Operator.GT, type));
                if (support.refusal(negated).isPresent()) {
                    unsupported.put("negated range " + type, negated);
                }
            }
            Filter a = Filter.eq("lang", "fr");
            Filter b = Filter.eq("lang", "de");
            for (Filter f : List.of(Filter.and(a, b), Filter.or(a, b), Filter.not(a))) {
                if (support.refusal(f).isPresent()) {
                    unsupported.put("connective " + f, f);
                }
            }
            assumeFalse(unsupported.isEmpty(), () -> storeName() + " supports every filter: nothing to refuse");
            store().upsert(corpus(4, 5));
            SoftAssertions softly = new SoftAssertions();
            for (Map.Entry<String, Filter> entry : unsupported.entrySet()) {
                assertRefused(softly, entry.getKey(), entry.getValue());
                // Inside connectives the store supports, the part is still refused, not left out.
                for (Filter around : List.of(Filter.and(Filter.eq("lang", "fr"), entry.getValue()),
                        Filter.or(Filter.eq("lang", "fr"), entry.getValue()), Filter.not(entry.getValue()))) {
                    if (support.refusal(around).isPresent()) {
                        assertRefused(softly, entry.getKey() + " nested", around);
                    }
                }
            }
            softly.assertAll();
        }
    }

    /** {@link StoreCapability#DELETE}: deleted chunks are gone from every read path. */
    @Nested
    @DisplayName("DELETE")
    class DeleteCapability {
        @Test
        @DisplayName("deleted ids are gone from get, search, count and scan; unknown ids are ignored")
        void deletedIdsAreGoneEverywhere() {
            assumeDeclared(StoreCapability.DELETE);
            List<EmbeddedChunk> corpus = new ArrayList<>(corpus(10, 6));
            boolean keyword = declares(StoreCapability.KEYWORD_SEARCH);
            if (keyword) {
                corpus.addAll(StoreFixtures.keywordCorpus(random, dimension(), 0));
            }
            store().upsert(corpus);
            List<EmbeddedChunk> deleted = new ArrayList<>(corpus.subList(0, 6)); // the whole of doc-000
            deleted.addAll(corpus.subList(20, 24));
            if (keyword) {
                deleted.add(corpus.stream().filter(c -> c.chunk().equals(Keyword.RARE_EN)).findFirst().orElseThrow());
            }
            List<String> toDelete = new ArrayList<>(chunkIds(deleted));
            toDelete.add(2, "unknown-doc#0");
            toDelete.add("doc-000#99");
            store().delete(toDelete);

            List<EmbeddedChunk> remaining = new ArrayList<>(corpus);
            remaining.removeAll(deleted);
            assertThat(store().count()).as(ctx("count after deleting %d", deleted.size())).isEqualTo(remaining.size());
            assertThat(store().get(chunkIds(deleted))).as(ctx("get of deleted ids")).isEmpty();
            assertThat(store().get(chunkIds(corpus))).as(ctx("get of every id after delete"))
                    .containsExactlyElementsOf(chunks(remaining));
            DenseCheck check = new DenseCheck();
            for (int q = 0; q < 5; q++) {
                float[] query = randomVector();
                check.check("search after delete", dense(query, corpus.size()), bruteForce(remaining, query, null),
                        corpus.size());
            }
            for (EmbeddedChunk d : deleted) {
                check.softly.assertThat(ids(dense(d.vector(), 3))).as(ctx("search with the vector of deleted %s", d.id()))
                        .doesNotContain(d.id());
            }
            check.assertAll();
            if (declares(StoreCapability.SCAN)) {
                assertThat(scanAll(store(), null, 7)).as(ctx("scan after delete"))
                        .containsExactlyInAnyOrderElementsOf(chunks(remaining));
            }
            if (keyword) {
                assertThat(ids(store().search(SearchRequest.keyword("quokka zanzibar hops", 10))))
                        .as(ctx("keyword search for a deleted chunk's words")).doesNotContain(Keyword.RARE_EN.id());
            }
        }

        @Test
        @DisplayName("deleting only unknown ids, or no ids, changes nothing")
        void deletingUnknownIdsIsNoOp() {
            assumeDeclared(StoreCapability.DELETE);
            List<EmbeddedChunk> corpus = corpus(3, 3);
            store().upsert(corpus);
            store().delete(List.of("nope#0", "doc-000#42"));
            store().delete(List.of());
            assertThat(store().count()).as(ctx("count")).isEqualTo(corpus.size());
            assertThat(store().get(chunkIds(corpus))).as(ctx("get")).containsExactlyElementsOf(chunks(corpus));
        }

        @Test
        @DisplayName("a deleted id can be upserted again")
        void reUpsertAfterDelete() {
            assumeDeclared(StoreCapability.DELETE);
            List<EmbeddedChunk> corpus = corpus(3, 3);
            store().upsert(corpus);
            EmbeddedChunk victim = corpus.get(4);
            store().delete(List.of(victim.id()));
            assertThat(store().count()).as(ctx("count after delete")).isEqualTo(corpus.size() - 1);
            Chunk again = Chunk.of(victim.chunk().documentId(), victim.chunk().index(), "back again", Map.of("v", 2));
            float[] vector = randomVector();
            store().upsert(List.of(new EmbeddedChunk(again, vector)));
            assertThat(store().count()).as(ctx("count after re-upsert")).isEqualTo(corpus.size());
            assertThat(store().get(List.of(victim.id()))).as(ctx("get after re-upsert")).containsExactly(again);
            List<SearchHit> hits = dense(vector, 1);
            assertThat(hits).as(ctx("nearest to the re-upserted vector")).isNotEmpty();
            if (exact()) {
                assertThat(hits.get(0).chunk()).as(ctx("nearest to the re-upserted vector")).isEqualTo(again);
            }
        }

        @Test
        @DisplayName("when DELETE is not declared, delete throws UnsupportedCapabilityException and removes nothing")
        void undeclaredDeleteThrows() {
            assumeNotDeclared(StoreCapability.DELETE);
            List<EmbeddedChunk> corpus = corpus(2, 3);
            store().upsert(corpus);
            assertThatThrownBy(() -> store().delete(List.of(corpus.get(0).id())),
                    ctx("delete on a store that does not declare DELETE must throw UnsupportedCapabilityException"))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThat(store().count()).as(ctx("count")).isEqualTo(corpus.size());
        }
    }

    /** {@link StoreCapability#KEYWORD_SEARCH}: BM25 on chunk text with case and accent folding. */
    @Nested
    @DisplayName("KEYWORD_SEARCH")
    class KeywordSearchCapability {
        private List<SearchHit> keyword(String text, int topK) {
            return store().search(SearchRequest.keyword(text, topK));
        }

        @Test
        @DisplayName("the chunk holding the rare query words ranks first; scores in [0, 1], descending, ties by id")
        void rareWordsRankFirst() {
            assumeDeclared(StoreCapability.KEYWORD_SEARCH);
            store().upsert(StoreFixtures.keywordCorpus(random, dimension(), 60));
            List<SearchHit> hits = keyword("quokka zanzibar hops", 10);
            assertThat(hits).as(ctx("hits for 'quokka zanzibar hops'")).isNotEmpty();
            assertThat(hits.get(0).chunk()).as(ctx("best hit for 'quokka zanzibar hops': %s", ids(hits)))
                    .isEqualTo(Keyword.RARE_EN);
            assertThat(StoreFixtures.orderProblems(hits)).as(ctx("order of %s", ids(hits))).isEmpty();
            assertThat(hits).as(ctx("scores")).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
            List<SearchHit> both = keyword("quokka zanzibar", 2);
            assertThat(ids(both)).as(ctx("top 2 for 'quokka zanzibar'"))
                    .containsExactlyInAnyOrder(Keyword.RARE_EN.id(), Keyword.RARE_FR.id());
        }

        @Test
        @DisplayName("matching folds case and accents (both ways); no stemming is assumed")
        void caseAndAccentFolding() {
            assumeDeclared(StoreCapability.KEYWORD_SEARCH);
            store().upsert(StoreFixtures.keywordCorpus(random, dimension(), 60));
            Map<String, Chunk> cases = new LinkedHashMap<>();
            cases.put("etudiants etrangers", Keyword.ACCENTED);
            cases.put("ÉTUDIANTS", Keyword.ACCENTED);
            cases.put("Étrangers", Keyword.ACCENTED);
            cases.put("kubernetes containers", Keyword.UPPER_CASE);
            cases.put("Kubernetes", Keyword.UPPER_CASE);
            cases.put("café résumé naïve", Keyword.UNACCENTED);
            cases.put("CAFÉ", Keyword.UNACCENTED);
            SoftAssertions softly = new SoftAssertions();
            cases.forEach((query, expected) -> {
                List<SearchHit> hits = keyword(query, 5);
                softly.assertThat(ids(hits)).as(ctx("hits for '%s'", query)).isNotEmpty();
                if (!hits.isEmpty()) {
                    softly.assertThat(hits.get(0).id()).as(ctx("best hit for '%s' among %s", query, ids(hits)))
                            .isEqualTo(expected.id());
                }
            });
            softly.assertAll();
        }

        @Test
        @DisplayName("a query with no word of any chunk gives no hits; an empty store gives no hits")
        void noMatchNoHits() {
            assumeDeclared(StoreCapability.KEYWORD_SEARCH);
            assertThat(keyword("quokka", 5)).as(ctx("keyword search of an empty store")).isEmpty();
            store().upsert(StoreFixtures.keywordCorpus(random, dimension(), 30));
            assertThat(keyword("xylophonist", 5)).as(ctx("hits for a word no chunk has")).isEmpty();
        }

        @Test
        @DisplayName("keyword search honours a filter")
        void keywordWithFilter() {
            assumeDeclared(StoreCapability.KEYWORD_SEARCH);
            assumeDeclared(StoreCapability.FILTER);
            assumeFilterSupported(Filter.and(Filter.eq("lang", "fr"), Filter.ne("lang", "en")));
            store().upsert(StoreFixtures.keywordCorpus(random, dimension(), 60));
            Filter filter = Filter.eq("lang", "fr");
            List<SearchHit> hits = store().search(SearchRequest.keyword("quokka zanzibar", 10).withFilter(filter));
            assertThat(ids(hits)).as(ctx("hits for 'quokka zanzibar' with %s", filter)).containsExactly(Keyword.RARE_FR.id());
            List<SearchHit> filler = store().search(SearchRequest.keyword("river mountain garden", 50)
                    .withFilter(Filter.ne("lang", "en")));
            assertThat(filler).as(ctx("filler hits with lang != en")).isNotEmpty()
                    .allSatisfy(h -> assertThat(h.chunk().metadata().get("lang")).isNotEqualTo("en"));
        }

        @Test
        @DisplayName("keyword minScore drops lower hits")
        void keywordMinScore() {
            assumeDeclared(StoreCapability.KEYWORD_SEARCH);
            store().upsert(StoreFixtures.keywordCorpus(random, dimension(), 60));
            List<SearchHit> all = keyword("river mountain garden", 50);
            assertThat(all).as(ctx("hits for 'river mountain garden'")).hasSizeGreaterThan(2);
            double minScore = all.get(all.size() / 2).score();
            List<SearchHit> kept = store().search(SearchRequest.keyword("river mountain garden", 50)
                    .withMinScore(minScore));
            assertThat(kept).as(ctx("hits with minScore %s", minScore)).isNotEmpty()
                    .allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(minScore));
            assertThat(ids(kept)).as(ctx("hits with minScore %s versus without", minScore))
                    .isEqualTo(ids(all).subList(0, kept.size()));
        }

        @Test
        @DisplayName("when KEYWORD_SEARCH is not declared, a keyword search throws UnsupportedCapabilityException")
        void undeclaredKeywordThrows() {
            assumeNotDeclared(StoreCapability.KEYWORD_SEARCH);
            store().upsert(StoreFixtures.keywordCorpus(random, dimension(), 3));
            assertThatThrownBy(() -> keyword("quokka", 3), ctx("a keyword search on a store that does not declare "
                    + "KEYWORD_SEARCH must throw UnsupportedCapabilityException"))
                    .isInstanceOf(UnsupportedCapabilityException.class);
        }
    }

    /** {@link StoreCapability#PERSISTENCE}: closing and reopening the same directory keeps everything. */
    @Nested
    @DisplayName("PERSISTENCE")
    class PersistenceCapability {
        @Test
        @DisplayName("close and reopen: same count, get, dense, keyword, filtered and scan results; deletes persist")
        void reopenSeesTheSameData() {
            assumeDeclared(StoreCapability.PERSISTENCE);
            List<EmbeddedChunk> corpus = new ArrayList<>(corpus(12, 5));
            corpus.addAll(StoreFixtures.keywordCorpus(random, dimension(), 10));
            store().upsert(corpus);
            List<String> deleted = List.of();
            if (declares(StoreCapability.DELETE)) {
                deleted = chunkIds(corpus.subList(3, 9));
                store().delete(deleted);
            }
            List<float[]> queries = List.of(randomVector(), randomVector(), randomVector());
            Snapshot before = snapshot(corpus, queries);
            VectorStore reopened = reopen();
            assertThat(reopened.capabilities()).as(ctx("capabilities after reopen")).isEqualTo(before.capabilities);
            Snapshot after = snapshot(corpus, queries);
            assertThat(after.count).as(ctx("count after reopen")).isEqualTo(before.count)
                    .isEqualTo(corpus.size() - deleted.size());
            assertThat(after.got).as(ctx("get after reopen")).isEqualTo(before.got);
            assertThat(reopened.get(deleted)).as(ctx("deleted ids after reopen")).isEmpty();
            assertSameHits(after.dense, before.dense, "dense search after reopen");
            assertSameHits(after.keyword, before.keyword, "keyword search after reopen");
            assertSameHits(after.filtered, before.filtered, "filtered search after reopen");
            assertThat(after.scanned).as(ctx("scan after reopen")).containsExactlyInAnyOrderElementsOf(before.scanned);
        }

        @Test
        @DisplayName("what built the index survives a reopen, flushed or only journalled")
        void indexInfoSurvivesAReopen() {
            assumeDeclared(StoreCapability.PERSISTENCE);
            IndexInfo info = new IndexInfo("test:model-b", dimension(), "recursive(max-chars=800, overlap-chars=100)");
            store().recordIndexInfo(info);
            store().upsert(corpus(2, 2));
            assertThat(reopen().indexInfo()).as(ctx("indexInfo after reopen")).contains(info);
            IndexInfo replaced = new IndexInfo("test:model-c", dimension(), "");
            store().recordIndexInfo(replaced);
            store().flush();
            assertThat(reopen().indexInfo()).as(ctx("replaced indexInfo after flush and reopen")).contains(replaced);
        }

        @Test
        @DisplayName("writes after a reopen persist too, replacements included")
        void writesAccumulateAcrossReopens() {
            assumeDeclared(StoreCapability.PERSISTENCE);
            List<EmbeddedChunk> first = corpus(4, 4);
            store().upsert(first);
            reopen();
            Chunk replaced = Chunk.of(first.get(0).chunk().documentId(), 0, "replaced after reopen", Map.of("v", 2));
            List<EmbeddedChunk> second = new ArrayList<>();
            second.add(new EmbeddedChunk(replaced, randomVector()));
            for (EmbeddedChunk c : corpus(2, 3)) {
                second.add(new EmbeddedChunk(Chunk.of("second-" + c.chunk().documentId(), c.chunk().index(),
                        c.chunk().text(), c.chunk().metadata()), c.vector()));
            }
            store().upsert(second);
            store().flush();
            VectorStore reopened = reopen();
            assertThat(reopened.count()).as(ctx("count after two sessions"))
                    .isEqualTo(first.size() + second.size() - 1);
            assertThat(reopened.get(List.of(replaced.id()))).as(ctx("replaced chunk")).containsExactly(replaced);
            assertThat(reopened.get(chunkIds(second))).as(ctx("second session's chunks"))
                    .containsExactlyElementsOf(chunks(second));
        }

        @Test
        @DisplayName("when PERSISTENCE is not declared, flush is a harmless no-op")
        void undeclaredPersistenceFlushIsNoOp() {
            assumeNotDeclared(StoreCapability.PERSISTENCE);
            List<EmbeddedChunk> corpus = corpus(2, 3);
            store().upsert(corpus);
            store().flush();
            assertThat(store().count()).as(ctx("count after flush")).isEqualTo(corpus.size());
            assertThat(store().get(chunkIds(corpus))).as(ctx("get after flush")).containsExactlyElementsOf(chunks(corpus));
        }
    }

    /**
     * {@link StoreCapability#PERSISTENCE} on local files: each file of a store directory, in turn, is cut
     * short, has bytes flipped or zeroed, or is deleted; then the store is opened. It must either fail
     * with an error naming that file, or open with exactly the committed contents (a file cut short may
     * also be the torn tail of a crash: then the contents of an earlier write are accepted). An open
     * never deletes or shortens a file; a read-only open writes nothing at all. Stores that keep no
     * files under the directory (server stores) skip this group.
     */
    @Nested
    @DisplayName("PERSISTENCE: damaged files")
    class DamagedFiles {
        @Test
        @DisplayName("every damaged file is named, or the committed contents open; opens never delete or shorten")
        void everyDamagedFileIsNamedOrTheCommittedContentsOpen() throws IOException {
            Path live = directory.resolve("live");
            VectorStore writer = openStore(dimension(), live);
            opened.add(writer);
            assumeTrue(writer.capabilities().contains(StoreCapability.PERSISTENCE),
                    () -> writer.name() + " does not declare PERSISTENCE");
            List<EmbeddedChunk> corpus = new ArrayList<>(corpus(6, 4));
            List<float[]> queries = List.of(randomVector(), randomVector(), randomVector());
            writer.upsert(corpus);
            writer.flush();
            List<Snapshot> states = new ArrayList<>();
            states.add(snapshotOf(writer, corpus, queries));
            List<EmbeddedChunk> more = corpus(3, 4).stream().map(c -> new EmbeddedChunk(Chunk.of("more-"
                    + c.chunk().documentId(), c.chunk().index(), c.chunk().text(), c.chunk().metadata()), c.vector()))
                    .toList();
            corpus.addAll(more);
            writer.upsert(more);
            states.add(snapshotOf(writer, corpus, queries));
            if (writer.capabilities().contains(StoreCapability.DELETE)) {
                writer.delete(chunkIds(corpus.subList(2, 6)));
                states.add(snapshotOf(writer, corpus, queries));
            }
            Chunk replaced = Chunk.of(corpus.get(0).chunk().documentId(), 0, "replaced after the snapshot", Map.of("v", 3));
            writer.upsert(List.of(new EmbeddedChunk(replaced, randomVector())));
            states.add(snapshotOf(writer, corpus, queries));
            // Every write was durable when it returned, so a copy now is what a crash would leave.
            Path image = copyFiles(live, directory.resolve("image"));
            close(writer);
            List<Path> files = listFiles(image);
            assumeTrue(!files.isEmpty(), () -> writer.name() + " keeps no files under its directory");

            Snapshot committed = states.get(states.size() - 1);
            int caseNumber = 0;
            for (Path file : files) {
                for (Damage damage : Damage.forSize(Files.size(file))) {
                    String what = damage + " " + file.getFileName();
                    Path attempt = copyFiles(image, directory.resolve("case-" + caseNumber++));
                    damage.apply(attempt.resolve(file.getFileName()));
                    Map<String, FileState> before = fileStates(attempt);

                    Optional<VectorStore> reader = tryOpen(what + " (read-only)", file,
                            () -> openStoreReadOnly(dimension(), attempt));
                    reader.ifPresent(r -> checkContents(r, corpus, queries, committed, states, damage, what + " (read-only)"));
                    assertThat(fileStates(attempt)).as(ctx("%s: a read-only open writes nothing", what)).isEqualTo(before);

                    Optional<VectorStore> store = tryOpen(what, file, () -> Optional.of(openStore(dimension(), attempt)));
                    Map<String, FileState> after = fileStates(attempt);
                    for (Map.Entry<String, FileState> e : before.entrySet()) {
                        assertThat(after).as(ctx("%s: file %s after the open", what, e.getKey())).containsKey(e.getKey());
                        assertThat(after.get(e.getKey()).size).as(ctx("%s: size of %s after the open", what, e.getKey()))
                                .isGreaterThanOrEqualTo(e.getValue().size);
                    }
                    store.ifPresent(s -> checkContents(s, corpus, queries, committed, states, damage, what));
                }
            }
        }

        private Optional<VectorStore> tryOpen(String what, Path damaged, Callable<Optional<VectorStore>> open) {
            Optional<VectorStore> s;
            try {
                s = open.call();
            } catch (Exception e) {
                assertThat(String.valueOf(e.getMessage())).as(ctx("%s: the error names the file (%s)", what, e))
                        .contains(damaged.getFileName().toString());
                return Optional.empty();
            }
            s.ifPresent(opened::add);
            return s;
        }

        private void checkContents(VectorStore s, List<EmbeddedChunk> corpus, List<float[]> queries, Snapshot committed,
                                   List<Snapshot> states, Damage damage, String what) {
            Snapshot got = snapshotOf(s, corpus, queries);
            close(s);
            if (same(got, committed)) {
                return;
            }
            boolean earlier = damage.cutsShort() && states.stream().anyMatch(st -> same(got, st));
            assertThat(earlier).as(ctx("%s: opened, but with neither the committed contents (%d chunks) nor, for a"
                    + " torn tail, an earlier write's; it had %d chunks", what, committed.count, got.count)).isTrue();
        }
    }

    /** One way of damaging a file. */
    private record Damage(String kind, double at) {
        static List<Damage> forSize(long size) {
            if (size == 0) {
                return List.of(new Damage("delete", 0));
            }
            return List.of(new Damage("delete", 0), new Damage("truncate", 0.5), new Damage("truncate", 1.0),
                    new Damage("flip", 0.1), new Damage("flip", 0.5), new Damage("flip", 0.9), new Damage("zero", 0.5));
        }

        boolean cutsShort() {
            return kind.equals("truncate");
        }

        void apply(Path file) throws IOException {
            long size = Files.size(file);
            switch (kind) {
                case "delete" -> Files.delete(file);
                case "truncate" -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(at >= 1.0 ? size - 1 : (long) (size * at));
                    }
                }
                case "flip", "zero" -> {
                    long position = Math.min(size - 1, (long) (size * at));
                    int length = kind.equals("zero") ? (int) Math.min(64, size - position) : 1;
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        ByteBuffer bytes = ByteBuffer.allocate(length);
                        ch.read(bytes, position);
                        for (int i = 0; i < length; i++) {
                            bytes.put(i, kind.equals("zero") ? 0 : (byte) (bytes.get(i) ^ 0x5A));
                        }
                        bytes.rewind();
                        ch.write(bytes, position);
                    }
                }
                default -> throw new IllegalStateException(kind);
            }
        }

        @Override
        public String toString() {
            return kind.equals("delete") ? "delete" : kind.equals("truncate") && at >= 1.0 ? "cut the last byte of"
                    : kind + " at " + (int) (at * 100) + "% of";
        }
    }

    /** Size, content checksum and modification time of a file. */
    private record FileState(long size, long crc, long modified) {
    }

    private static Map<String, FileState> fileStates(Path dir) throws IOException {
        Map<String, FileState> states = new TreeMap<>();
        for (Path f : listFiles(dir)) {
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(f));
            states.put(dir.relativize(f).toString(), new FileState(Files.size(f), crc.getValue(),
                    Files.getLastModifiedTime(f).toMillis()));
        }
        return states;
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static Path copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path f : listFiles(from)) {
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return to;
    }

    private boolean same(Snapshot a, Snapshot b) {
        if (a.count != b.count || !a.got.equals(b.got) || !new HashSet<>(a.scanned).equals(new HashSet<>(b.scanned))) {
            return false;
        }
        for (int i = 0; i < a.dense.size(); i++) {
            List<SearchHit> x = a.dense.get(i);
            List<SearchHit> y = b.dense.get(i);
            if (!ids(x).equals(ids(y))) {
                return false;
            }
            for (int j = 0; j < x.size(); j++) {
                if (Math.abs(x.get(j).score() - y.get(j).score()) > 1e-6) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What a store answered, to compare before and after a reopen. */
    private static final class Snapshot {
        Set<StoreCapability> capabilities;
        long count;
        List<Chunk> got;
        List<List<SearchHit>> dense = new ArrayList<>();
        List<List<SearchHit>> keyword = new ArrayList<>();
        List<List<SearchHit>> filtered = new ArrayList<>();
        List<Chunk> scanned = List.of();
    }

    private Snapshot snapshot(List<EmbeddedChunk> corpus, List<float[]> queries) {
        return snapshotOf(store(), corpus, queries);
    }

    private Snapshot snapshotOf(VectorStore s, List<EmbeddedChunk> corpus, List<float[]> queries) {
        Snapshot snap = new Snapshot();
        snap.capabilities = s.capabilities();
        snap.count = s.count();
        snap.got = s.get(chunkIds(corpus));
        for (float[] q : queries) {
            snap.dense.add(s.search(SearchRequest.dense(q, 10)));
            if (snap.capabilities.contains(StoreCapability.FILTER)
                    && s.filterSupport().refusal(Filter.in("lang", List.of("fr", "de"))).isEmpty()) {
                snap.filtered.add(s.search(SearchRequest.dense(q, 10).withFilter(Filter.in("lang", List.of("fr", "de")))));
            }
        }
        if (snap.capabilities.contains(StoreCapability.KEYWORD_SEARCH)) {
            for (String text : List.of("quokka zanzibar", "etudiants", "river garden")) {
                snap.keyword.add(s.search(SearchRequest.keyword(text, 10)));
            }
        }
        if (snap.capabilities.contains(StoreCapability.SCAN)) {
            snap.scanned = scanAll(s, null, 9);
        }
        return snap;
    }

    private void assertSameHits(List<List<SearchHit>> after, List<List<SearchHit>> before, String what) {
        assertThat(after).as(ctx("%s: number of queries", what)).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(ids(after.get(i))).as(ctx("%s: query %d ids", what, i)).isEqualTo(ids(before.get(i)));
            assertThat(after.get(i).stream().map(SearchHit::chunk).toList()).as(ctx("%s: query %d chunks", what, i))
                    .isEqualTo(before.get(i).stream().map(SearchHit::chunk).toList());
            for (int j = 0; j < before.get(i).size(); j++) {
                assertThat(after.get(i).get(j).score()).as(ctx("%s: query %d hit %d score", what, i, j))
                        .isCloseTo(before.get(i).get(j).score(), within(1e-6));
            }
        }
    }

    /** Every chunk a scan returns, page by page, failing on a repeated chunk or a scan that never ends. */
    private List<Chunk> scanAll(VectorStore s, Filter filter, int limit) {
        return scanPages(s, filter, limit).stream().flatMap(p -> p.chunks().stream()).toList();
    }

    private List<ScanPage> scanPages(VectorStore s, Filter filter, int limit) {
        List<ScanPage> pages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long bound = s.count() + 10; // even a one-chunk page per call ends by then
        String cursor = null;
        do {
            ScanPage page = s.scan(filter, cursor, limit);
            assertThat(page).as(ctx("scan page %d", pages.size())).isNotNull();
            assertThat(page.chunks().size()).as(ctx("size of scan page %d with limit %d", pages.size(), limit))
                    .isLessThanOrEqualTo(limit);
            for (Chunk c : page.chunks()) {
                assertThat(seen.add(c.id())).as(ctx("chunk %s listed twice by scan(%s, limit %d)", c.id(), filter, limit))
                        .isTrue();
            }
            pages.add(page);
            Optional<String> next = page.nextCursor();
            if (next.isPresent()) {
                assertThat(next.get()).as(ctx("cursor after page %d", pages.size() - 1)).isNotEqualTo(cursor);
            }
            cursor = next.orElse(null);
            if (pages.size() > bound) {
                fail(ctx("scan(%s, limit %d) did not end after %d pages", filter, limit, pages.size()));
            }
        } while (cursor != null);
        return pages;
    }

    /** {@link StoreCapability#SCAN}: pages cover every chunk exactly once, filters applied. */
    @Nested
    @DisplayName("SCAN")
    class ScanCapability {
        @ParameterizedTest(name = "limit {0}")
        @ValueSource(ints = {1, 7, 53, 500})
        @DisplayName("pages cover every chunk exactly once and end with an empty cursor")
        void pagesCoverEverything(int limit) {
            assumeDeclared(StoreCapability.SCAN);
            List<EmbeddedChunk> corpus = corpus(53, 1);
            store().upsert(corpus);
            List<ScanPage> pages = scanPages(store(), null, limit);
            List<Chunk> all = pages.stream().flatMap(p -> p.chunks().stream()).toList();
            assertThat(all).as(ctx("chunks scanned with limit %d", limit))
                    .containsExactlyInAnyOrderElementsOf(chunks(corpus));
            assertThat(pages.get(pages.size() - 1).nextCursor()).as(ctx("cursor of the last page")).isEmpty();
            assertThat(pages.size()).as(ctx("pages with limit %d", limit))
                    .isGreaterThanOrEqualTo((corpus.size() + limit - 1) / limit);
        }

        @Test
        @DisplayName("an empty store scans to one empty last page")
        void emptyStoreScan() {
            assumeDeclared(StoreCapability.SCAN);
            ScanPage page = store().scan(null, null, 10);
            assertThat(page.chunks()).as(ctx("chunks of an empty store")).isEmpty();
            assertThat(page.nextCursor()).as(ctx("cursor of an empty store")).isEmpty();
        }

        @Test
        @DisplayName("a filtered scan lists exactly the chunks Filter.test accepts")
        void filteredScan() {
            assumeDeclared(StoreCapability.SCAN);
            List<EmbeddedChunk> corpus = corpus(12, 10);
            store().upsert(corpus);
            SoftAssertions softly = new SoftAssertions();
            List<String> sample = List.of("eq string", "ne on sometimes-missing key (absent counts)",
                    "in numbers, whole and decimal", "notIn on sometimes-missing key (absent counts)", "gt whole on mixed field",
                    "lte string with accents", "eq doc_id", "nested and/or/not", "not of gt (absent keys match)",
                    "eq on a key no chunk has");
            Map<String, Filter> filters = StoreFixtures.filtersForCorpus();
            for (String name : sample) {
                Filter filter = filters.get(name);
                List<Chunk> expected = corpus.stream().map(EmbeddedChunk::chunk).filter(filter::test).toList();
                softly.assertThat(scanAll(store(), filter, 7)).as(ctx("scan(%s) %s", name, filter))
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
            softly.assertAll();
        }

        @Test
        @DisplayName("when SCAN is not declared, scan throws UnsupportedCapabilityException")
        void undeclaredScanThrows() {
            assumeNotDeclared(StoreCapability.SCAN);
            store().upsert(corpus(2, 3));
            assertThatThrownBy(() -> store().scan(null, null, 10),
                    ctx("scan on a store that does not declare SCAN must throw UnsupportedCapabilityException"))
                    .isInstanceOf(UnsupportedCapabilityException.class);
        }
    }

    /**
     * {@link StoreCapability#READ_VECTORS}: {@link VectorStore#getEmbedded} gives back every stored chunk
     * with its vector, as written or as its unit-length form (within 1e-6), in the order asked, through
     * replacements, deletes and reopens; written to another store, the vectors search the same.
     */
    @Nested
    @DisplayName("READ_VECTORS")
    class ReadVectorsCapability {
        /** The corpus with each vector scaled by a random factor, so that a normalising store is told apart. */
        private List<EmbeddedChunk> scaledCorpus(int documents, int perDocument) {
            return corpus(documents, perDocument).stream()
                    .map(c -> new EmbeddedChunk(c.chunk(), StoreFixtures.scaled(c.vector(), 0.25f + 4 * random.nextFloat())))
                    .toList();
        }

        /** Checks that {@code got} holds exactly {@code expected}'s chunks, in its order, each with its vector. */
        private void assertVectors(List<EmbeddedChunk> got, List<EmbeddedChunk> expected, String what) {
            assertThat(got).as(ctx("%s: result", what)).isNotNull();
            assertThat(got.stream().map(EmbeddedChunk::id).toList()).as(ctx("%s: ids in the order asked", what))
                    .containsExactlyElementsOf(chunkIds(expected));
            SoftAssertions softly = new SoftAssertions();
            for (int i = 0; i < expected.size(); i++) {
                EmbeddedChunk want = expected.get(i);
                EmbeddedChunk have = got.get(i);
                softly.assertThat(have.chunk()).as(ctx("%s: chunk %s", what, want.id())).isEqualTo(want.chunk());
                softly.assertThat(vectorProblem(want.vector(), have.vector()))
                        .as(ctx("%s: vector of %s", what, want.id())).isNull();
            }
            softly.assertAll();
        }

        @Test
        @DisplayName("getEmbedded returns each chunk with its vector (as written or unit length, within 1e-6), in the order asked, skipping unknown ids")
        void vectorsRoundTripInTheOrderAsked() {
            assumeDeclared(StoreCapability.READ_VECTORS);
            List<EmbeddedChunk> corpus = scaledCorpus(8, 4);
            store().upsert(corpus);
            List<EmbeddedChunk> shuffled = new ArrayList<>(corpus);
            Collections.shuffle(shuffled, random);
            List<String> request = new ArrayList<>();
            for (int i = 0; i < shuffled.size(); i++) {
                if (i % 4 == 1) {
                    request.add("unknown-doc#" + i);
                }
                request.add(shuffled.get(i).id());
            }
            assertVectors(store().getEmbedded(request), shuffled, "getEmbedded of every id, shuffled, with unknown ids");
            List<EmbeddedChunk> some = List.of(corpus.get(9), corpus.get(2), corpus.get(30));
            assertVectors(store().getEmbedded(chunkIds(some)), some, "getEmbedded of three ids");
            assertThat(store().getEmbedded(List.of("unknown#0", "doc-999#0"))).as(ctx("getEmbedded of unknown ids only"))
                    .isEmpty();
            assertThat(store().getEmbedded(List.of())).as(ctx("getEmbedded of no ids")).isEmpty();
        }

        @Test
        @DisplayName("after an upsert replaces a chunk, getEmbedded returns the new chunk and the new vector")
        void replacedChunksComeBackWithTheirNewVector() {
            assumeDeclared(StoreCapability.READ_VECTORS);
            List<EmbeddedChunk> corpus = new ArrayList<>(scaledCorpus(4, 4));
            store().upsert(corpus);
            for (int i : new int[] {1, 6, 11}) {
                EmbeddedChunk old = corpus.get(i);
                Chunk replacement = Chunk.of(old.chunk().documentId(), old.chunk().index(), "replaced " + i,
                        Map.of("version", 2));
                corpus.set(i, new EmbeddedChunk(replacement, StoreFixtures.scaled(randomVector(), 3f)));
            }
            store().upsert(List.of(corpus.get(1), corpus.get(6), corpus.get(11)));
            assertVectors(store().getEmbedded(chunkIds(corpus)), corpus, "getEmbedded after replacing three chunks");
        }

        @Test
        @DisplayName("after a delete, deleted ids are skipped and the others keep their vectors")
        void deletedIdsAreSkipped() {
            assumeDeclared(StoreCapability.READ_VECTORS);
            assumeDeclared(StoreCapability.DELETE);
            List<EmbeddedChunk> corpus = scaledCorpus(5, 4);
            store().upsert(corpus);
            List<EmbeddedChunk> deleted = List.of(corpus.get(0), corpus.get(7), corpus.get(8), corpus.get(19));
            store().delete(chunkIds(deleted));
            List<EmbeddedChunk> remaining = new ArrayList<>(corpus);
            remaining.removeAll(deleted);
            assertVectors(store().getEmbedded(chunkIds(corpus)), remaining, "getEmbedded of every id after a delete");
            assertThat(store().getEmbedded(chunkIds(deleted))).as(ctx("getEmbedded of deleted ids")).isEmpty();
        }

        @Test
        @DisplayName("after close and reopen, getEmbedded returns the same vectors, replacements and deletes included")
        void vectorsSurviveAReopen() {
            assumeDeclared(StoreCapability.READ_VECTORS);
            assumeDeclared(StoreCapability.PERSISTENCE);
            List<EmbeddedChunk> corpus = new ArrayList<>(scaledCorpus(6, 4));
            store().upsert(corpus);
            store().flush();
            EmbeddedChunk old = corpus.get(3);
            corpus.set(3, new EmbeddedChunk(Chunk.of(old.chunk().documentId(), old.chunk().index(), "replaced", Map.of()),
                    StoreFixtures.scaled(randomVector(), 0.5f)));
            store().upsert(List.of(corpus.get(3)));
            List<EmbeddedChunk> remaining = new ArrayList<>(corpus);
            if (declares(StoreCapability.DELETE)) {
                List<EmbeddedChunk> deleted = List.of(corpus.get(5), corpus.get(17));
                store().delete(chunkIds(deleted));
                remaining.removeAll(deleted);
            }
            List<EmbeddedChunk> before = store().getEmbedded(chunkIds(corpus));
            assertVectors(before, remaining, "getEmbedded before the reopen");
            VectorStore reopened = reopen();
            List<EmbeddedChunk> after = reopened.getEmbedded(chunkIds(corpus));
            assertVectors(after, remaining, "getEmbedded after the reopen");
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i).vector()).as(ctx("vector of %s after the reopen versus before", before.get(i).id()))
                        .containsExactly(before.get(i).vector(), within(1e-6f));
            }
        }

        @Test
        @DisplayName("vectors read back and written to a new store search like the originals")
        void vectorsReadBackSearchTheSame() {
            assumeDeclared(StoreCapability.READ_VECTORS);
            List<EmbeddedChunk> corpus = scaledCorpus(20, 5);
            store().upsert(corpus);
            List<EmbeddedChunk> copied = store().getEmbedded(chunkIds(corpus));
            VectorStore copy = openStore(dimension(), directory.resolve("copy"));
            opened.add(copy);
            copy.upsert(copied);
            DenseCheck check = new DenseCheck();
            for (int q = 0; q < 10; q++) {
                float[] query = randomVector();
                check.check("search of a store written from getEmbedded", copy.search(SearchRequest.dense(query, 10)),
                        bruteForce(corpus, query, null), 10);
            }
            check.assertAll();
        }

        @Test
        @DisplayName("when READ_VECTORS is not declared, getEmbedded throws UnsupportedCapabilityException")
        void undeclaredReadVectorsThrows() {
            assumeNotDeclared(StoreCapability.READ_VECTORS);
            List<EmbeddedChunk> corpus = corpus(2, 3);
            store().upsert(corpus);
            assertThatThrownBy(() -> store().getEmbedded(chunkIds(corpus)),
                    ctx("getEmbedded on a store that does not declare READ_VECTORS must throw "
                            + "UnsupportedCapabilityException"))
                    .isInstanceOf(UnsupportedCapabilityException.class);
        }
    }

    /**
     * Null when {@code actual} is {@code written} or its unit-length form, within 1e-6 per component;
     * otherwise what differs.
     */
    static String vectorProblem(float[] written, float[] actual) {
        if (actual == null || actual.length != written.length) {
            return "dimension " + (actual == null ? "null" : actual.length) + " instead of " + written.length;
        }
        double norm = 0;
        for (float x : written) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        double asWritten = 0;
        double asUnit = 0;
        for (int i = 0; i < written.length; i++) {
            asWritten = Math.max(asWritten, Math.abs(actual[i] - (double) written[i]));
            asUnit = Math.max(asUnit, Math.abs(actual[i] - written[i] / norm));
        }
        if (asWritten <= 1e-6 || asUnit <= 1e-6) {
            return null;
        }
        return "neither as written (largest difference " + asWritten + ") nor unit length (largest difference "
                + asUnit + "): " + java.util.Arrays.toString(actual) + " for " + java.util.Arrays.toString(written);
    }
}
