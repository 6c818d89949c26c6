package dev.ragkit.embed.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's ONNX file and its tokenizer, copied out of the LangChain4j artifact with the tokenizer's
 * token window set explicitly: for running the same model in another ONNX runtime (comparisons,
 * rag-eval's windowed embedder); {@link OnnxEmbedder} reads the same bytes without copying them. LangChain4j's all-MiniLM-L6-v2 tokenizer file truncates at 128
 * tokens while the model was trained and published (sentence-transformers, MTEB) with 256; on
 * SciFact that alone costs 0.025 nDCG@10 (0.6255 against 0.6507, rag-eval README).
 *
 * @param model the ONNX weights
 * @param tokenizer the rewritten {@code tokenizer.json}
 */
public record OnnxModelFiles(Path model, Path tokenizer) {
    private static final Map<String, OnnxModelFiles> EXTRACTED = new ConcurrentHashMap<>();
    private static final Pattern TRUNCATION = Pattern.compile("\"truncation\"\\s*:\\s*(\\{[^{}]*\\}|null)");
    // Padding holds one nested object ({"Fixed": 128}); padding is decided per batch at run time.
    private static final Pattern PADDING = Pattern.compile("\"padding\"\\s*:\\s*(\\{(?:[^{}]|\\{[^{}]*\\})*\\}|null)");

    /**
     * Copies {@code <name>.onnx} and {@code <name>-tokenizer.json} from the class path into a
     * temporary directory (removed at exit), the tokenizer truncating at {@code maxTokens}. Only for
     * LangChain4j's file-based model (comparisons, rag-eval); {@code OnnxEmbedder} reads the same
     * bytes from the class path without copying them.
     *
     * @throws IllegalStateException when a resource is missing or the tokenizer has no truncation entry
     */
    public static OnnxModelFiles extract(String name, int maxTokens) {
        // One copy per model and window for the JVM's lifetime: the ONNX file is 23 MB or more.
        return EXTRACTED.computeIfAbsent(name + "@" + maxTokens, key -> copy(name, maxTokens));
    }

    private static OnnxModelFiles copy(String name, int maxTokens) {
        try {
            Path dir = Files.createTempDirectory("ragkit-onnx-");
            dir.toFile().deleteOnExit();
            Path model = dir.resolve(name + ".onnx");
            try (InputStream in = resource(name + ".onnx")) {
                Files.copy(in, model, StandardCopyOption.REPLACE_EXISTING);
            }
            model.toFile().deleteOnExit();
            Path tokenizer = dir.resolve("tokenizer.json");
            Files.writeString(tokenizer, tokenizerJson(name, maxTokens));
            tokenizer.toFile().deleteOnExit();
            return new OnnxModelFiles(model, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the ONNX model " + name, e);
        }
    }

    /**
     * The text of {@code <name>-tokenizer.json} from the class path, truncating at {@code maxTokens}
     * tokens and padding nothing; what {@link #extract} writes, without touching the disk.
     *
     * @throws IllegalStateException when the resource is missing or has no truncation entry
     */
    public static String tokenizerJson(String name, int maxTokens) {
        try (InputStream in = resource(name + "-tokenizer.json")) {
            return withWindow(new String(in.readAllBytes(), StandardCharsets.UTF_8), maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer of the ONNX model " + name, e);
        }
    }

    /** {@code tokenizerJson} truncating at {@code maxTokens} tokens and padding nothing. */
    static String withWindow(String tokenizerJson, int maxTokens) {
        Matcher truncation = TRUNCATION.matcher(tokenizerJson);
        if (!truncation.find()) {
            throw new IllegalStateException("the tokenizer file has no \"truncation\" entry to set");
        }
        String truncated = truncation.replaceFirst(Matcher.quoteReplacement("\"truncation\": {\"direction\": \"Right\", "
                + "\"max_length\": " + maxTokens + ", \"strategy\": \"LongestFirst\", \"stride\": 0}"));
        return PADDING.matcher(truncated).replaceFirst("\"padding\": null");
    }

    private static InputStream resource(String name) {
        InputStream in = OnnxModelFiles.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource '" + name + "' is not on the class path; add the LangChain4j "
                    + "embeddings artifact that ships it");
        }
        return in;
    }
}
