package dev.ragkit.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmbeddingIdsTest {
    private static final String[] PARTS = {"a", "doc", "#", "#0", "#1", "#12", "#05", "x#3", "0", "7", " ", "é"};

    @Test
    void everyLangChain4jIdRoundTripsAndNoTwoIdsShareAChunk() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, String> chunkToId = new HashMap<>();
        for (int n = 0; n < 20_000; n++) {
            String id = randomId(random);
            EmbeddingIds.ChunkAddress address;
            try {
                address = EmbeddingIds.toChunk(id);
            } catch (InvalidInputException refused) {
                // Only blank ids and "<plain>#0" are refused; the latter is shown as "<plain>".
                assertThat(id.isBlank() || id.endsWith("#0")).as("seed %d: refused id '%s'", seed, id).isTrue();
                continue;
            }
            Chunk chunk = Chunk.of(address.documentId(), address.index(), "text", Map.of());
            assertThat(EmbeddingIds.toEmbeddingId(chunk)).as("seed %d: id '%s' back from chunk %s", seed, id, chunk.id())
                    .isEqualTo(id);
            String previous = chunkToId.put(chunk.id(), id);
            assertThat(previous == null || previous.equals(id)).as("seed %d: '%s' and '%s' share chunk %s",
                    seed, previous, id, chunk.id()).isTrue();
        }
    }

    @Test
    void everyRagkitChunkHasAnIdThatLeadsBackToIt() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int n = 0; n < 20_000; n++) {
            String documentId = randomId(random);
            if (documentId.isBlank()) {
                continue;
            }
            int index = random.nextInt(3) == 0 ? 0 : random.nextInt(100);
            Chunk chunk = Chunk.of(documentId, index, "text", Map.of());
            String id = EmbeddingIds.toEmbeddingId(chunk);
            assertThat(EmbeddingIds.toChunk(id).chunkId()).as("seed %d: chunk %s via id '%s'", seed, chunk.id(), id)
                    .isEqualTo(chunk.id());
        }
    }

    @Test
    void examples() {
        String uuid = UUID.randomUUID().toString();
        assertThat(EmbeddingIds.toChunk(uuid).chunkId()).isEqualTo(uuid + "#0");
        assertThat(EmbeddingIds.toChunk("report#3").chunkId()).isEqualTo("report#3");
        assertThat(EmbeddingIds.toEmbeddingId(Chunk.of("report", 0, "t", Map.of()))).isEqualTo("report");
        assertThat(EmbeddingIds.toEmbeddingId(Chunk.of("report", 3, "t", Map.of()))).isEqualTo("report#3");
        assertThatThrownBy(() -> EmbeddingIds.toChunk("report#0"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("use 'report' as the id");
        assertThatThrownBy(() -> EmbeddingIds.toChunk(" ")).isInstanceOf(InvalidInputException.class);
    }

    private static String randomId(Random random) {
        StringBuilder b = new StringBuilder();
        int parts = 1 + random.nextInt(4);
        for (int i = 0; i < parts; i++) {
            b.append(PARTS[random.nextInt(PARTS.length)]);
        }
        return b.toString();
    }
}
