package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The label table alone: no native code. */
class LabelTableTest {
    private static Chunk chunk(String doc, String lang) {
        return Chunk.of(doc, 0, "text of " + doc, Map.of("lang", lang));
    }

    private static boolean isSet(byte[] bits, long label) {
        int index = (int) (label >>> 3);
        return index < bits.length && (bits[index] & (1 << (label & 7))) != 0;
    }

    @Test
    void freshLabelsFollowTheLastLabelUsedAndAreTakenOnlyByPut() {
        LabelTable table = new LabelTable();
        assertThat(table.freshLabels(3)).containsExactly(0, 1, 2);
        assertThat(table.freshLabels(3)).as("not taken until put").containsExactly(0, 1, 2);
        assertThat(table.put(table.freshLabels(2), List.of(chunk("a", "en"), chunk("b", "fr")))).isEmpty();
        assertThat(table.nextLabel()).isEqualTo(2);
        assertThat(table.freshLabels(2)).containsExactly(2, 3);
    }

    @Test
    void replacingAChunkRetiresItsOldLabelAndLabelsAreNeverReused() {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(3), List.of(chunk("a", "en"), chunk("b", "fr"), chunk("c", "de")));
        Chunk newB = Chunk.of("b", 0, "replaced", Map.of());
        List<Long> replaced = table.put(table.freshLabels(1), List.of(newB));

        assertThat(replaced).containsExactly(1L);
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.chunk(1)).as("the retired label").isNull();
        assertThat(table.chunk(3)).isEqualTo(newB);
        assertThat(isSet(table.liveBitmap(), 1)).isFalse();
        assertThat(isSet(table.liveBitmap(), 3)).isTrue();
        assertThat(table.labels()).as("live labels in id order a, b, c").containsExactly(0, 3, 2);

        assertThat(table.remove(List.of("a#0", "unknown#0", "c#0"))).containsExactly(0L, 2L);
        assertThat(table.freshLabels(1)).as("labels only grow, even after deletes").containsExactly(4);
        assertThat(table.remove(List.of("a#0"))).as("already gone").isEmpty();
        assertThat(table.labels()).containsExactly(3);
        assertThat(table.contains("a#0")).isFalse();
        assertThat(table.contains("b#0")).isTrue();
    }

    @Test
    void putRefusesLabelsThatDoNotMatchTheChunks() {
        LabelTable table = new LabelTable();
        assertThatThrownBy(() -> table.put(new long[] {0, 1}, List.of(chunk("a", "en"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(table.size()).isZero();
    }

    @Test
    void entriesKeepTheOrderAskedAndSkipUnknownIds() {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(3), List.of(chunk("a", "en"), chunk("b", "fr"), chunk("c", "de")));
        List<LabelTable.Entry> entries = table.entries(List.of("c#0", "x#0", "a#0", "b#0"));
        assertThat(entries).extracting(LabelTable.Entry::label).containsExactly(2L, 0L, 1L);
        assertThat(entries).extracting(e -> e.chunk().documentId()).containsExactly("c", "a", "b");
    }

    @Test
    void theLiveBitmapGrowsPastItsFirstSize() {
        LabelTable table = new LabelTable();
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            chunks.add(chunk("doc-" + i, "en"));
        }
        table.put(table.freshLabels(1000), chunks);
        table.remove(List.of("doc-999#0", "doc-0#0"));
        byte[] live = table.liveBitmap();
        assertThat(live.length).isGreaterThanOrEqualTo(125);
        assertThat(isSet(live, 0)).isFalse();
        assertThat(isSet(live, 1)).isTrue();
        assertThat(isSet(live, 998)).isTrue();
        assertThat(isSet(live, 999)).isFalse();
    }

    @Test
    void filteredLabelsAndTheirBitmap() {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(4), List.of(chunk("d", "fr"), chunk("a", "fr"), chunk("c", "en"), chunk("b", "fr")));
        long[] french = table.labels(Filter.eq("lang", "fr"));
        assertThat(french).as("in id order a, b, d").containsExactly(1, 3, 0);

        byte[] bits = table.bitmap(french);
        assertThat(bits).hasSize(1);
        assertThat(isSet(bits, 0)).isTrue();
        assertThat(isSet(bits, 1)).isTrue();
        assertThat(isSet(bits, 2)).isFalse();
        assertThat(isSet(bits, 3)).isTrue();

        table.put(table.freshLabels(6), List.of(chunk("e", "en"), chunk("f", "en"), chunk("g", "en"),
                chunk("h", "en"), chunk("i", "en"), chunk("j", "fr")));
        assertThat(table.bitmap(new long[] {9})).as("sized by the labels used: 10 labels, 2 bytes").hasSize(2);
    }

    @Test
    void scanPagesInIdOrder() {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(3), List.of(chunk("c", "en"), chunk("a", "fr"), chunk("b", "en")));
        ScanPage first = table.scan(null, null, 2);
        assertThat(first.chunks()).extracting(Chunk::documentId).containsExactly("a", "b");
        ScanPage second = table.scan(null, first.nextCursor().orElseThrow(), 2);
        assertThat(second.chunks()).extracting(Chunk::documentId).containsExactly("c");
        assertThat(second.nextCursor()).isEmpty();
        assertThat(table.scan(Filter.eq("lang", "en"), null, 10).chunks()).extracting(Chunk::documentId)
                .containsExactly("b", "c");
    }

    @Test
    void writeThenReadGivesTheSameTable() throws IOException {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(3), List.of(chunk("a", "en"), chunk("b", "fr"), chunk("c", "de")));
        table.put(table.freshLabels(1), List.of(Chunk.of("a", 0, "new a", Map.of("n", 2L, "x", 0.5))));
        table.remove(List.of("c#0"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.write(new DataOutputStream(bytes));
        LabelTable read = new LabelTable();
        read.put(read.freshLabels(1), List.of(chunk("stale", "en"))); // replaced by read
        read.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(read.size()).isEqualTo(2);
        assertThat(read.contains("stale#0")).isFalse();
        assertThat(read.nextLabel()).as("the next label survives, though the highest labels were retired").isEqualTo(4);
        assertThat(read.labels()).containsExactly(table.labels());
        assertThat(read.entries(List.of("a#0", "b#0"))).isEqualTo(table.entries(List.of("a#0", "b#0")));
        assertThat(Arrays.copyOf(read.liveBitmap(), 1)).isEqualTo(Arrays.copyOf(table.liveBitmap(), 1));
        assertThat(read.chunk(0)).as("retired before the write").isNull();
    }

    @Test
    void readingACutTableFails() throws IOException {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(2), List.of(chunk("a", "en"), chunk("b", "fr")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.write(new DataOutputStream(bytes));
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
        assertThatThrownBy(() -> new LabelTable().read(new DataInputStream(new ByteArrayInputStream(cut))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void clearForgetsEverything() {
        LabelTable table = new LabelTable();
        table.put(table.freshLabels(2), List.of(chunk("a", "en"), chunk("b", "fr")));
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.nextLabel()).isZero();
        assertThat(table.chunk(0)).isNull();
        assertThat(isSet(table.liveBitmap(), 0)).isFalse();
    }
}
