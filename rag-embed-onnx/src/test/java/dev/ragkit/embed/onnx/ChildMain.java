package dev.ragkit.embed.onnx;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.Ragkit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link ChildJvm} runs. {@code embed <cache dir or ->}: builds the default embedder (with that
 * cache directory, or the default for {@code -}), embeds a sentence and prints its dimension.
 * {@code bge-missing}: asks {@code Ragkit.fromConfig} for bge, prints the error, then embeds with
 * the default model. {@code telemetry}: builds the default embedder and prints DJL's
 * {@code OPT_OUT_TRACKING} system property and environment variable.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "embed" -> {
                OnnxEmbedder.Builder builder = OnnxEmbedder.builder();
                if (!args[1].equals("-")) {
                    builder.cacheDirectory(Path.of(args[1]));
                }
                float[] vector = builder.build().embedDocuments(List.of("Logs rotate daily.")).get(0);
                System.out.println("dimension=" + vector.length);
            }
            case "bge-missing" -> {
                try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "onnx",
                        "rag.embedder.onnx.model", "bge-small-en-v1.5-q", "rag.store", "memory"))) {
                    System.out.println("bge loaded: " + rag);
                } catch (RagConfigurationException e) {
                    System.out.println("error: " + e.getMessage());
                }
                float[] vector = OnnxEmbedder.builder().build().embedQuery("Logs rotate daily.");
                System.out.println("minilm dimension=" + vector.length);
            }
            case "telemetry" -> {
                OnnxEmbedder.builder().build();
                System.out.println("OPT_OUT_TRACKING property=" + System.getProperty(DjlSettings.OPT_OUT_TRACKING)
                        + " environment=" + System.getenv(DjlSettings.OPT_OUT_TRACKING));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
