package dev.ragkit.embed.onnx.internal;

/** Opens the provider's test seam to tests of other packages. */
public final class OnnxEmbedderProviderAccess {
    private OnnxEmbedderProviderAccess() {
    }

    /** A provider that looks model weights up on {@code loader}. */
    public static OnnxEmbedderProvider withModelLoader(ClassLoader loader) {
        return new OnnxEmbedderProvider(loader);
    }
}
