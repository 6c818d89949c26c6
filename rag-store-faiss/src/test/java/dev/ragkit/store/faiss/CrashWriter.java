package dev.ragkit.store.faiss;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The writer process {@link FaissCrashSafetyTest} kills: it resumes the store in a directory and writes
 * batches forever, announcing each flush on stdout before and after it. Batch {@code b} (from 1) adds
 * {@value #BATCH} chunks {@code b<b>-<j>}, deletes {@value #DELETES} chunks of batch {@code b-1} and
 * rewrites {@value #REWRITES} more of them, so the count after batch {@code b} is {@link #countAfter}.
 */
public final class CrashWriter {
    static final int DIMENSION = 64;
    static final int BATCH = 400;
    static final int DELETES = 100;
    static final int REWRITES = 50;

    private CrashWriter() {
    }

    static long countAfter(long batches) {
        return batches == 0 ? 0 : BATCH * batches - DELETES * (batches - 1);
    }

    static FaissVectorStore open(Path dir) {
        return open(dir, "HNSW32");
    }

    static FaissVectorStore open(Path dir, String index) {
        return FaissVectorStore.builder().dimension(DIMENSION).index(index).nprobe(16).compactionRatio(0.2)
                .directory(dir).build();
    }

    static List<EmbeddedChunk> batch(long seed, long b) {
        Random random = new Random(seed * 31 + b);
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int j = 0; j < BATCH; j++) {
            Chunk c = Chunk.of("b" + b + "-" + j, 0, "chunk " + j + " of batch " + b, Map.of("batch", b));
            out.add(new EmbeddedChunk(c, TestData.vector(random, DIMENSION)));
        }
        return out;
    }

    /**
     * Args: directory, seed, mode[, index]. Mode {@code flush} is described above; mode {@code journal} only
     * upserts batch after batch, never flushing, and prints {@code written <b> <count>} after each.
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        if (args.length > 2 && args[2].equals("journal")) {
            try (FaissVectorStore store = open(dir, args.length > 3 ? args[3] : "HNSW32")) {
                for (long b = store.count() / BATCH + 1; ; b++) {
                    store.upsert(batch(seed, b));
                    System.out.println("written " + b + " " + store.count());
                    System.out.flush();
                }
            }
        }
        try (FaissVectorStore store = open(dir)) {
            long done = store.count() == 0 ? 0 : inferBatches(store.count());
            for (long b = done + 1; ; b++) {
                store.upsert(batch(seed, b));
                if (b > 1) {
                    List<String> deletes = new ArrayList<>();
                    for (int j = 0; j < DELETES; j++) {
                        deletes.add(Chunk.idOf("b" + (b - 1) + "-" + j, 0));
                    }
                    store.delete(deletes);
                    List<EmbeddedChunk> previous = batch(seed, b - 1);
                    List<EmbeddedChunk> rewrites = new ArrayList<>();
                    for (int j = DELETES; j < DELETES + REWRITES; j++) {
                        EmbeddedChunk e = previous.get(j);
                        rewrites.add(new EmbeddedChunk(e.chunk(), TestData.vector(new Random(b * 1000 + j), DIMENSION)));
                    }
                    store.upsert(rewrites);
                }
                System.out.println("flushing " + b);
                System.out.flush();
                store.flush();
                System.out.println("flushed " + b + " " + store.count());
                System.out.flush();
            }
        }
    }

    static long inferBatches(long count) {
        long b = 1;
        while (countAfter(b) < count) {
            b++;
        }
        if (countAfter(b) != count) {
            throw new IllegalStateException("count " + count + " matches no whole number of batches");
        }
        return b;
    }
}
