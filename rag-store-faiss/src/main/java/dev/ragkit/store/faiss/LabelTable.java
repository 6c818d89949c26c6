package dev.ragkit.store.faiss;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.store.ChunkCodec;
import dev.ragkit.core.store.SortedScan;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The chunks of a FAISS store and the int64 labels their vectors have in the native index: chunk id to
 * label and back, and a bitmap of the live labels (the id selector that hides an HNSW graph's
 * tombstones). A replaced or deleted chunk's label is retired, never reused: labels only grow.
 *
 * <p>Not thread-safe: the store's lock guards it (reads in parallel, writes alone).
 */
final class LabelTable {
    private final NavigableMap<String, Entry> byId = new TreeMap<>();
    private final Map<Long, Entry> byLabel = new HashMap<>();
    private byte[] live = new byte[64];
    private long nextLabel;

    /** A stored chunk and the label of its vector. */
    record Entry(long label, Chunk chunk) {
    }

    /** Number of chunks. */
    int size() {
        return byId.size();
    }

    /** Whether a chunk with this id is stored. */
    boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** The first label never used, the bound of every bitmap. */
    long nextLabel() {
        return nextLabel;
    }

    /** {@code n} labels never used, for vectors about to be added; taken by {@link #put}. */
    long[] freshLabels(int n) {
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = nextLabel + i;
        }
        return labels;
    }

    /**
     * Records each chunk under the label at the same position, replacing a stored chunk of the same
     * id; returns the labels of the replaced chunks, which are no longer live.
     */
    List<Long> put(long[] labels, List<Chunk> chunks) {
        if (labels.length != chunks.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + chunks.size() + " chunks");
        }
        List<Long> replaced = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            Entry fresh = new Entry(labels[i], chunks.get(i));
            Entry old = byId.put(fresh.chunk().id(), fresh);
            byLabel.put(fresh.label(), fresh);
            setLive(fresh.label(), true);
            nextLabel = Math.max(nextLabel, fresh.label() + 1);
            if (old != null) {
                replaced.add(old.label());
            }
        }
        retire(replaced);
        return replaced;
    }

    /** Removes the chunks with these ids (unknown ids are ignored); returns the labels they had. */
    List<Long> remove(Collection<String> ids) {
        List<Long> labels = new ArrayList<>();
        for (String id : ids) {
            Entry e = byId.remove(id);
            if (e != null) {
                labels.add(e.label());
            }
        }
        retire(labels);
        return labels;
    }

    private void retire(List<Long> labels) {
        for (long label : labels) {
            byLabel.remove(label);
            setLive(label, false);
        }
    }

    /** The chunk whose vector has this label; null for a label that is not live. */
    Chunk chunk(long label) {
        Entry e = byLabel.get(label);
        return e == null ? null : e.chunk();
    }

    /** The stored entries among {@code ids}, in the order of {@code ids}, skipping unknown ids. */
    List<Entry> entries(Collection<String> ids) {
        List<Entry> found = new ArrayList<>();
        for (String id : ids) {
            Entry e = byId.get(id);
            if (e != null) {
                found.add(e);
            }
        }
        return found;
    }

    /** Every live label, in ascending order of chunk id. */
    long[] labels() {
        return byId.values().stream().mapToLong(Entry::label).toArray();
    }

    /** The labels of the chunks {@code filter} accepts ({@link Filter#test}), in ascending order of chunk id. */
    long[] labels(Filter filter) {
        return byId.values().stream().filter(e -> filter.test(e.chunk())).mapToLong(Entry::label).toArray();
    }

    /**
     * The bitmap of live labels (bit {@code l & 7} of byte {@code l >>> 3}): the table's own array, for
     * the native search to read while the table does not change. Never modify it.
     */
    byte[] liveBitmap() {
        return live;
    }

    /** A bitmap in the same layout with only these labels set, large enough for every label used. */
    byte[] bitmap(long[] labels) {
        byte[] bits = new byte[(int) ((nextLabel + 7) >>> 3)];
        for (long l : labels) {
            bits[(int) (l >>> 3)] |= (byte) (1 << (l & 7));
        }
        return bits;
    }

    private void setLive(long label, boolean on) {
        int index = (int) (label >>> 3);
        if (index >= live.length) {
            byte[] grown = new byte[Math.max(index + 1, live.length * 2)];
            System.arraycopy(live, 0, grown, 0, live.length);
            live = grown;
        }
        if (on) {
            live[index] |= (byte) (1 << (label & 7));
        } else {
            live[index] &= (byte) ~(1 << (label & 7));
        }
    }

    /** One page of the chunks {@code filter} accepts (all when null), in id order; see {@link SortedScan}. */
    ScanPage scan(Filter filter, String cursor, int limit) {
        return SortedScan.page(byId, Entry::chunk, filter, cursor, limit);
    }

    /** Forgets every chunk and label, as a new table. */
    void clear() {
        byId.clear();
        byLabel.clear();
        live = new byte[64];
        nextLabel = 0;
    }

    /** Writes the next free label, the number of chunks, then each chunk with its label, in id order. */
    void write(DataOutput out) throws IOException {
        out.writeLong(nextLabel);
        out.writeInt(byId.size());
        for (Entry e : byId.values()) {
            out.writeLong(e.label());
            ChunkCodec.writeChunk(out, e.chunk());
        }
    }

    /** Replaces this table's contents with what {@link #write} wrote. */
    void read(DataInput in) throws IOException {
        clear();
        long next = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long label = in.readLong();
            Entry e = new Entry(label, ChunkCodec.readChunk(in));
            byId.put(e.chunk().id(), e);
            byLabel.put(label, e);
            setLive(label, true);
        }
        nextLabel = next;
    }
}
