package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.guard.internal.SemanticScorer;
import dev.ragkit.guard.internal.TokenVectors;
import dev.ragkit.guard.internal.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SemanticHeadTest {
    @Test
    void choleskySolvesASymmetricSystem() {
        // H = [[4,2,0],[2,3,1],[0,1,2]] (lower triangle given), g = H * [1, -2, 3] = [0, -1, 4]
        double[][] h = {{4, 0, 0}, {2, 3, 0}, {0, 1, 2}};
        double[] s = SemanticHead.solveSymmetric(h, new double[] {0, -1, 4});
        assertThat(s[0]).isCloseTo(1, within(1e-12));
        assertThat(s[1]).isCloseTo(-2, within(1e-12));
        assertThat(s[2]).isCloseTo(3, within(1e-12));
    }

    @Test
    void learnsWhichDirectionIsPositiveAndRoundTrips() throws IOException {
        // A two-token vocabulary whose vectors are the axes, so a text's embedding is its token mix.
        WordPieceTokenizer tokenizer = WordPieceTokenizer.read(
                new ByteArrayInputStream("[UNK]\na\nb\n".getBytes(StandardCharsets.UTF_8)));
        SemanticScorer.Shared shared = new SemanticScorer.Shared(tokenizer,
                TokenVectors.quantize(new float[][] {{0, 0}, {1, 0}, {0, 1}}));
        Random random = new Random(1);
        List<float[]> x = new ArrayList<>();
        List<TrainGuards.Example> y = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean positive = i % 2 == 0;
            float a = positive ? 0.2f + random.nextFloat() * 0.3f : 0.6f + random.nextFloat() * 0.4f;
            x.add(new float[] {a, (float) Math.sqrt(1 - a * a)});
            y.add(new TrainGuards.Example("test", "t" + i, positive));
            rows.add(i);
        }
        SemanticScorer head = SemanticHead.fit(shared, x, y, rows);
        assertThat(head.probability("b b b")).isGreaterThan(0.9);
        assertThat(head.probability("a a a")).isLessThan(0.1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        head.write(bytes);
        SemanticScorer back = SemanticScorer.read(new ByteArrayInputStream(bytes.toByteArray()), shared);
        assertThat(back.probability("a b")).isEqualTo(head.probability("a b"));
    }

    @Test
    void aSuspiciousSentenceIsNotDilutedByTheRestOfTheText() throws IOException {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.read(
                new ByteArrayInputStream("[UNK]\na\nb\n.\n".getBytes(StandardCharsets.UTF_8)));
        SemanticScorer.Shared shared = new SemanticScorer.Shared(tokenizer,
                TokenVectors.quantize(new float[][] {{0, 0}, {1, 0}, {0, 1}, {0, 0}}));
        // Positive along "b", negative along "a".
        SemanticScorer head = new SemanticScorer(shared, new float[] {-4, 4}, 0);
        String mixed = "a a a a a a a a. b b.";
        double wholeText = head.probability(shared.embed(mixed));
        assertThat(wholeText).isLessThan(0.5);
        assertThat(head.probability(mixed)).isCloseTo(head.probability("b b"), within(1e-6))
                .isGreaterThan(0.9);
        // One sentence: the whole text is the sentence.
        assertThat(head.probability("a a b")).isCloseTo(head.probability(shared.embed("a a b")), within(1e-9));
    }
}
