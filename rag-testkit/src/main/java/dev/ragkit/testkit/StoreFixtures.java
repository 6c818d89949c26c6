package dev.ragkit.testkit;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.FilterSupport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded data and the brute-force reference used by {@link VectorStoreConformanceTest}. Kept apart
 * so the conformance class reads as a list of checks.
 */
final class StoreFixtures {
    /** Largest difference allowed between a store's score and the score computed here. */
    static final double SCORE_TOLERANCE = 1e-4;

    private static final String[] LANGS = {"en", "fr", "de", "es"};
    private static final String[] TAGS = {"alpha", "beta", "gamma", "delta"};
    // Mixed case and accents on purpose: string order is by UTF-16 code unit, not by locale.
    private static final String[] TITLE_WORDS = {"Apple", "apple", "Mango", "mango", "Zebra", "Émile", "été",
        "Orange", "banana", "Kiwi", "Olive", "ZZ top", "a", "M"};
    private static final String[] FILLER = {"river", "mountain", "system", "data", "network", "library", "garden",
        "window", "engine", "market", "history", "language", "maison", "jardin", "soleil", "fenêtre", "rivière",
        "montagne", "bibliothèque", "marché", "histoire", "moteur", "cloud", "server", "query", "answer", "paper",
        "village", "harbour", "forest", "train", "station", "music", "coffee", "orange", "winter", "summer"};

    private StoreFixtures() {
    }

    /** A pseudo-random unit vector. */
    static float[] unitVector(Random random, int dimension) {
        float[] v = new float[dimension];
        double sum = 0;
        while (sum == 0) {
            for (int i = 0; i < dimension; i++) {
                v[i] = (float) random.nextGaussian();
                sum += (double) v[i] * v[i];
            }
        }
        return Vectors.normalised("random vector", v);
    }

    /** {@code v} multiplied by {@code factor}: same direction, so the same cosine. */
    static float[] scaled(float[] v, float factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    /** Ragkit's dense score: cosine clamped to [0, 1]. */
    static double expectedScore(float[] query, float[] stored) {
        return Vectors.cosineScore(Similarity.cosine(query, stored));
    }

    /** A chunk with a small amount of filler text. */
    static Chunk chunk(Random random, String documentId, int index, Map<String, Object> metadata) {
        StringBuilder text = new StringBuilder("Chunk ").append(index).append(" of ").append(documentId).append(':');
        int words = 6 + random.nextInt(8);
        for (int i = 0; i < words; i++) {
            text.append(' ').append(FILLER[random.nextInt(FILLER.length)]);
        }
        return Chunk.of(documentId, index, text.toString(), metadata);
    }

    /** Document id {@code doc-NNN}; zero-padded so that string order is numeric order. */
    static String documentId(int n) {
        return String.format("doc-%03d", n);
    }

    /**
     * Chunks over {@code documents} documents with {@code perDocument} chunks each, random unit vectors
     * (some scaled, as cosine must not depend on length) and varied metadata: {@code lang} (always),
     * {@code year} (Long, sometimes absent), {@code rating} (Double, or Long when whole, sometimes
     * absent), {@code published} (Boolean), {@code tag} (often absent), {@code title} (mixed case and
     * accents).
     */
    static List<EmbeddedChunk> corpus(Random random, int dimension, int documents, int perDocument) {
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            String documentId = documentId(d);
            for (int i = 0; i < perDocument; i++) {
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("lang", LANGS[random.nextInt(LANGS.length)]);
                if (random.nextInt(100) < 85) {
                    metadata.put("year", 2010L + random.nextInt(15));
                }
                int r = random.nextInt(100);
                if (r < 30) {
                    metadata.put("rating", (long) random.nextInt(6));
                } else if (r < 90) {
                    metadata.put("rating", random.nextInt(51) / 10.0);
                }
                metadata.put("published", random.nextBoolean());
                if (random.nextInt(100) < 70) {
                    metadata.put("tag", TAGS[random.nextInt(TAGS.length)]);
                }
                metadata.put("title", TITLE_WORDS[random.nextInt(TITLE_WORDS.length)]);
                float[] vector = unitVector(random, dimension);
                if (random.nextInt(4) == 0) {
                    vector = scaled(vector, 0.25f + 3 * random.nextFloat());
                }
                out.add(new EmbeddedChunk(chunk(random, documentId, i, metadata), vector));
            }
        }
        return out;
    }

