package dev.ragkit.tools.eval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.embed.onnx.OnnxModel;
import dev.ragkit.embed.onnx.OnnxModelFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ONNX models of {@code rag-embed-onnx} with an explicit token window, for reproducing
 * published scores. LangChain4j reads the window from the {@code tokenizer.json} it ships, and the
 * all-MiniLM-L6-v2 file says {@code truncation.max_length = 128}, so every text is cut to 128 tokens,
 * where sentence-transformers (and the MTEB scores) use the model's {@code max_seq_length} of 256.
 * rag-embed-onnx now reads 256 tokens for that model itself; this embedder takes any window (e.g. to
 * compare 128, 256 and 512), using rag-embed-onnx's {@link OnnxModelFiles} to rewrite the tokenizer and
 * LangChain4j's {@link OnnxEmbeddingModel} to run it (same ONNX Runtime, same pooling). Evaluation use only.
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
     */
    public static WindowedOnnxEmbedder load(String modelName, int maxTokens) {
        OnnxModel model = OnnxModel.fromConfigName(modelName).orElseThrow(() -> new InvalidInputException(
                "model was '" + modelName + "' but it must be one of " + OnnxModel.configNames()));
        if (maxTokens < 8 || maxTokens > 512) {
            throw new InvalidInputException("maxTokens was " + maxTokens + " but it must be in [8, 512]");
        }
        // rag-embed-onnx's own extraction: the artifact's files with the tokenizer window rewritten.
        OnnxModelFiles files = OnnxModelFiles.extract(model.configName(), maxTokens);
        PoolingMode pooling = model == OnnxModel.BGE_SMALL_EN_V15_Q ? PoolingMode.CLS : PoolingMode.MEAN;
        return new WindowedOnnxEmbedder(model, maxTokens, new OnnxEmbeddingModel(files.model(), files.tokenizer(), pooling));
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
    public Set<String> languages() {
        return model.languages();
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
