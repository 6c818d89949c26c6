package dev.ragkit.loader.tika;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.ingest.FileSystemLoader;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.ingest.SyncReport;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tika's formats go through the same sync as text files: a deleted PDF leaves the index. */
class TikaSyncTest {
    /** Letters counted into a small vector: enough to store and compare, no model needed. */
    private static final class LetterEmbedder implements Embedder {
        @Override
        public String id() {
            return "letters:8";
        }

        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(this::embedQuery).toList();
        }

        @Override
        public float[] embedQuery(String text) {
            float[] v = new float[8];
            text.chars().forEach(c -> v[c % 8] += 1);
            v[0] += 1;
            return v;
        }
    }

    @TempDir
    Path dir;

    @Test
    void aDeletedPdfLeavesTheIndexAndHtmlGoesThroughTika() throws Exception {
        TikaDocumentParserTest.pdf(dir.resolve("a.pdf"), "First", "The first document talks about the probe.");
        TikaDocumentParserTest.pdf(dir.resolve("b.pdf"), "Second", "The second document talks about the rail.");
        Files.writeString(dir.resolve("c.html"), "<html><head><title>Third</title></head><body><h1>Head</h1>"
                + "<p>Caf&eacute; cr&egrave;me &amp; croissant.</p><script>ignored()</script></body></html>");
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(8).build();
        Ingestor ingestor = Ingestor.builder().embedder(new LetterEmbedder()).store(store).build();

        SyncReport first = ingestor.sync(FileSystemLoader.of(dir));
        assertThat(first.documents()).isEqualTo(3);
        Map<String, Chunk> chunks = chunks(store);
        assertThat(chunks.get("c.html#0").text()).contains("Café crème & croissant.").doesNotContain("ignored");
        assertThat(chunks.get("c.html#0").metadata()).containsEntry("title", "Third")
                .containsEntry("content_type", "text/html");
        assertThat(chunks.get("a.pdf#0").metadata()).containsEntry("title", "First")
                .containsEntry("source_id", dir.toAbsolutePath().toString());

        Files.delete(dir.resolve("b.pdf"));
        SyncReport second = ingestor.sync(FileSystemLoader.of(dir));
        assertThat(second.documentsDeleted()).isEqualTo(1);
        assertThat(second.chunksEmbedded()).isZero();
        assertThat(chunks(store)).containsOnlyKeys("a.pdf#0", "c.html#0");
    }

    private static Map<String, Chunk> chunks(MemoryVectorStore store) {
        Map<String, Chunk> all = new TreeMap<>();
        store.scan(null, null, 1000).chunks().forEach(c -> all.put(c.id(), c));
        return all;
    }
}
