package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.spi.Embedder;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * An {@link Embedder} that remembers every vector on disk, so that embedding the same text with the
 * same model again costs nothing, across runs. Keys are the embedder's {@link Embedder#id()} (one
 * file per id) and the SHA-256 of the text, kept apart for documents and queries because a model
 * may embed a query differently (an instruction prefix).
 *
 * <p>The file is append-only: a header (magic, dimension, embedder id), then fixed-size records
 * (kind, text hash, the vector, a CRC-32 of the record). On open, records are read up to the first
 * incomplete or corrupt one (a run killed mid-write), and the file is cut back there, so a damaged
 * tail costs only the vectors in it. Appends take a file lock, so two processes may share a cache.
 *
 * <p>Thread-safe. Vectors handed out are copies.
 */
public final class CachingEmbedder implements Embedder, Closeable {
    private static final byte[] MAGIC = "RKEMBC01".getBytes(StandardCharsets.US_ASCII);
    private static final byte DOCUMENT = 'D';
    private static final byte QUERY = 'Q';
    private static final int HASH_BYTES = 32;

    private final Embedder delegate;
    private final Path file;
    private final int dimension;
    private final int recordBytes;
    private final FileChannel channel;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final long recoveredBytes;

    private CachingEmbedder(Embedder delegate, Path file) throws IOException {
        this.delegate = delegate;
        this.file = file;
        this.dimension = delegate.dimension();
        this.recordBytes = 1 + HASH_BYTES + 4 * dimension + 4;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long dropped;
        try (FileLock lock = channel.lock()) {
            dropped = loadOrInitialise();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.recoveredBytes = dropped;
    }

    /**
     * Wraps {@code delegate} with the cache file for its id inside {@code directory} (created if
     * needed), loading every vector already there.
     *
     * @throws RagConfigurationException when the file belongs to another embedder id or dimension
     * @throws UncheckedIOException when the directory or file cannot be used
     */
    public static CachingEmbedder open(Embedder delegate, Path directory) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
            return new CachingEmbedder(delegate, directory.resolve(fileName(delegate.id())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the embedding cache in " + directory, e);
        }
    }

    /** The cache file name for an embedder id: a readable form of the id plus a hash of it. */
    static String fileName(String embedderId) {
        String readable = embedderId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        return readable + "-" + HexFormat.of().formatHex(sha256(embedderId)).substring(0, 12) + ".emb";
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Set<String> languages() {
        return delegate.languages();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        return embed(texts, DOCUMENT);
    }

    @Override
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was '" + query + "' but it must be non-blank");
        }
        return embed(List.of(query), QUERY).get(0);
    }

