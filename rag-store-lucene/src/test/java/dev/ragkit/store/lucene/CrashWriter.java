package dev.ragkit.store.lucene;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The writer process of {@link LuceneCrashSafetyTest}: upserts batches of 50 chunks ({@code b<batch>-<i>#0})
 * into the store in {@code args[0]} and prints {@code committed <batch>} after each upsert returns,
 * until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        Random random = new Random(7);
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(8).directory(Path.of(args[0])).build()) {
            for (int batch = 0; ; batch++) {
                List<EmbeddedChunk> chunks = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    float[] v = new float[8];
                    for (int j = 0; j < 8; j++) {
                        v[j] = (float) random.nextGaussian();
                    }
                    chunks.add(new EmbeddedChunk(Chunk.of("b" + batch + "-" + i, 0, "batch " + batch + " chunk " + i,
                            Map.of("batch", batch)), v));
                }
                store.upsert(chunks);
                System.out.println("committed " + batch);
                System.out.flush();
            }
        }
    }
}
