package dev.ragkit.core.migrate;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link StoreMigrationCrashTest} kills with SIGKILL: a backfill from a memory store
 * directory to another, slowed down per batch, printing {@code copied <n>} after each checkpoint.
 * Args: source directory, target directory, state directory, batch size.
 */
public final class BackfillCrashChild {
    private BackfillCrashChild() {
    }

    public static void main(String[] args) {
        Path sourceDir = Path.of(args[0]);
        Path targetDir = Path.of(args[1]);
        Path stateDir = Path.of(args[2]);
        int batch = Integer.parseInt(args[3]);
        try (MemoryVectorStore source = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                .directory(sourceDir).readOnly(true).build();
             MemoryVectorStore target = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                     .directory(targetDir).build()) {
            ForwardingVectorStore slowTarget = new ForwardingVectorStore(target) {
                @Override
                public void upsert(List<EmbeddedChunk> chunks) {
                    super.upsert(chunks);
                    try {
                        Thread.sleep(15); // leaves the parent time to kill between and inside batches
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try (StoreMigration migration = StoreMigration.builder(source, slowTarget).stateDirectory(stateDir)
                    .batchSize(batch).open()) {
                migration.backfill(status -> System.out.println("copied " + status.chunksCopied()));
                System.out.println("done");
            }
        }
    }
}