    private List<float[]> embed(List<String> texts, byte kind) {
        List<String> keys = new ArrayList<>(texts.size());
        Map<String, String> missing = new LinkedHashMap<>(); // key -> text, each distinct text once
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("texts[" + i + "] was '" + text + "' but it must be non-blank");
            }
            String key = key(kind, text);
            keys.add(key);
            if (!vectors.containsKey(key)) {
                missing.put(key, text);
            }
        }
        if (!missing.isEmpty()) {
            List<String> missingTexts = new ArrayList<>(missing.values());
            List<float[]> computed = kind == QUERY
                    ? List.of(delegate.embedQuery(missingTexts.get(0)))
                    : delegate.embedDocuments(missingTexts);
            if (computed.size() != missingTexts.size()) {
                throw RagBackendException.permanent(delegate.id(), "embedder returned " + computed.size()
                        + " vectors for " + missingTexts.size() + " texts", null);
            }
            List<String> missingKeys = new ArrayList<>(missing.keySet());
            for (int i = 0; i < computed.size(); i++) {
                float[] v = computed.get(i);
                if (v == null || v.length != dimension) {
                    throw RagBackendException.permanent(delegate.id(), "embedder returned a vector of length "
                            + (v == null ? "null" : v.length) + " but its dimension is " + dimension, null);
                }
            }
            append(kind, missingKeys, missingTexts, computed);
            for (int i = 0; i < computed.size(); i++) {
                vectors.put(missingKeys.get(i), computed.get(i).clone());
            }
        }
        misses.addAndGet(missing.size());
        hits.addAndGet(texts.size() - missing.size());
        List<float[]> result = new ArrayList<>(texts.size());
        for (String key : keys) {
            result.add(vectors.get(key).clone());
        }
        return result;
    }

    /** Texts served from the cache since this instance was opened. */
    public long hits() {
        return hits.get();
    }

    /** Distinct texts sent to the wrapped embedder since this instance was opened. */
    public long misses() {
        return misses.get();
    }

    /** Vectors held (loaded from disk plus added since). */
    public int size() {
        return vectors.size();
    }

    /** Bytes of a damaged tail that were cut off when the file was opened (0 when it was intact). */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /** Closes the cache file; the wrapped embedder is not closed. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close embedding cache " + file, e);
        }
    }

    private long loadOrInitialise() throws IOException {
        byte[] idBytes = delegate.id().getBytes(StandardCharsets.UTF_8);
        int headerBytes = MAGIC.length + 4 + 4 + idBytes.length;
        long size = channel.size();
        if (size == 0) {
            ByteBuffer header = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(dimension).putInt(idBytes.length).put(idBytes).flip();
            writeFully(header, 0);
            channel.force(false);
            return 0;
        }
        ByteBuffer header = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(header, 0);
        header.flip();
        byte[] magic = new byte[MAGIC.length];
        if (header.remaining() >= MAGIC.length) {
            header.get(magic);
        }
        if (!java.util.Arrays.equals(magic, MAGIC) || header.remaining() < 8) {
            throw new RagConfigurationException("embedding cache file " + file + " is not a Ragkit cache (bad header); "
                    + "delete it to start a new cache");
        }
        int fileDimension = header.getInt();
        int idLength = header.getInt();
        byte[] fileId = new byte[Math.min(idLength, header.remaining())];
        header.get(fileId);
        if (idLength != idBytes.length || !java.util.Arrays.equals(fileId, idBytes) || fileDimension != dimension) {
            throw new RagConfigurationException("embedding cache file " + file + " holds embedder '"
                    + new String(fileId, StandardCharsets.UTF_8) + "' of dimension " + fileDimension
                    + " but was opened for '" + delegate.id() + "' of dimension " + dimension
                    + "; delete it or use another cache directory");
        }
        long position = headerBytes;
        ByteBuffer record = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        while (position + recordBytes <= size) {
            record.clear();
            readFully(record, position);
            record.flip();
            crc.reset();
            crc.update(record.array(), 0, recordBytes - 4);
            if ((int) crc.getValue() != record.getInt(recordBytes - 4)) {
                break; // a torn or corrupt record: everything from here on is dropped
            }
            byte kind = record.get();
            byte[] hash = new byte[HASH_BYTES];
            record.get(hash);
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = record.getFloat();
            }
            vectors.put(key(kind, hash), v);
            position += recordBytes;
        }
        long dropped = size - position;
        if (dropped > 0) {
            channel.truncate(position);
            channel.force(false);
        }
        return dropped;
    }

    private void append(byte kind, List<String> keys, List<String> texts, List<float[]> computed) {
        ByteBuffer buffer = ByteBuffer.allocate(recordBytes * computed.size()).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        for (int i = 0; i < computed.size(); i++) {
            int start = buffer.position();
            buffer.put(kind).put(sha256(texts.get(i)));
            for (float f : computed.get(i)) {
                buffer.putFloat(f);
            }
            crc.reset();
            crc.update(buffer.array(), start, recordBytes - 4);
            buffer.putInt((int) crc.getValue());
        }
        buffer.flip();
        synchronized (channel) {
            try (FileLock lock = channel.lock()) {
                writeFully(buffer, channel.size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to embedding cache " + file, e);
            }
        }
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            p += channel.write(buffer, p);
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
    }

    private static String key(byte kind, String text) {
        return key(kind, sha256(text));
    }

    private static String key(byte kind, byte[] hash) {
        return (char) kind + HexFormat.of().formatHex(hash);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }
}
