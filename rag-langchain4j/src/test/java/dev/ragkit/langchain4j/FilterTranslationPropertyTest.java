package dev.ragkit.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.store.MemoryVectorStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every LangChain4j filter type, on random metadata of every type LangChain4j holds: the segments the Ragkit
 * memory store returns for the translated filter are exactly those LangChain4j's own {@code Filter.test}
 * accepts. Keys keep one type each (LangChain4j throws on a type mismatch, so no other case is defined).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterTranslationPropertyTest {
    private static final int SEGMENTS = 300;
    private static final int FILTERS = 3_000;
    private static final String[] WORDS = {"alpha", "beta", "Beta", "gamma", "", "delta", "é", "alpha2"};
    private static final UUID[] UUIDS = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final Map<String, Metadata> metadataById = new HashMap<>();
    private RagkitEmbeddingStore store;

    @BeforeAll
    void fill() {
        store = RagkitEmbeddingStore.of(MemoryVectorStore.builder().dimension(8).build());
        List<String> ids = new ArrayList<>();
        List<Embedding> embeddings = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            Metadata m = new Metadata();
            if (random.nextInt(5) > 0) m.put("s", WORDS[random.nextInt(WORDS.length)]);
            if (random.nextInt(5) > 0) m.put("i", random.nextInt(11) - 5);
            if (random.nextInt(5) > 0) m.put("l", random.nextBoolean() ? random.nextInt(11) - 5L : Long.MAX_VALUE - random.nextInt(3));
            if (random.nextInt(5) > 0) m.put("f", (random.nextInt(21) - 10) / 10f);
            if (random.nextInt(5) > 0) m.put("d", (random.nextInt(21) - 10) / 10.0 + (random.nextBoolean() ? 0 : 1e-9));
            if (random.nextInt(5) > 0) m.put("u", UUIDS[random.nextInt(UUIDS.length)]);
            String id = "seg-" + i;
            ids.add(id);
            float[] v = new float[8];
            for (int k = 0; k < v.length; k++) {
                v[k] = random.nextFloat() + 0.01f;
            }
            embeddings.add(Embedding.from(v));
            segments.add(TextSegment.from("segment " + i, m));
            metadataById.put(id, m);
        }
        store.addAll(ids, embeddings, segments);
    }

    @Test
    void translatedFiltersSelectExactlyWhatLangChain4jSelects() {
        int selective = 0;
        for (int n = 0; n < FILTERS; n++) {
            Filter filter = randomFilter(3);
            Set<String> expected = metadataById.entrySet().stream()
                    .filter(e -> filter.test(e.getValue())).map(Map.Entry::getKey).collect(Collectors.toSet());
            Set<String> actual = search(filter);
            assertThat(actual).as("seed %d (rerun with -Dseed=%d), filter %s", seed, seed, filter)
                    .containsExactlyInAnyOrderElementsOf(expected);
            if (!expected.isEmpty() && expected.size() < SEGMENTS) {
                selective++;
            }
        }
        // The check means something only if most filters select some segments and not others.
        assertThat(selective).as("seed %d: filters selecting neither none nor all", seed).isGreaterThan(FILTERS / 2);
    }

    @Test
    void metadataSurvivesTheRoundTripThroughTypedGetters() {
        for (EmbeddingMatch<TextSegment> match : matches(null)) {
            Metadata original = metadataById.get(match.embeddingId());
            Metadata back = match.embedded().metadata();
            assertThat(back.toMap().keySet()).isEqualTo(original.toMap().keySet());
            if (original.containsKey("s")) assertThat(back.getString("s")).isEqualTo(original.getString("s"));
            if (original.containsKey("i")) assertThat(back.getInteger("i")).isEqualTo(original.getInteger("i"));
            if (original.containsKey("l")) assertThat(back.getLong("l")).isEqualTo(original.getLong("l"));
            if (original.containsKey("f")) assertThat(back.getFloat("f")).isEqualTo(original.getFloat("f"));
            if (original.containsKey("d")) assertThat(back.getDouble("d")).isEqualTo(original.getDouble("d"));
            if (original.containsKey("u")) assertThat(back.getUUID("u")).isEqualTo(original.getUUID("u"));
        }
    }

    @Test
    void whatCannotBeTranslatedExactlyIsAnErrorNeverIgnored() {
        assertThatThrownBy(() -> search(new ContainsString("s", "alp")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no substring match");
        assertThatThrownBy(() -> search(new IsGreaterThan("u", UUIDS[0])))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("UUID");
        assertThatThrownBy(() -> search(new IsIn("f", List.of(0.1f, 0.2f))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("as Double");
        assertThatThrownBy(() -> search(new IsIn("s", List.of("alpha", 3))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("mix");
        assertThatThrownBy(() -> search(new IsEqualTo("s", java.time.LocalDate.of(2026, 1, 1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("date");
        Filter custom = object -> true;
        assertThatThrownBy(() -> search(custom))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not one of LangChain4j's filter types");
        // Nested inside logical filters too: the whole filter fails, no operand is dropped.
        assertThatThrownBy(() -> search(new And(new IsEqualTo("s", "alpha"), new Not(new ContainsString("s", "a")))))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theFluentBuilderMapsToo() {
        Filter filter = metadataKey("i").isGreaterThan(0).and(metadataKey("s").isIn("alpha", "beta"))
                .or(metadataKey("u").isEqualTo(UUIDS[1]).and(Filter.not(metadataKey("d").isLessThanOrEqualTo(0.5))));
        Set<String> expected = metadataById.entrySet().stream()
                .filter(e -> filter.test(e.getValue())).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(search(filter)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private Set<String> search(Filter filter) {
        return matches(filter).stream().map(EmbeddingMatch::embeddingId).collect(Collectors.toCollection(HashSet::new));
    }

    private List<EmbeddingMatch<TextSegment>> matches(Filter filter) {
        float[] query = new float[8];
        java.util.Arrays.fill(query, 1f);
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(query))
                .maxResults(SEGMENTS).minScore(0.0).filter(filter).build()).matches();
    }

    private Filter randomFilter(int depth) {
        int choice = random.nextInt(depth > 0 ? 11 : 8);
        return switch (choice) {
            case 8 -> new And(randomFilter(depth - 1), randomFilter(depth - 1));
            case 9 -> new Or(randomFilter(depth - 1), randomFilter(depth - 1));
            case 10 -> new Not(randomFilter(depth - 1));
            default -> randomComparison(choice);
        };
    }

    private Filter randomComparison(int op) {
        String key = List.of("s", "i", "l", "f", "d", "u").get(random.nextInt(6));
        boolean ordered = op >= 2 && op <= 5;
        boolean list = op >= 6;
        if (key.equals("u") && ordered) {
            op = random.nextInt(2);
        }
        if (key.equals("f") && list) {
            // LangChain4j compares a Float stored value in in-lists by its binary value: see the README.
            op = random.nextInt(6);
        }
        return switch (op) {
            case 0 -> new IsEqualTo(key, value(key));
            case 1 -> new IsNotEqualTo(key, value(key));
            case 2 -> new IsGreaterThan(key, (Comparable<?>) value(key));
            case 3 -> new IsGreaterThanOrEqualTo(key, (Comparable<?>) value(key));
            case 4 -> new IsLessThan(key, (Comparable<?>) value(key));
            case 5 -> new IsLessThanOrEqualTo(key, (Comparable<?>) value(key));
            case 6 -> new IsIn(key, values(key));
            default -> new IsNotIn(key, values(key));
        };
    }

    private List<Object> values(String key) {
        List<Object> values = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        // One number type per list: LangChain4j checks the first value's type against the stored one.
        String numberKind = List.of("i", "l", "d").get(random.nextInt(3));
        for (int i = 0; i < n; i++) {
            values.add(isNumber(key) ? number(numberKind) : value(key));
        }
        return values;
    }

    private Object value(String key) {
        return switch (key) {
            case "s" -> WORDS[random.nextInt(WORDS.length)];
            case "u" -> UUIDS[random.nextInt(UUIDS.length)];
            default -> number(List.of("i", "l", "f", "d").get(random.nextInt(4)));
        };
    }

    private Object number(String kind) {
        return switch (kind) {
            case "i" -> random.nextInt(11) - 5;
            case "l" -> random.nextInt(4) == 0 ? Long.MAX_VALUE - random.nextInt(3) : random.nextInt(11) - 5L;
            case "f" -> (random.nextInt(21) - 10) / 10f;
            default -> (random.nextInt(21) - 10) / 10.0;
        };
    }

    private static boolean isNumber(String key) {
        return !key.equals("s") && !key.equals("u");
    }
}
