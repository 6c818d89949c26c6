package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkTest {

    @Test
    void idIsDocumentIdHashIndex() {
        Chunk c = Chunk.of("docs/guide.md", 3, "Texte.", Map.of());
        assertThat(c.id()).isEqualTo("docs/guide.md#3");
        assertThat(c.documentId()).isEqualTo("docs/guide.md");
        assertThat(c.index()).isEqualTo(3);
        assertThat(Chunk.idOf("a", 0)).isEqualTo("a#0");
        assertThat(Chunk.idOf("a", 12)).isEqualTo("a#12");
    }

    @Test
    void contentHashIsSha256OfUtf8InLowercaseHex() {
        // Published SHA-256 test vector for "abc" (FIPS 180-2).
        assertThat(Chunk.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // Computed independently with Python's hashlib on the UTF-8 bytes.
        assertThat(Chunk.hash("élève")).isEqualTo("a9991c64d5fcc01960dc982eb8803e0222b9d4c73a10f3739995e63d1e946517");
        assertThat(Chunk.of("d", 0, "abc", Map.of()).contentHash()).isEqualTo(Chunk.hash("abc"));
    }

    @Test
    void contentHashDependsOnTextOnly() {
        Chunk a = Chunk.of("a", 0, "Même texte", Map.of("lang", "fr"));
        Chunk b = Chunk.of("b", 7, "Même texte", Map.of());
        Chunk c = Chunk.of("a", 0, "Même texte.", Map.of("lang", "fr"));
        assertThat(a.contentHash()).isEqualTo(b.contentHash()).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(c.contentHash()).isNotEqualTo(a.contentHash());
        assertThat(Chunk.of("a", 0, "Meme texte", Map.of()).contentHash()).isNotEqualTo(a.contentHash());
    }

    @Test
    void equalInputsGiveEqualChunks() {
        assertThat(Chunk.of("a", 1, "t", Map.of("n", 1))).isEqualTo(Chunk.of("a", 1, "t", Map.of("n", 1L)));
    }

    @Test
    void constructorChecksEveryField() {
        String h = Chunk.hash("t");
        assertThatThrownBy(() -> new Chunk("a#1", "a", 0, "t", h, Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a#1'").hasMessageContaining("'a#0'");
        assertThatThrownBy(() -> new Chunk(null, "a", 0, "t", h, Map.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Chunk.of("a", -1, "t", Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Chunk.of(" ", 0, "t", Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("documentId");
        assertThatThrownBy(() -> Chunk.of("a", 0, "  \n", Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a#0'");
        assertThatThrownBy(() -> new Chunk("a#0", "a", 0, "t", "", Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("contentHash");
    }

    @Test
    void metadataIsNormalisedAndImmutable() {
        Map<String, Object> source = new HashMap<>(Map.of("year", 2021));
        Chunk c = Chunk.of("a", 0, "t", source);
        source.put("year", 1999);
        assertThat(c.metadata()).containsEntry("year", 2021L);
        assertThatThrownBy(() -> c.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Chunk.of("a", 0, "t", null).metadata()).isEmpty();
    }

    @Test
    void titleComesFromMetadataOrDocumentId() {
        assertThat(Chunk.of("a", 0, "t", Map.of("title", "Guide")).title()).isEqualTo("Guide");
        assertThat(Chunk.of("a", 0, "t", Map.of("title", " ")).title()).isEqualTo("a");
        assertThat(Chunk.of("a", 0, "t", Map.of("title", 5)).title()).isEqualTo("a");
        assertThat(Chunk.of("a", 0, "t", Map.of()).title()).isEqualTo("a");
    }

    @Test
    void documentChecksIdAndText() {
        assertThatThrownBy(() -> new Document("a#b", "t")).isInstanceOf(InvalidInputException.class).hasMessageContaining("'a#b'");
        assertThatThrownBy(() -> new Document(" ", "t")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Document("a", null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("'a'");
        Document d = new Document("a", "", Map.of("title", "Titre", "n", 1));
        assertThat(d.title()).isEqualTo("Titre");
        assertThat(d.metadata()).containsEntry("n", 1L);
        assertThat(new Document("a", "x").title()).isEqualTo("a");
        assertThatThrownBy(() -> new Document("a", "t", Map.of("doc_id", "b"))).isInstanceOf(InvalidInputException.class);
    }
}
