package dev.ragkit.store.redisearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.redisearch.internal.RediSearchVectorStoreProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/** What the kit does not cover: TAG escaping, undeclared fields, bad input, and the server's errors. */
class RediSearchStoreIT {
    private static final int DIMENSION = 8;

    @TempDir
    Path directory;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private RediSearchVectorStore store(String suffix, List<String> fields) {
        RediSearchVectorStore s = RediSearchTestStores.builder(RediSearchTestStores.nameFor(directory) + suffix, DIMENSION)
                .fields(fields).build();
        opened.add(s);
        return s;
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static EmbeddedChunk chunk(String doc, Map<String, Object> metadata, Random random) {
        return new EmbeddedChunk(Chunk.of(doc, 0, "text of " + doc, metadata), vector(random));
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).sorted().toList();
    }

    @Test
    void tagValuesWithPunctuationAndSpacesMatchOnlyThemselves() {
        RediSearchVectorStore store = store("", List.of("tenant"));
        Random random = new Random(7);
        List<String> values = List.of("a-b c:d", "a-b", "c:d", "a b c d", "a-b c:d ", " a-b c:d", "A-B C:D",
                "x,y", "x", "y", "100%", "{braces} | pipe", "back\\slash", "tab\there", "é-ü (ﬁ)", "-neg", "@at*star");
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            chunks.add(chunk("doc-" + i, Map.of("tenant", values.get(i)), random));
        }
        store.upsert(chunks);
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            List<SearchHit> hits = store.search(SearchRequest.dense(vector(random), 50).withFilter(Filter.eq("tenant", value)));
            assertThat(ids(hits)).as("eq(tenant, '%s')", value).containsExactly("doc-" + i + "#0");
            List<Chunk> scanned = store.scan(Filter.eq("tenant", value), null, 50).chunks();
            assertThat(scanned).as("scan eq(tenant, '%s')", value).extracting(Chunk::id).containsExactly("doc-" + i + "#0");
            List<SearchHit> others = store.search(SearchRequest.dense(vector(random), 50).withFilter(Filter.ne("tenant", value)));
            assertThat(others).as("ne(tenant, '%s')", value).hasSize(values.size() - 1);
        }
        List<SearchHit> in = store.search(SearchRequest.dense(vector(random), 50)
                .withFilter(Filter.in("tenant", List.of("a-b c:d", "x,y"))));
        assertThat(ids(in)).containsExactly("doc-0#0", "doc-7#0");
        List<SearchHit> range = store.search(SearchRequest.dense(vector(random), 50)
                .withFilter(Filter.and(Filter.gte("tenant", "a-b"), Filter.lt("tenant", "a-c"))));
        assertThat(ids(range)).as("string range [a-b, a-c)").containsExactlyInAnyOrder("doc-0#0", "doc-1#0",
                "doc-4#0");
    }

    @Test
    void documentIdsWithSyntaxCharactersAreFiltered() {
        RediSearchVectorStore store = store("", List.of());
        Random random = new Random(8);
        store.upsert(List.of(chunk("dir/a-b c:d.txt", Map.of(), random), chunk("dir/a-b", Map.of(), random)));
        assertThat(store.scan(Filter.eq("doc_id", "dir/a-b c:d.txt"), null, 10).chunks()).extracting(Chunk::id)
                .containsExactly("dir/a-b c:d.txt#0");
        assertThat(ids(store.search(SearchRequest.dense(vector(random), 10).withFilter(Filter.eq("doc_id", "dir/a-b")))))
                .containsExactly("dir/a-b#0");
    }

    @Test
    void numbersBeyondTwoToThe53AreComparedExactly() {
        RediSearchVectorStore store = store("", List.of("n"));
        Random random = new Random(9);
        long big = 1L << 60;
        store.upsert(List.of(chunk("a", Map.of("n", big), random), chunk("b", Map.of("n", big + 1), random),
                chunk("c", Map.of("n", 5L), random), chunk("d", Map.of("n", "5"), random)));
        assertThat(ids(store.search(SearchRequest.dense(vector(random), 10).withFilter(Filter.gt("n", big)))))
                .containsExactly("b#0");
        assertThat(ids(store.search(SearchRequest.dense(vector(random), 10).withFilter(Filter.eq("n", big + 1)))))
                .containsExactly("b#0");
        assertThat(ids(store.search(SearchRequest.dense(vector(random), 10).withFilter(Filter.lt("n", 6.5)))))
                .as("a number range never matches the string '5'").containsExactly("c#0");
    }

    @Test
    void aFilterOnAnUndeclaredKeyIsRefusedNamingTheKeyAndTheSetting() {
        RediSearchVectorStore store = store("", List.of("lang"));
        store.upsert(List.of(chunk("a", Map.of("lang", "fr", "year", 2020L), new Random(1))));
        assertThatThrownBy(() -> store.search(SearchRequest.dense(vector(new Random(2)), 3)
                .withFilter(Filter.and(Filter.eq("lang", "fr"), Filter.gt("year", 2000)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'year'").hasMessageContaining("rag.store.redisearch.fields");
        assertThatThrownBy(() -> store.scan(Filter.eq("year", 2020), null, 5)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void badInputIsRejectedBeforeAnyCommandIsSent() {
        RediSearchVectorStore store = store("", List.of("lang"));
        Random random = new Random(3);
        store.upsert(List.of(chunk("a", Map.of("lang", "fr"), random)));
        try (RedisClient probe = RedisClient.create(java.net.URI.create(RediSearchServer.shared().url()))) {
            long before = commandCalls(probe);
            float[] wrong = new float[DIMENSION + 1];
            wrong[0] = 1;
            assertThatThrownBy(() -> store.upsert(List.of(chunk("b", Map.of(), random),
                    new EmbeddedChunk(Chunk.of("c", 0, "c", Map.of()), wrong))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension 9");
            assertThatThrownBy(() -> store.search(SearchRequest.dense(wrong, 3)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension");
            assertThatThrownBy(() -> store.search(SearchRequest.dense(vector(random), 3).withFilter(Filter.eq("other", 1))))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> store.search(SearchRequest.dense(vector(random), 20_000)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("10000");
            assertThatThrownBy(() -> store.scan(null, null, 0)).isInstanceOf(InvalidInputException.class);
            assertThat(commandCalls(probe)).as("commands the server received for the rejected calls").isEqualTo(before);
        }
        assertThat(store.count()).isEqualTo(1);
    }

    /**
     * Total calls of every command but INFO (this probe's) and PING (idle pooled connections are tested
     * with it), from INFO commandstats.
     */
    private static long commandCalls(RedisClient client) {
        long total = 0;
        for (String line : client.info("commandstats").split("\r?\n")) {
            int at = line.indexOf("calls=");
            if (line.startsWith("cmdstat_") && at > 0 && !line.startsWith("cmdstat_info:")
                    && !line.startsWith("cmdstat_ping:")) {
                total += Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
            }
        }
        return total;
    }

    @Test
    void anExistingIndexOfAnotherDimensionIsRefusedClearly() {
        String index = RediSearchTestStores.nameFor(directory) + "-dim";
        opened.add(RediSearchTestStores.builder(index, DIMENSION).build());
        assertThatThrownBy(() -> RediSearchTestStores.builder(index, 16).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("dimension " + DIMENSION).hasMessageContaining("dimension 16");
    }

    @Test
    void anExistingIndexWithoutADeclaredFieldIsRefusedClearly() {
        String index = RediSearchTestStores.nameFor(directory) + "-fields";
        opened.add(RediSearchTestStores.builder(index, DIMENSION).fields(List.of("lang")).build());
        assertThatThrownBy(() -> RediSearchTestStores.builder(index, DIMENSION).fields(List.of("lang", "year")).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("[year]");
    }

    @Test
    void openingAMissingIndexWithoutCreateFailsNamingIt() {
        String index = RediSearchTestStores.nameFor(directory) + "-missing";
        assertThatThrownBy(() -> RediSearchTestStores.builder(index, DIMENSION).create(false).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining(index)
                .hasMessageContaining("does not exist");
    }

    @Test
    void wrongCredentialsFailClearlyWithoutShowingThePassword() {
        String url = RediSearchServer.shared().url();
        try (RedisClient admin = RedisClient.create(java.net.URI.create(url))) {
            admin.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "SETUSER", "ragkit-it", "on", ">right-password", "~*",
                    "&*", "+@all");
        }
        String wrong = url.replace("redis://", "redis://ragkit-it:s3cret-wrong@");
        assertThatThrownBy(() -> RediSearchTestStores.builder(RediSearchTestStores.nameFor(directory), DIMENSION).url(wrong)
                .retries(0).build())
                .isInstanceOf(RagBackendException.class)
                .hasMessageContaining("refused the credentials").hasMessageContaining("ragkit-it")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-wrong"));
        RediSearchVectorStore good = RediSearchTestStores.builder(RediSearchTestStores.nameFor(directory) + "-acl", DIMENSION)
                .url(url).user("ragkit-it").password("right-password").build();
        opened.add(good);
        assertThat(good.count()).isZero();
    }

    @Test
    void theProviderMapsEveryKeyAndReportsAllProblemsAtOnce() {
        assertThatThrownBy(() -> new RediSearchVectorStoreProvider().create(ProviderConfig.of("store", "redisearch", Map.of(
                "url", "http://x", "dimension", "8", "fields", "ok,bad key", "m", "0"))))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.store.redisearch.url").hasMessageContaining("bad key")
                .hasMessageContaining("rag.store.redisearch.m");
        VectorStore s = new RediSearchVectorStoreProvider().create(ProviderConfig.of("store", "redisearch", Map.of(
                "url", RediSearchServer.shared().url(), "dimension", "8", "index",
                RediSearchTestStores.nameFor(directory) + "-p", "fields", "lang, year", "language", "french",
                "ef-runtime", "50")));
        opened.add(s);
        s.upsert(List.of(chunk("a", Map.of("lang", "fr", "year", 2024L), new Random(4))));
        assertThat(s.search(SearchRequest.dense(vector(new Random(5)), 3).withFilter(Filter.gte("year", 2024))))
                .hasSize(1);
        assertThat(s.search(SearchRequest.keyword("TEXT", 3))).hasSize(1);
    }
}
