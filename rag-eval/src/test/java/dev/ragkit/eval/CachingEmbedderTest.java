package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
    void refusesAFileOfAnotherEmbedder() {
        try (CachingEmbedder cache = CachingEmbedder.open(new TinyBeir.BagOfWords(), tmp)) {
            cache.embedQuery("x y z");
        }
        TinyBeir.BagOfWords other = new TinyBeir.BagOfWords() {
            @Override
            public int dimension() {
                return 32;
            }
        };
        assertThatThrownBy(() -> CachingEmbedder.open(other, tmp)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("dimension 64").hasMessageContaining("dimension 32");
    }
}
