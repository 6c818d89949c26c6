package dev.ragkit.core.index;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.secret.Secrets;
import dev.ragkit.core.spi.Embedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gives each version's embedder from configuration: the host's own embedder when its id is the one a
 * version records, else the embedder provider named before the id's {@code :}, created with its
 * {@code model} key set to the rest ({@code onnx:bge-small-en-v1.5-q}: provider {@code onnx}, {@code
 * rag.embedder.onnx.model=bge-small-en-v1.5-q}) and the host's other settings. Each embedder is created
 * once; closing this closes those it created (never the host's). Thread-safe.
 */
public final class ConfiguredEmbedders implements EmbedderResolver, AutoCloseable {
    private final ProviderRegistry registry;
    private final Map<String, String> config;
    private final Embedder configured;
    private final Secrets secrets;
    private final Map<String, Embedder> byId = new HashMap<>();
    private final List<Embedder> created = new ArrayList<>();

    /**
     * @param config the host's configuration ({@code rag.*} keys)
     * @param configured the host's embedder, used for versions it built; null to create every embedder
     */
    public ConfiguredEmbedders(ProviderRegistry registry, Map<String, String> config, Embedder configured) {
        this(registry, config, configured, Secrets.defaults());
    }

    /** As the other constructor, resolving the embedders' credential references through {@code secrets}. */
    public ConfiguredEmbedders(ProviderRegistry registry, Map<String, String> config, Embedder configured,
                               Secrets secrets) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Map.copyOf(config);
        this.configured = configured;
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    @Override
    public synchronized Embedder embedderFor(IndexInfo builtWith) {
        String id = builtWith.embedder();
        if (configured != null && configured.id().equals(id)) {
            return configured;
        }
        Embedder known = byId.get(id);
        if (known != null) {
            return known;
        }
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw new RagConfigurationException("a version built with embedder '" + id + "' cannot be searched here:"
                    + " its id does not name a provider and model (provider:model); configure that embedder"
                    + " (rag.embedder and its model)");
        }
        String provider = id.substring(0, colon);
        Map<String, String> values = new LinkedHashMap<>(config);
        values.put("rag.embedder", provider);
        values.put("rag.embedder." + provider + ".model", id.substring(colon + 1));
        Embedder made;
        try {
            made = registry.embedder(provider).create(new ProviderConfig(ComponentKind.EMBEDDER.configSegment(),
                    provider, values, secrets));
        } catch (RagConfigurationException e) {
            throw new RagConfigurationException("the embedder '" + id + "' that built " + builtWith.describeEmbedder()
                    + " cannot be created here: " + String.join("; ", e.problems()));
        }
        byId.put(id, made);
        created.add(made);
        return made;
    }

    /** Closes the embedders this created, continuing past failures. */
    @Override
    public synchronized void close() {
        RagException failure = null;
        for (Embedder e : created) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = new RagException("closing embedder " + e.id() + " failed: " + ex.getMessage(), ex);
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        created.clear();
        byId.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
