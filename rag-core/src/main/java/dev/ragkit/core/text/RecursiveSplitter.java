package dev.ragkit.core.text;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits on the largest natural boundary that fits: paragraphs (blank lines), then sentences
 * ({@link SentenceSplitter}, French and English), then words, then characters. Pieces are packed
 * greedily into chunks of at most {@code maxChars} characters; consecutive chunks share up to
 * {@code overlapChars} characters of whole trailing sentences (or words), so a fact that straddles a
 * boundary is retrievable from either side. Sizes are in characters, not model tokens: at roughly 4
 * characters a token, the default 1,000 fits every common embedding model's 256-token window with
 * little truncation.
 */
public final class RecursiveSplitter implements Splitter {
    private static final Pattern PARAGRAPHS = Pattern.compile("\\n\\s*\\n");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

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
        List<Piece> pieces = new ArrayList<>();
        for (String paragraph : PARAGRAPHS.split(document.text())) {
            String normalised = WHITESPACE.matcher(paragraph).replaceAll(" ").strip();
            if (normalised.isEmpty()) {
                continue;
            }
            if (normalised.length() <= maxChars) {
                pieces.add(new Piece(normalised, true));
                continue;
            }
            boolean first = true;
            for (String sentence : SentenceSplitter.split(normalised)) {
                for (String part : fit(sentence)) {
                    pieces.add(new Piece(part, first));
                    first = false;
                }
            }
        }
        List<String> texts = pack(pieces);
        List<Chunk> chunks = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            chunks.add(Chunk.of(document.id(), i, texts.get(i), document.metadata()));
        }
        return chunks;
    }

    /** A unit that is never cut further; {@code paragraphStart} joins it with a blank line. */
    private record Piece(String text, boolean paragraphStart) {
    }

    /** Cuts an over-long sentence at word boundaries, and an over-long word anywhere. */
    private List<String> fit(String sentence) {
        if (sentence.length() <= maxChars) {
            return List.of(sentence);
        }
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : WHITESPACE.split(sentence)) {
            while (word.length() > maxChars) {
                if (current.length() > 0) {
                    parts.add(current.toString());
                    current.setLength(0);
                }
                parts.add(word.substring(0, maxChars));
                word = word.substring(maxChars);
            }
            if (current.length() > 0 && current.length() + 1 + word.length() > maxChars) {
                parts.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(word);
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }

    private List<String> pack(List<Piece> pieces) {
        List<String> chunks = new ArrayList<>();
        List<Piece> current = new ArrayList<>();
        int length = 0;
        for (Piece piece : pieces) {
            int added = (current.isEmpty() ? 0 : separator(piece).length()) + piece.text().length();
            if (!current.isEmpty() && length + added > maxChars) {
                chunks.add(join(current));
                current = overlap(current, piece);
                // The overlap estimate counts one separator character; paragraph breaks take two, so trim
                // until the next chunk really fits.
                while (!current.isEmpty()
                        && join(current).length() + separator(piece).length() + piece.text().length() > maxChars) {
                    current.remove(0);
                    if (!current.isEmpty()) {
                        current.set(0, new Piece(current.get(0).text(), false));
                    }
                }
                length = join(current).length();
                added = (current.isEmpty() ? 0 : separator(piece).length()) + piece.text().length();
            }
            current.add(piece);
            length += added;
        }
        if (!current.isEmpty()) {
            chunks.add(join(current));
        }
        return chunks;
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
            tail.set(0, new Piece(first.text(), false));
        }
        return tail;
    }

    private static String separator(Piece piece) {
        return piece.paragraphStart() ? "\n\n" : " ";
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
