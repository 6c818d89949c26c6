/**
 * The extension points of Ragkit: {@link dev.ragkit.core.spi.VectorStore}, {@link dev.ragkit.core.spi.Embedder},
 * {@link dev.ragkit.core.spi.LlmClient}, {@link dev.ragkit.core.spi.Guard} and their providers.
 *
 * <p><b>Nulls.</b> Every parameter and return value in this package is non-null, and every list
 * holds no null element, except where the method's documentation says otherwise. The exceptions are
 * few and deliberate: {@link dev.ragkit.core.spi.VectorStore#scan(dev.ragkit.core.model.Filter, String, int)}
 * takes a null {@code filter} (every chunk) and a null {@code cursor} (the first page). Absent values
 * are returned as {@link java.util.Optional} ({@code VectorStore.indexInfo()},
 * {@code ScanPage.nextCursor()}, {@code SearchRequest.filter()}), never as null. Callers may pass
 * what the documentation allows without checking; implementations may assume the rest, and the test
 * kit checks that they reject null or blank text with {@link dev.ragkit.core.InvalidInputException}.
 */
package dev.ragkit.core.spi;
