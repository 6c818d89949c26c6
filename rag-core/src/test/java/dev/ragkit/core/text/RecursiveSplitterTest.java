package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RecursiveSplitterTest {

    private static final String FRENCH = """
            Ragkit découpe les documents en morceaux. Chaque morceau garde ses métadonnées.

            M. Dupont a écrit ce guide en 2024. Il explique l'ingestion, p. ex. le découpage récursif, \
            puis la recherche hybride. La fusion RRF combine les deux classements.

            Les réponses citent leurs sources. Une réponse extractive ne demande aucun modèle de langage.
            """;

    private static final String ENGLISH = """
            Ragkit splits documents into chunks. Every chunk keeps its metadata.

            Dr. Smith wrote this guide, e.g. the part on hybrid search. The score is 3.5 on average. \
            Reciprocal rank fusion merges both rankings.

            Answers cite their sources. An extractive answer needs no language model.
            """;

    private static String stripWhitespace(String s) {
        return s.replaceAll("\\s+", "");
    }

    private static List<String> texts(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::text).toList();
    }

    @Test
    void settingsAreChecked() {
        assertThat(RecursiveSplitter.of(20, 9).maxChars()).isEqualTo(20);
        assertThat(RecursiveSplitter.of(100, 49).overlapChars()).isEqualTo(49);
        assertThat(RecursiveSplitter.defaults().maxChars()).isEqualTo(1000);
        assertThat(RecursiveSplitter.defaults().overlapChars()).isEqualTo(150);
        assertThatThrownBy(() -> RecursiveSplitter.of(19, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("maxChars was 19");
        assertThatThrownBy(() -> RecursiveSplitter.of(100, 50)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("overlapChars was 50");
        assertThatThrownBy(() -> RecursiveSplitter.of(100, -1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void emptyAndBlankDocumentsGiveNoChunks() {
        RecursiveSplitter splitter = RecursiveSplitter.of(100, 10);
        assertThat(splitter.split(new Document("empty", ""))).isEmpty();
        assertThat(splitter.split(new Document("blank", "  \n\n \t \n"))).isEmpty();
    }

    @Test
    void tinyDocumentIsOneChunk() {
        List<Chunk> chunks = RecursiveSplitter.of(100, 10).split(new Document("tiny", "  Bonjour.  ", Map.of("lang", "fr")));
        assertThat(chunks).hasSize(1);
        Chunk c = chunks.get(0);
        assertThat(c.id()).isEqualTo("tiny#0");
        assertThat(c.index()).isZero();
        assertThat(c.text()).isEqualTo("Bonjour.");
        assertThat(c.contentHash()).isEqualTo(Chunk.hash("Bonjour."));
        assertThat(c.metadata()).containsEntry("lang", "fr");
    }

    @Test
    void shortParagraphsArePackedTogetherAndSeparatedByABlankLine() {
        List<Chunk> chunks = RecursiveSplitter.of(1000, 100).split(new Document("d", "First  paragraph\nwraps.\n\n\nSecond one."));
        assertThat(texts(chunks)).containsExactly("First paragraph wraps.\n\nSecond one.");
    }

    @Test
    void paragraphsAreNeverCutWhenTheyFit() {
        String p1 = "Alpha paragraph has some words in it.";         // 37
        String p2 = "Beta paragraph is a little longer than that.";  // 44
        String p3 = "Gamma paragraph closes the document.";          // 36
        List<Chunk> chunks = RecursiveSplitter.of(60, 0).split(new Document("d", p1 + "\n\n" + p2 + "\n\n" + p3));
        assertThat(texts(chunks)).containsExactly(p1, p2, p3);
        assertThat(chunks).extracting(Chunk::id).containsExactly("d#0", "d#1", "d#2");
    }

    @Test
    void longParagraphsAreCutAtSentenceEnds() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            text.append("Sentence number ").append(i).append(" says something short. ");
        }
        List<Chunk> chunks = RecursiveSplitter.of(120, 0).split(new Document("d", text.toString()));
        assertThat(chunks).hasSizeGreaterThan(1);
        for (Chunk c : chunks) {
            assertThat(c.text()).hasSizeLessThanOrEqualTo(120).startsWith("Sentence number").endsWith("says something short.");
        }
        assertThat(stripWhitespace(String.join("", texts(chunks)))).isEqualTo(stripWhitespace(text.toString()));
    }

    @Test
    void overlapRepeatsTrailingSentencesOfThePreviousChunk() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append("Fact ").append(i).append(" is stated here. ");   // about 23 characters each
        }
        List<Chunk> chunks = RecursiveSplitter.of(100, 40).split(new Document("d", text.toString()));
        assertThat(chunks).hasSizeGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            List<String> previousSentences = SentenceSplitter.split(previous);
            String lastSentence = previousSentences.get(previousSentences.size() - 1);
            assertThat(chunks.get(i).text()).as("chunk %d starts with the last sentence of chunk %d", i, i - 1)
                    .startsWith(lastSentence);
            assertThat(lastSentence.length()).isLessThanOrEqualTo(40);
        }
        for (Chunk c : chunks) {
            assertThat(c.text()).hasSizeLessThanOrEqualTo(100);
        }
    }

    @Test
    void noOverlapMeansEveryCharacterExactlyOnce() {
        RecursiveSplitter splitter = RecursiveSplitter.of(80, 0);
        for (String text : List.of(FRENCH, ENGLISH)) {
            List<Chunk> chunks = splitter.split(new Document("d", text));
            assertThat(stripWhitespace(String.join("", texts(chunks)))).isEqualTo(stripWhitespace(text));
        }
    }

    @Test
    void frenchAbbreviationsStayInsideTheirSentence() {
        List<Chunk> chunks = RecursiveSplitter.of(80, 0).split(new Document("fr", FRENCH));
        for (Chunk c : chunks) {
            assertThat(c.text()).hasSizeLessThanOrEqualTo(80).doesNotEndWith(" M.").doesNotEndWith(" p.").doesNotEndWith(" ex.");
            assertThat(c.text()).doesNotStartWith("Dupont").doesNotStartWith("ex.");
        }
        assertThat(texts(chunks)).anySatisfy(t -> assertThat(t).contains("M. Dupont a écrit ce guide en 2024."));
    }

    @Test
    void englishAbbreviationsAndDecimalsStayInsideTheirSentence() {
        List<Chunk> chunks = RecursiveSplitter.of(80, 0).split(new Document("en", ENGLISH));
        assertThat(texts(chunks)).anySatisfy(t -> assertThat(t).contains("The score is 3.5 on average."));
        for (Chunk c : chunks) {
            assertThat(c.text()).hasSizeLessThanOrEqualTo(80).doesNotEndWith("Dr.").doesNotEndWith("e.g.");
        }
    }

    @Test
    void aSingleOverLongSentenceIsCutAtWords() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            text.append("mot").append(i).append(' ');
        }
        List<Chunk> chunks = RecursiveSplitter.of(50, 10).split(new Document("d", text.toString()));
        assertThat(chunks).hasSizeGreaterThan(5);
        List<String> words = Arrays.asList(text.toString().trim().split(" "));
        for (Chunk c : chunks) {
            assertThat(c.text()).hasSizeLessThanOrEqualTo(50);
            assertThat(words).as("every word of %s is a whole source word", c.text()).containsAll(List.of(c.text().split(" ")));
        }
    }

    @Test
    void aSingleOverLongWordIsCutAnywhere() {
        String word = "x".repeat(250);
        List<Chunk> chunks = RecursiveSplitter.of(100, 0).split(new Document("d", "Avant. " + word + " après."));
        for (Chunk c : chunks) {
            assertThat(c.text()).hasSizeLessThanOrEqualTo(100);
        }
        assertThat(stripWhitespace(String.join("", texts(chunks)))).isEqualTo(stripWhitespace("Avant. " + word + " après."));
    }

    @Test
    void aWordOfUnicodeSpacesAloneIsNoChunk() {
        // U+2003 is whitespace to Java but not to \\s, so it stays a word; cut alone between two long
        // words it made a blank chunk, and the whole document failed with "text was empty".
        String text = "a".repeat(20) + " \u2003 " + "b".repeat(20);
        assertThat(texts(RecursiveSplitter.of(20, 0).split(new Document("d", text))))
                .containsExactly("a".repeat(20), "b".repeat(20));
    }

    /**
     * Fifty million characters with no space or line break, the worst case for cutting over-long
     * words: each cut used to copy the rest of the word, a terabyte of copies in all, minutes. The
     * timeout is a generous guard against going back to quadratic time, not a benchmark: linear
     * takes one or two seconds.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneHugeTokenIsCutInLinearTime() {
        int length = 50_000_000;
        List<Chunk> chunks = RecursiveSplitter.defaults().split(new Document("token", "a".repeat(length)));
        assertThat(chunks).hasSize(length / 1000);
        assertThat(chunks).allSatisfy(c -> assertThat(c.text()).hasSize(1000));
    }

    /** A long line of words without a sentence end, split as words, in linear time and without listing them all. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneHugeLineOfWordsIsCutInLinearTime() {
        String line = "lorem ipsum dolor sit amet ".repeat(750_000);   // 20 million characters
        int[] count = {0};
        int[] shortest = {Integer.MAX_VALUE};
        int[] longest = {0};
        RecursiveSplitter.defaults().split(new Document("line", line), (chunk, textRead) -> {
            count[0]++;
            if (textRead < line.length() - 1000) {   // all but the last chunk are full
                shortest[0] = Math.min(shortest[0], chunk.text().length());
            }
            longest[0] = Math.max(longest[0], chunk.text().length());
        });
        assertThat(count[0]).isBetween(line.length() / 1000, line.length() / 950 + 1);
        assertThat(shortest[0]).isGreaterThan(970);
        assertThat(longest[0]).isLessThanOrEqualTo(1000);
    }

    @Test
    void chunksAreHandedOverAsSoonAsTheyAreCut() {
        String text = "Sentence of a long document. ".repeat(100_000);
        List<Integer> read = new ArrayList<>();
        RuntimeException stop = new RuntimeException("enough");
        assertThatThrownBy(() -> RecursiveSplitter.defaults().split(new Document("d", text), (chunk, textRead) -> {
            read.add(textRead);
            throw stop;
        })).isSameAs(stop);
        assertThat(read).singleElement().satisfies(r -> assertThat(r).isBetween(900, 1100));
    }

    @Test
    void theDefaultStreamingSplitGivesTheSameChunksWithEstimatedPositions() {
        Splitter whole = document -> RecursiveSplitter.of(50, 0).split(document);
        Document d = new Document("d", FRENCH);
        List<Chunk> streamed = new ArrayList<>();
        List<Integer> read = new ArrayList<>();
        whole.split(d, (chunk, textRead) -> {
            streamed.add(chunk);
            read.add(textRead);
        });
        assertThat(streamed).isEqualTo(whole.split(d)).hasSizeGreaterThan(3);
        assertThat(read).isSorted().last().isEqualTo(FRENCH.length());
    }

    @Test
    void deterministic() {
        RecursiveSplitter splitter = RecursiveSplitter.of(90, 30);
        Document d = new Document("d", FRENCH + "\n\n" + ENGLISH, Map.of("lang", "mixed"));
        assertThat(splitter.split(d)).isEqualTo(splitter.split(d));
    }

    @Test
    void overlapOfWholeParagraphsNeverExceedsMaxChars() {
        // Two 20-character paragraphs fit in the 49-character overlap with their blank-line separator,
        // and the next 57-character paragraph then has to fit beside them.
        String p1 = "a".repeat(19) + ".";
        String p2 = "b".repeat(19) + ".";
        String p3 = "c".repeat(56) + ".";
        List<Chunk> chunks = RecursiveSplitter.of(100, 49).split(new Document("d", p1 + "\n\n" + p2 + "\n\n" + p3));
        for (Chunk c : chunks) {
            assertThat(c.text().length()).as("length of %s", c.id()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void randomDocumentsRespectSizeAndCoverage() {
        long seed = 7_2026L;
        Random random = new Random(seed);
        String[] words = {"le", "chat", "élève", "M.", "Dupont", "index", "3.5", "e.g.", "retrieval", "données",
            "œuvre", "hybride", "p.", "ex.", "search", "sentence", "paragraphe", "x".repeat(30), "fin"};
        for (int round = 0; round < 150; round++) {
            StringBuilder text = new StringBuilder();
            int paragraphs = 1 + random.nextInt(5);
            for (int p = 0; p < paragraphs; p++) {
                int sentences = 1 + random.nextInt(8);
                for (int s = 0; s < sentences; s++) {
                    int n = 1 + random.nextInt(25);
                    StringBuilder sentence = new StringBuilder();
                    for (int w = 0; w < n; w++) {
                        String word = words[random.nextInt(words.length)];
                        sentence.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word).append(' ');
                    }
                    text.append(sentence.toString().trim()).append(random.nextBoolean() ? ". " : " ? ");
                }
                text.append(random.nextBoolean() ? "\n\n" : "\n \n");
            }
            int max = 20 + random.nextInt(300);
            int overlap = random.nextInt(max / 2);
            if (random.nextInt(4) == 0) {
                overlap = 0;
            }
            String why = "seed " + seed + " round " + round + " max " + max + " overlap " + overlap;
            List<Chunk> chunks = RecursiveSplitter.of(max, overlap).split(new Document("doc", text.toString()));
            assertThat(chunks).as(why).isNotEmpty();
            String source = stripWhitespace(text.toString());
            List<String> stripped = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                assertThat(c.id()).as(why).isEqualTo("doc#" + i);
                assertThat(c.text().length()).as(why + " chunk " + i).isLessThanOrEqualTo(max);
                assertThat(c.text()).as(why).isNotBlank().isEqualTo(c.text().strip());
                stripped.add(stripWhitespace(c.text()));
                assertThat(source).as(why + " chunk " + i + " is a piece of the source").contains(stripped.get(i));
            }
            assertThat(source).as(why).startsWith(stripped.get(0)).endsWith(stripped.get(stripped.size() - 1));
            List<Chunk> streamed = new ArrayList<>();
            List<Integer> read = new ArrayList<>();
            RecursiveSplitter.of(max, overlap).split(new Document("doc", text.toString()), (chunk, textRead) -> {
                streamed.add(chunk);
                read.add(textRead);
            });
            assertThat(streamed).as(why + ": chunks handed over one by one").isEqualTo(chunks);
            assertThat(read).as(why).isSorted().allSatisfy(r -> assertThat(r).isBetween(1, text.length()));
            if (overlap == 0) {
                assertThat(String.join("", stripped)).as(why).isEqualTo(source);
            } else {
                assertThat(String.join("", stripped).length()).as(why).isGreaterThanOrEqualTo(source.length());
            }
        }
    }
}
