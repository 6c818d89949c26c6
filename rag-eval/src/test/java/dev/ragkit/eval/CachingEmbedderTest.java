package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingEmbedderTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondRunEmbedsNothingAndReturnsTheSameVectors() {
        TinyBeir.BagOfWords model = new TinyBeir.BagOfWords();
        List<float[]> first;
        float[] query;
        try (CachingEmbedder cache = CachingEmbedder.open(model, tmp)) {
            first = cache.embedDocuments(List.of("alpha beta gamma", "delta epsilon", "alpha beta gamma"));
            query = cache.embedQuery("alpha query");
            assertThat(cache.misses()).isEqualTo(3); // the repeated text is embedded once
            assertThat(cache.hits()).isEqualTo(1);
        }
        assertThat(model.embedded).containsExactly("alpha beta gamma", "delta epsilon");

        TinyBeir.BagOfWords again = new TinyBeir.BagOfWords();
        try (CachingEmbedder cache = CachingEmbedder.open(again, tmp)) {
            assertThat(cache.size()).isEqualTo(3);
            List<float[]> second = cache.embedDocuments(List.of("alpha beta gamma", "delta epsilon"));
            assertThat(second.get(0)).containsExactly(first.get(0));
            assertThat(second.get(1)).containsExactly(first.get(1));
            assertThat(cache.embedQuery("alpha query")).containsExactly(query);
            assertThat(cache.misses()).isZero();
        }
        assertThat(again.documentCalls).isZero();
        assertThat(again.queryCalls).isZero();
    }

    @Test
    void queriesAndDocumentsAreCachedApart() {
        TinyBeir.BagOfWords model = new TinyBeir.BagOfWords();
        try (CachingEmbedder cache = CachingEmbedder.open(model, tmp)) {
            cache.embedDocuments(List.of("same text"));
            cache.embedQuery("same text");
            assertThat(model.documentCalls).isEqualTo(1);
            assertThat(model.queryCalls).isEqualTo(1);
        }
    }

    @Test
    void aTornTailIsCutOffAndTheRestKept() throws Exception {
        Path file;
        try (CachingEmbedder cache = CachingEmbedder.open(new TinyBeir.BagOfWords(), tmp)) {
            cache.embedDocuments(List.of("one text", "two text"));
            file = cache.file();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10); // a run killed in the middle of the second record
        }
        TinyBeir.BagOfWords model = new TinyBeir.BagOfWords();
        try (CachingEmbedder cache = CachingEmbedder.open(model, tmp)) {
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.recoveredBytes()).isPositive();
            cache.embedDocuments(List.of("one text", "two text"));
            assertThat(model.embedded).containsExactly("two text");
        }
    }

    @Test
    void aModelOfAnotherDimensionUnderTheSameIdNeverGetsTheOtherVectors() {
        try (CachingEmbedder cache = CachingEmbedder.open(new TinyBeir.BagOfWords(), tmp)) {
            cache.embedQuery("x y z");
        }
        TinyBeir.BagOfWords other = new TinyBeir.BagOfWords() {
            @Override
            public int dimension() {
                return 32;
            }

            @Override
            public float[] embedQuery(String query) {
                queryCalls++;
                return new float[32];
            }
        };
        try (CachingEmbedder cache = CachingEmbedder.open(other, tmp)) {
            assertThat(cache.embedQuery("x y z")).hasSize(32);
            assertThat(cache.misses()).isEqualTo(1);
        }
        assertThat(other.queryCalls).isEqualTo(1);
    }

    @Test
    void aFileOfTheEarlierFormatIsReadAndWhatARunUsesIsMigrated() throws Exception {
        TinyBeir.BagOfWords model = new TinyBeir.BagOfWords();
        float[] doc = model.embedDocuments(List.of("alpha beta gamma")).get(0);
        float[] query = model.embedQuery("alpha query");
        writeEarlierFormat(tmp.resolve(CachingEmbedder.fileName(model.id(), ".emb")), model.id(), model.dimension(),
                List.of(new Object[] {'D', "alpha beta gamma", doc}, new Object[] {'Q', "alpha query", query}));

        TinyBeir.BagOfWords fresh = new TinyBeir.BagOfWords();
        try (CachingEmbedder cache = CachingEmbedder.open(fresh, tmp)) {
            assertThat(cache.embedDocuments(List.of("alpha beta gamma", "delta epsilon")).get(0)).containsExactly(doc);
            assertThat(cache.embedQuery("alpha query")).containsExactly(query);
            assertThat(cache.migrated()).isEqualTo(2);
            assertThat(cache.hits()).isEqualTo(2);
            assertThat(cache.misses()).isEqualTo(1);
            assertThat(cache.file().getFileName().toString()).endsWith(".rkc");
        }
        assertThat(fresh.embedded).containsExactly("delta epsilon");
        Files.delete(tmp.resolve(CachingEmbedder.fileName(model.id(), ".emb")));

        TinyBeir.BagOfWords third = new TinyBeir.BagOfWords();
        try (CachingEmbedder cache = CachingEmbedder.open(third, tmp)) {
            cache.embedDocuments(List.of("alpha beta gamma", "delta epsilon"));
            assertThat(cache.embedQuery("alpha query")).containsExactly(query);
            assertThat(cache.misses()).as("migrated into the new file").isZero();
        }
    }

    /** The earlier format, as CachingEmbedder wrote it: RKEMBC01, dimension, id, then kind/sha-256/vector/crc records. */
    private static void writeEarlierFormat(Path file, String id, int dimension, List<Object[]> records) throws Exception {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int recordBytes = 1 + 32 + 4 * dimension + 4;
        ByteBuffer out = ByteBuffer.allocate(8 + 8 + idBytes.length + records.size() * recordBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put("RKEMBC01".getBytes(StandardCharsets.US_ASCII)).putInt(dimension).putInt(idBytes.length).put(idBytes);
        for (Object[] r : records) {
            int start = out.position();
            out.put((byte) (char) r[0]).put(MessageDigest.getInstance("SHA-256")
                    .digest(((String) r[1]).getBytes(StandardCharsets.UTF_8)));
            for (float f : (float[]) r[2]) {
                out.putFloat(f);
            }
            CRC32 crc = new CRC32();
            crc.update(out.array(), start, recordBytes - 4);
            out.putInt((int) crc.getValue());
        }
        Files.write(file, out.array());
    }
}
