package dev.ragkit.core.migrate;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The process {@link StoreMigrationCrashTest} kills during dual-writes: it writes batches through the
 * migration's store forever (new chunks, rewrites and deletes), the target slowed down so that a kill
 * often lands between the source's write and the target's. Prints {@code wrote <n>} after each batch.
 * Args: source directory, target directory, state directory, seed.
 */
public final class DualWriteCrashChild {
    private DualWriteCrashChild() {
    }

    public static void main(String[] args) {
        long seed = Long.parseLong(args[3]);
        try (MemoryVectorStore source = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                .directory(Path.of(args[0])).build();
             MemoryVectorStore target = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                     .directory(Path.of(args[1])).build()) {
            ForwardingVectorStore slowTarget = new ForwardingVectorStore(target) {
                @Override
                public void upsert(List<EmbeddedChunk> chunks) {
                    pause();
                    super.upsert(chunks);
                }

                @Override
                public void delete(java.util.Collection<String> ids) {
                    pause();
                    super.delete(ids);
                }
            };
            try (StoreMigration migration = StoreMigration.builder(source, slowTarget).stateDirectory(Path.of(args[2]))
                    .acceptNonEmptyTarget(true).open()) {
                Random random = new Random(seed);
                for (int n = 1; ; n++) {
                    if (n % 3 == 0) {
                        migration.store().delete(List.of("doc-" + random.nextInt(200) + "#0"));
                    } else {
                        migration.store().upsert(List.of(MigrationFixtures.chunk(random, "doc-" + random.nextInt(200), n),
                                MigrationFixtures.chunk(random, "new-" + seed + "-" + n, n)));
                    }
                    System.out.println("wrote " + n);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