    /**
     * Filters covering every operator, the reserved key, missing keys, whole versus decimal numbers,
     * strings, booleans and values of the wrong type, keyed by a readable description.
     */
    static Map<String, Filter> filtersForCorpus() {
        Map<String, Filter> f = new LinkedHashMap<>();
        f.put("eq string", Filter.eq("lang", "fr"));
        f.put("eq whole number given as Integer", Filter.eq("year", 2020));
        f.put("eq whole number given as decimal 2020.0", Filter.eq("year", 2020.0));
        f.put("eq decimal-or-whole field with whole 3", Filter.eq("rating", 3));
        f.put("eq decimal-or-whole field with 3.0", Filter.eq("rating", 3.0));
        f.put("eq decimal 2.5", Filter.eq("rating", 2.5));
        f.put("eq boolean true", Filter.eq("published", true));
        f.put("eq boolean false", Filter.eq("published", false));
        f.put("eq on sometimes-missing key", Filter.eq("tag", "beta"));
        f.put("eq on a key no chunk has", Filter.eq("no_such_key", "x"));
        f.put("eq number field with a string (type mismatch)", Filter.eq("year", "2020"));
        f.put("eq boolean field with a string (type mismatch)", Filter.eq("published", "true"));
        f.put("eq case-sensitive string", Filter.eq("title", "apple"));
        f.put("eq accented string", Filter.eq("title", "été"));
        f.put("ne string", Filter.ne("lang", "fr"));
        f.put("ne on sometimes-missing key (absent counts)", Filter.ne("tag", "beta"));
        f.put("ne whole number", Filter.ne("year", 2020));
        f.put("ne boolean", Filter.ne("published", true));
        f.put("ne on a key no chunk has (all match)", Filter.ne("no_such_key", 1));
        f.put("in strings", Filter.in("lang", List.of("fr", "de")));
        f.put("in numbers, whole and decimal", Filter.in("year", List.of(2015, 2016.0, 2020L)));
        f.put("in on sometimes-missing key", Filter.in("tag", List.of("alpha", "gamma")));
        f.put("in mixed types", Filter.in("year", List.of(2021, "2022")));
        f.put("in single value", Filter.in("title", List.of("Zebra")));
        f.put("notIn strings", Filter.notIn("lang", List.of("en")));
        f.put("notIn on sometimes-missing key (absent counts)", Filter.notIn("tag", List.of("alpha")));
        f.put("notIn numbers", Filter.notIn("year", List.of(2015, 2016)));
        f.put("gt whole", Filter.gt("year", 2018));
        f.put("gt decimal on whole field", Filter.gt("year", 2018.5));
        f.put("gte whole", Filter.gte("year", 2020));
        f.put("lt whole", Filter.lt("year", 2013));
        f.put("lte decimal on whole field", Filter.lte("year", 2013.0));
        f.put("gt whole on mixed field", Filter.gt("rating", 2));
        f.put("gte decimal on mixed field", Filter.gte("rating", 2.5));
        f.put("lt decimal on mixed field", Filter.lt("rating", 4.0));
        f.put("lte whole on mixed field", Filter.lte("rating", 3));
        f.put("gt string", Filter.gt("title", "M"));
        f.put("lt string", Filter.lt("title", "Mango"));
        f.put("gte string", Filter.gte("lang", "es"));
        f.put("lte string with accents", Filter.lte("title", "été"));
        f.put("gt string field with a number (type mismatch)", Filter.gt("lang", 5));
        f.put("lt number field with a string (type mismatch)", Filter.lt("year", "2020"));
        f.put("gt on a key no chunk has", Filter.gt("no_such_key", 0));
        f.put("eq doc_id", Filter.eq("doc_id", documentId(3)));
        f.put("ne doc_id", Filter.ne("doc_id", documentId(3)));
        f.put("in doc_id", Filter.in("doc_id", List.of(documentId(1), documentId(5), "doc-unknown")));
        f.put("notIn doc_id", Filter.notIn("doc_id", List.of(documentId(0), documentId(2))));
        f.put("lte doc_id (string order)", Filter.lte("doc_id", documentId(4)));
        f.put("and", Filter.and(Filter.eq("lang", "fr"), Filter.gt("year", 2015)));
        f.put("and with one operand", Filter.and(Filter.eq("published", true)));
        f.put("or", Filter.or(Filter.eq("tag", "alpha"), Filter.lt("rating", 1.5)));
        f.put("not", Filter.not(Filter.eq("lang", "en")));
        f.put("not of in on sometimes-missing key", Filter.not(Filter.in("tag", List.of("alpha", "beta"))));
        f.put("not not", Filter.not(Filter.not(Filter.eq("published", false))));
        f.put("not of gt (absent keys match)", Filter.not(Filter.gt("year", 2016)));
        f.put("nested and/or/not", Filter.and(
                Filter.or(Filter.eq("lang", "fr"), Filter.eq("lang", "de")),
                Filter.not(Filter.eq("tag", "gamma")),
                Filter.gte("rating", 1)));
        f.put("or of and with doc_id", Filter.or(
                Filter.and(Filter.eq("doc_id", documentId(7)), Filter.eq("published", true)),
                Filter.and(Filter.lt("year", 2012), Filter.ne("lang", "es"))));
        f.put("very selective (few matches)", Filter.and(Filter.eq("doc_id", documentId(9)),
                Filter.eq("lang", "de")));
        return f;
    }

