package dev.ragkit.guard.internal;

import dev.ragkit.core.RagException;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.guard.EncoderHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An encoder head with the embedder it was trained for: the head's probability for a text, from the
 * embedder's query vector. Immutable and thread-safe (as thread-safe as the embedder, which the SPI
 * requires to be).
 */
public final class EncoderScorer {
    /** The models whose heads ship in the jar, as in {@code <task>-<model>.head}. */
    private static final List<String> BUNDLED_MODELS = List.of("all-minilm-l6-v2-q", "bge-small-en-v1.5-q");
    // Beside the other models, in the exported package: a folder of its own would be a package of
    // its own, which the module would have to leave unexported (see ModuleDescriptorsTest, examples).
    private static final String HEADS = "/dev/ragkit/guard/";

    private final EncoderHead head;
    private final Embedder embedder;

    private EncoderScorer(EncoderHead head, Embedder embedder) {
        this.head = head;
        this.embedder = embedder;
    }

    /**
     * A scorer over {@code head}; the embedder's id must be the head's, and for a head that takes the
     * embedder's score, the embedder must run that query head.
     */
    public static EncoderScorer of(EncoderHead head, Embedder embedder) {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(embedder, "embedder");
        if (!head.embedderId().equals(embedder.id())) {
            throw new IllegalArgumentException("the encoder head " + head.id() + " reads vectors of '" + head.embedderId()
                    + "' but the embedder is '" + embedder.id() + "'");
        }
        if (head.embedderScore().isPresent()) {
            String score = head.embedderScore().get();
            if (!embedder.queryHeads().contains(score)) {
                throw new IllegalArgumentException("the encoder head " + head.id() + " reads the score '" + score
                        + "' but the embedder '" + embedder.id() + "' runs " + embedder.queryHeads());
            }
            return new EncoderScorer(head, embedder);
        }
        if (head.dimension() != embedder.dimension()) {
            throw new IllegalArgumentException("the encoder head " + head.id() + " reads " + head.dimension()
                    + " dimensions but the embedder '" + embedder.id() + "' returns " + embedder.dimension());
        }
        return new EncoderScorer(head, embedder);
    }

    /** The bundled head of {@code task} over the vectors of {@code embedderId}, or null when none ships. */
    public static EncoderHead bundledHead(String task, String embedderId) {
        for (String model : BUNDLED_MODELS) {
            EncoderHead h = BundledHeads.get(HEADS + task + "-" + model + ".head");
            if (h != null && h.embedderId().equals(embedderId)) {
                return h;
            }
        }
        return null;
    }

    /**
     * The bundled head of {@code task} for {@code embedder}: the one that blends a score the embedder
     * computes itself ({@code <task>-<model>.scored.head}) when the embedder runs that query head, else
     * the head over its vectors, else null.
     */
    public static EncoderHead bundledHead(String task, Embedder embedder) {
        for (String model : BUNDLED_MODELS) {
            EncoderHead h = BundledHeads.get(HEADS + task + "-" + model + ".scored.head");
            if (h != null && h.embedderId().equals(embedder.id())
                    && h.embedderScore().filter(embedder.queryHeads()::contains).isPresent()) {
                return h;
            }
        }
        return bundledHead(task, embedder.id());
    }

    /** The embedder ids that have a bundled head for {@code task}. */
    public static List<String> bundledEmbedders(String task) {
        List<String> ids = new ArrayList<>();
        for (String model : BUNDLED_MODELS) {
            EncoderHead h = BundledHeads.get(HEADS + task + "-" + model + ".head");
            if (h != null) {
                ids.add(h.embedderId());
            }
        }
        return ids;
    }

    public EncoderHead head() {
        return head;
    }

    /**
     * The head's probability for {@code text}, or empty when the text is blank or the embedder fails
     * (a guard returns a verdict and never throws: the caller then decides on the n-gram score alone).
     */
    public OptionalDouble probability(String text) {
        if (text.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            if (head.embedderScore().isPresent()) {
                return embedder.embedQueryScored(text).score(head.embedderScore().get());
            }
            return OptionalDouble.of(head.probability(embedder.embedQuery(text)));
        } catch (RagException | IllegalArgumentException e) {
            return OptionalDouble.empty();
        }
    }
}
