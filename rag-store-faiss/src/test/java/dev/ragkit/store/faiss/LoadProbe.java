package dev.ragkit.store.faiss;

import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import java.util.Locale;
import java.util.Random;

/**
 * Child process of {@link NativeLibraryLoadTest}: builds a store (twice, to show a failure is stable),
 * prints the library file loaded, then the top 5 of a few seeded queries on Flat and HNSW so that
 * library variants can be compared.
 */
public final class LoadProbe {
    private LoadProbe() {
    }

    public static void main(String[] args) {
        boolean failed = false;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (FaissVectorStore store = FaissVectorStore.builder().dimension(4).index("Flat").build()) {
                System.out.println("loaded " + store + " from " + NativeLibrary.loadedFile());
            } catch (RuntimeException e) {
                System.out.println("attempt " + attempt + ": " + e.getClass().getName() + ": " + e.getMessage());
                failed = true;
            }
        }
        if (failed) {
            return;
        }
        for (String index : new String[] {"Flat", "HNSW32"}) {
            Random random = new Random(TestData.SEED);
            try (FaissVectorStore store = FaissVectorStore.builder().dimension(96).index(index).build()) {
                store.upsert(TestData.chunks(random, 96, 3000));
                for (int q = 0; q < 5; q++) {
                    StringBuilder line = new StringBuilder("result " + index + " " + q + ":");
                    for (SearchHit h : store.search(SearchRequest.dense(TestData.vector(random, 96), 5))) {
                        line.append(String.format(Locale.ROOT, " %s=%.6f", h.id(), h.score()));
                    }
                    System.out.println(line);
                }
            }
        }
    }
}