    /**
     * A filter using {@code op} with one value of {@code type} on a key of the {@link #corpus} holding that
     * type ({@code lang}, {@code year}, {@code published}).
     */
    static Filter sampleFilter(FilterSupport.Operator op, FilterSupport.ValueType type) {
        String key = switch (type) {
            case STRING -> "lang";
            case NUMBER -> "year";
            case BOOLEAN -> "published";
        };
        Object value = switch (type) {
            case STRING -> "fr";
            case NUMBER -> 2018L;
            case BOOLEAN -> true;
        };
        return switch (op) {
            case EQ -> Filter.eq(key, value);
            case NE -> Filter.ne(key, value);
            case IN -> Filter.in(key, List.of(value));
            case NOT_IN -> Filter.notIn(key, List.of(value));
            case GT -> Filter.gt(key, value);
            case GTE -> Filter.gte(key, value);
            case LT -> Filter.lt(key, value);
            case LTE -> Filter.lte(key, value);
        };
    }

    /** One expected hit: the chunk, its stored vector and the score a query should give it. */
    record Scored(Chunk chunk, double score) {
        String id() {
            return chunk.id();
        }
    }

    /** Every chunk satisfying {@code filter} (all when null), scored against {@code query}, best first. */
    static List<Scored> bruteForce(List<EmbeddedChunk> corpus, float[] query, Filter filter) {
        List<Scored> out = new ArrayList<>();
        for (EmbeddedChunk c : corpus) {
            if (filter == null || filter.test(c.chunk())) {
                out.add(new Scored(c.chunk(), expectedScore(query, c.vector())));
            }
        }
        out.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id));
        return out;
    }

    /**
     * Problems with the hit list's own order: scores must not increase, equal scores must have
     * ascending ids, ids must be distinct. Empty when the order is right.
     */
    static List<String> orderProblems(List<SearchHit> hits) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < hits.size(); i++) {
            Integer before = seen.put(hits.get(i).id(), i);
            if (before != null) {
                problems.add("id " + hits.get(i).id() + " returned twice, at " + before + " and " + i);
            }
            if (i > 0) {
                SearchHit a = hits.get(i - 1);
                SearchHit b = hits.get(i);
                if (a.score() < b.score()) {
                    problems.add("hit " + i + " (" + b.id() + ", " + b.score() + ") scores higher than hit " + (i - 1)
                            + " (" + a.id() + ", " + a.score() + ")");
                } else if (a.score() == b.score() && a.id().compareTo(b.id()) > 0) {
                    problems.add("tie at score " + a.score() + " not broken by ascending id: " + a.id() + " before "
                            + b.id());
                }
            }
        }
        return problems;
    }

    /**
     * Problems of an exact top-k result against the brute force: size, every hit's score within
     * {@link #SCORE_TOLERANCE} of its cosine, and no better chunk left out (up to the tolerance, so
     * near-ties may come in either order).
     */
    static List<String> exactTopKProblems(List<SearchHit> hits, List<Scored> expected, int topK) {
        List<String> problems = new ArrayList<>();
        int wanted = Math.min(topK, expected.size());
        if (hits.size() != wanted) {
            problems.add("expected " + wanted + " hits (topK " + topK + ", " + expected.size() + " candidates) but got "
                    + hits.size() + ": " + ids(hits));
        }
        Map<String, Scored> byId = new HashMap<>();
        expected.forEach(s -> byId.put(s.id(), s));
        double lowest = Double.POSITIVE_INFINITY;
        java.util.Set<String> returned = new java.util.HashSet<>();
        for (SearchHit hit : hits) {
            returned.add(hit.id());
            Scored reference = byId.get(hit.id());
            if (reference == null) {
                problems.add("hit " + hit.id() + " is not a candidate (unknown id or excluded by the filter)");
                continue;
            }
            if (Math.abs(reference.score() - hit.score()) > SCORE_TOLERANCE) {
                problems.add("hit " + hit.id() + " scored " + hit.score() + " but its clamped cosine is "
                        + reference.score());
            }
            lowest = Math.min(lowest, reference.score());
        }
        if (hits.size() == wanted) {
            for (Scored s : expected) {
                if (!returned.contains(s.id()) && s.score() > lowest + SCORE_TOLERANCE) {
                    problems.add("missed " + s.id() + " with score " + s.score() + ", better than the lowest hit returned ("
                            + lowest + ")");
                }
            }
        }
        return problems;
    }

    /**
     * Fraction of the exact top-k found by {@code hits}; a hit tied (within tolerance) with the k-th
     * best counts as found.
     */
    static double recall(List<SearchHit> hits, List<Scored> expected, int topK) {
        int wanted = Math.min(topK, expected.size());
        if (wanted == 0) {
            return 1.0;
        }
        double kth = expected.get(wanted - 1).score();
        Map<String, Scored> byId = new HashMap<>();
        expected.forEach(s -> byId.put(s.id(), s));
        long found = hits.stream().limit(wanted)
                .filter(h -> byId.containsKey(h.id()) && byId.get(h.id()).score() >= kth - SCORE_TOLERANCE)
                .count();
        return (double) found / wanted;
    }

    /** Chunks whose words the keyword checks look for; none of them occurs in the filler text. */
    static final class Keyword {
        static final Chunk RARE_EN = Chunk.of("kw-rare-en", 0,
                "The quokka of Zanzibar hops quietly near the old harbour.", Map.of("lang", "en"));
        static final Chunk RARE_FR = Chunk.of("kw-rare-fr", 0,
                "Le quokka de Zanzibar se promène près du vieux port.", Map.of("lang", "fr"));
        static final Chunk ACCENTED = Chunk.of("kw-accent", 0,
                "Les étudiants étrangers découvrent la bibliothèque universitaire.", Map.of("lang", "fr"));
        static final Chunk UPPER_CASE = Chunk.of("kw-case", 0,
                "KUBERNETES Clusters schedule Containers across NODES.", Map.of("lang", "en"));
        static final Chunk UNACCENTED = Chunk.of("kw-plain", 0,
                "The cafe owner wrote a resume for the naive barista.", Map.of("lang", "en"));

        private Keyword() {
        }

        static List<Chunk> specials() {
            return List.of(RARE_EN, RARE_FR, ACCENTED, UPPER_CASE, UNACCENTED);
        }
    }

    /** The keyword specials plus {@code fillers} chunks of filler words, all with random vectors. */
    static List<EmbeddedChunk> keywordCorpus(Random random, int dimension, int fillers) {
        List<EmbeddedChunk> out = new ArrayList<>();
        for (Chunk c : Keyword.specials()) {
            out.add(new EmbeddedChunk(c, unitVector(random, dimension)));
        }
        for (int i = 0; i < fillers; i++) {
            Map<String, Object> metadata = Map.of("lang", LANGS[random.nextInt(LANGS.length)]);
            out.add(new EmbeddedChunk(chunk(random, "kw-" + documentId(i / 3), i % 3, metadata),
                    unitVector(random, dimension)));
        }
        return out;
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    static List<String> chunkIds(List<EmbeddedChunk> chunks) {
        return chunks.stream().map(EmbeddedChunk::id).toList();
    }
}
