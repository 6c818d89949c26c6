package dev.ragkit.core.text;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits on the largest natural boundary that fits: paragraphs (blank lines), then sentences
 * ({@link SentenceSplitter}, French and English), then words, then characters. Pieces are packed
 * greedily into chunks of at most {@code maxChars} characters; consecutive chunks share up to
 * {@code overlapChars} characters of whole trailing sentences (or words), so a fact that straddles a
 * boundary is retrievable from either side. Sizes are in characters, not model tokens: at roughly 4
 * characters a token, the default 1,000 fits every common embedding model's 256-token window with
 * little truncation.
 *
 * <p>Linear in the length of the text, and {@link #split(Document, ChunkSink)} hands each chunk over
 * as soon as it is cut, so a document of tens of megabytes, even one line or one token, is split in
 * memory proportional to its text, not to its chunks.
 */
public final class RecursiveSplitter implements Splitter {
    private static final Pattern PARAGRAPHS = Pattern.compile("\\n\\s*\\n");

    private final int maxChars;
    private final int overlapChars;

    private RecursiveSplitter(int maxChars, int overlapChars) {
        if (maxChars < 20) {
            throw new InvalidInputException("splitter maxChars was " + maxChars + " but it must be >= 20");
        }
        if (overlapChars < 0 || overlapChars >= maxChars / 2) {
            throw new InvalidInputException("splitter overlapChars was " + overlapChars
                    + " but it must be >= 0 and < maxChars / 2 (" + maxChars / 2 + ")");
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    /** A splitter with chunks of at most {@code maxChars} and overlap of up to {@code overlapChars}. */
    public static RecursiveSplitter of(int maxChars, int overlapChars) {
        return new RecursiveSplitter(maxChars, overlapChars);
    }

    /** 1,000 characters, 150 of overlap. */
    public static RecursiveSplitter defaults() {
        return of(1000, 150);
    }

    public int maxChars() {
        return maxChars;
    }

    public int overlapChars() {
        return overlapChars;
    }

    @Override
    public List<Chunk> split(Document document) {
        List<Chunk> chunks = new ArrayList<>();
        split(document, (chunk, textRead) -> chunks.add(chunk));
        return chunks;
    }

    @Override
    public void split(Document document, ChunkSink sink) {
        String text = document.text();
        Packer packer = new Packer(document, sink);
        // Paragraph by paragraph rather than PARAGRAPHS.split(text): only one paragraph is copied at a time.
        Matcher breaks = PARAGRAPHS.matcher(text);
        int from = 0;
        while (breaks.find()) {
            paragraph(text, from, breaks.start(), packer);
            from = breaks.end();
        }
        paragraph(text, from, text.length(), packer);
        packer.finish();
    }

    /** Cuts {@code text[from, to)}, one paragraph, into pieces for {@code packer}. */
    private void paragraph(String text, int from, int to, Packer packer) {
        String normalised = normalise(text, from, to);
        if (normalised.isEmpty()) {
            return;
        }
        packer.startParagraph();
        if (normalised.length() <= maxChars) {
            packer.add(normalised, to);
            return;
        }
        // Where a piece of the normalised paragraph ends in the text, near enough for progress reports.
        long span = to - from;
        IntUnaryOperator textPosition = end -> from + (int) (span * end / normalised.length());
        SentenceSplitter.forEachSentence(normalised, (start, end) -> fit(normalised, start, end, packer, textPosition));
    }

    /**
     * {@code text[from, to)} without its leading and trailing whitespace and with every run of
     * {@code [ \t\n\x0B\f\r]} inside it made one space, in one pass.
     */
    private static String normalise(String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        StringBuilder out = new StringBuilder(to - from);
        boolean inRun = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                inRun = true;
                continue;
            }
            if (inRun) {
                out.append(' ');
                inRun = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The characters of the regular expression {@code \s}: the ones a paragraph is normalised on. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /**
     * Hands the sentence {@code s[start, end)} to {@code packer}, cut at word boundaries when it is
     * too long, and an over-long word anywhere. Words are separated by single spaces in a normalised
     * paragraph, so every part is a substring and is found by index, never by re-copying the rest.
     */
    private void fit(String s, int start, int end, Packer packer, IntUnaryOperator textPosition) {
        if (end - start <= maxChars) {
            packer.add(s.substring(start, end), textPosition.applyAsInt(end));
            return;
        }
        int partStart = -1;   // the part being filled is s[partStart, partEnd); none when partStart < 0
        int partEnd = -1;
        int wordStart = start;
        while (wordStart < end) {
            int wordEnd = s.indexOf(' ', wordStart);
            if (wordEnd < 0 || wordEnd > end) {
                wordEnd = end;
            }
            int next = wordEnd + 1;
            while (wordEnd - wordStart > maxChars) {
                if (partStart >= 0) {
                    packer.add(s.substring(partStart, partEnd), textPosition.applyAsInt(partEnd));
                    partStart = -1;
                }
                packer.add(s.substring(wordStart, wordStart + maxChars), textPosition.applyAsInt(wordStart + maxChars));
                wordStart += maxChars;
            }
            if (wordStart < wordEnd) {
                if (partStart >= 0 && partEnd - partStart + 1 + wordEnd - wordStart > maxChars) {
                    packer.add(s.substring(partStart, partEnd), textPosition.applyAsInt(partEnd));
                    partStart = -1;
                }
                if (partStart < 0) {
                    partStart = wordStart;
                }
                partEnd = wordEnd;
            }
            wordStart = next;
        }
        if (partStart >= 0) {
            packer.add(s.substring(partStart, partEnd), textPosition.applyAsInt(partEnd));
        }
    }

    /** A unit that is never cut further; {@code paragraphStart} joins it with a blank line. */
    private record Piece(String text, boolean paragraphStart, int textEnd) {
    }

    /**
     * Packs pieces greedily into chunks as they come, handing each chunk on when the next piece
     * does not fit; only the pieces of the chunk being filled are held.
     */
    private final class Packer {
        private final Document document;
        private final ChunkSink sink;
        private List<Piece> current = new ArrayList<>();
        private int length;
        private int index;
        private boolean paragraphStart;

        Packer(Document document, ChunkSink sink) {
            this.document = document;
            this.sink = sink;
        }

        /** The next piece added starts a paragraph. */
        void startParagraph() {
            paragraphStart = true;
        }

        void add(String text, int textEnd) {
            Piece piece = new Piece(text, paragraphStart, textEnd);
            paragraphStart = false;
            int added = (current.isEmpty() ? 0 : separator(piece).length()) + piece.text().length();
            if (!current.isEmpty() && length + added > maxChars) {
                emit();
                current = overlap(current, piece);
                // The overlap estimate counts one separator character; paragraph breaks take two, so trim
                // until the next chunk really fits.
                while (!current.isEmpty()
                        && joinedLength(current) + separator(piece).length() + piece.text().length() > maxChars) {
                    current.remove(0);
                    if (!current.isEmpty()) {
                        current.set(0, new Piece(current.get(0).text(), false, current.get(0).textEnd()));
                    }
                }
                length = joinedLength(current);
                added = (current.isEmpty() ? 0 : separator(piece).length()) + piece.text().length();
            }
            current.add(piece);
            length += added;
        }

        void finish() {
            if (!current.isEmpty()) {
                emit();
            }
        }

        private void emit() {
            String text = join(current);
            if (text.isBlank()) {
                return;   // pieces of Unicode spaces only (U+2003, U+3000) between words: nothing to embed
            }
            sink.accept(Chunk.of(document.id(), index++, text, document.metadata()),
                    current.get(current.size() - 1).textEnd());
        }
    }

    /** The trailing pieces of the finished chunk that fit in the overlap and leave room for {@code next}. */
    private List<Piece> overlap(List<Piece> finished, Piece next) {
        List<Piece> tail = new ArrayList<>();
        int length = 0;
        for (int i = finished.size() - 1; i >= 0 && overlapChars > 0; i--) {
            Piece p = finished.get(i);
            int withSeparator = p.text().length() + (tail.isEmpty() ? 0 : 1);
            if (length + withSeparator > overlapChars
                    || length + withSeparator + 2 + next.text().length() > maxChars) {
                break;
            }
            tail.add(0, p);
            length += withSeparator;
        }
        if (!tail.isEmpty()) {
            // The overlap continues the previous chunk's paragraph, so it starts no paragraph of its own.
            Piece first = tail.get(0);
            tail.set(0, new Piece(first.text(), false, first.textEnd()));
        }
        return tail;
    }

    private static String separator(Piece piece) {
        return piece.paragraphStart() ? "\n\n" : " ";
    }

    /** The length of {@link #join} of {@code pieces}, without building it. */
    private static int joinedLength(List<Piece> pieces) {
        int length = 0;
        for (int i = 0; i < pieces.size(); i++) {
            length += (i == 0 ? 0 : separator(pieces.get(i)).length()) + pieces.get(i).text().length();
        }
        return length;
    }

    private static String join(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            if (sb.length() > 0) {
                sb.append(separator(p));
            }
            sb.append(p.text());
        }
        return sb.toString();
    }

    /** {@code recursive(max-chars=1000, overlap-chars=150)}. */
    @Override
    public String describe() {
        return "recursive(max-chars=" + maxChars + ", overlap-chars=" + overlapChars + ")";
    }
}
