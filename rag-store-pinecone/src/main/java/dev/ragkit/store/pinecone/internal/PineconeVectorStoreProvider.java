package dev.ragkit.store.pinecone.internal;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.pinecone.PineconeVectorStore;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Provider {@code pinecone}. Keys under {@code rag.store.pinecone.}: {@code api-key} (required; never
 * logged), {@code index} (required), {@code dimension} (required; the assembler sets it from the embedder),
 * {@code namespace} (default {@code ragkit}), {@code host} (the index's data-plane URL, instead of the one
 * the control plane describes), {@code control-url} (default {@code https://api.pinecone.io}),
 * {@code cloud} and {@code region} (serverless spec of a created index, default aws / us-east-1),
 * {@code environment} and {@code pod-type} (pod spec instead, when {@code environment} is set),
 * {@code create} (create a missing index, default true), {@code timeout} (per request, default 30s),
 * {@code max-retries} (default 4), {@code batch-size} (records per upsert, default 100),
 * {@code ready-timeout} (default 5m). {@link #versioned} names the versioned index by {@code versioned-name}
 * (default: the namespace), keeps each version in namespace {@code <name>-v<N>} and, before the first
 * version, creates the index with {@code dimension} when it is set.
 */
public final class PineconeVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "pinecone";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        PineconeVectorStore.Builder builder = builder(config);
        config.validate();
        return build(() -> builder.dimension(dimension).build());
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        PineconeVectorStore.Builder builder = builder(config);
        String name = config.string("versioned-name", config.string("namespace", "ragkit"));
        int dimension = config.integer("dimension", 0);
        config.validate();
        return Optional.of(build(() -> builder.dimension(dimension).versionedIndex(name)));
    }

    private static <T> T build(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidInputException e) {
            throw new RagConfigurationException(e.getMessage(), e);
        }
    }

    private static PineconeVectorStore.Builder builder(ProviderConfig config) {
        String apiKey = config.requiredSecret("api-key");
        String index = config.required("index");
        String namespace = config.string("namespace", "ragkit");
        String host = config.string("host", "");
        String control = config.string("control-url", "https://api.pinecone.io");
        String cloud = config.oneOf("cloud", "aws", List.of("aws", "gcp", "azure"));
        String region = config.string("region", "us-east-1");
        String environment = config.string("environment", "");
        String podType = config.string("pod-type", "p1.x1");
        boolean create = config.bool("create", true);
        Duration timeout = config.duration("timeout", Duration.ofSeconds(30));
        int maxRetries = config.integer("max-retries", 4);
        int batchSize = config.integer("batch-size", 100);
        Duration readyTimeout = config.duration("ready-timeout", Duration.ofMinutes(5));
        if (!index.isEmpty() && !index.matches("[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?")) {
            config.problem("index", index, "must be 1-45 lowercase letters, digits or '-', starting and ending with a "
                    + "letter or digit");
        }
        if (!namespace.matches("[A-Za-z0-9._-]{1,200}") || namespace.equals("ragkit-meta")) {
            config.problem("namespace", namespace, "must be 1-200 letters, digits, '.', '_' or '-', and not the "
                    + "reserved 'ragkit-meta'");
        }
        if (batchSize < 1 || batchSize > 1000) {
            config.problem("batch-size", batchSize, "must be 1 to 1000 (Pinecone's most records per upsert)");
        }
        if (maxRetries < 0) {
            config.problem("max-retries", maxRetries, "must be >= 0");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            config.problem("timeout", timeout, "must be positive");
        }
        URI hostUri = uri(config, "host", host);
        URI controlUri = uri(config, "control-url", control);
        return PineconeVectorStore.builder().apiKey(apiKey).index(index).namespace(namespace)
                .host(hostUri).controlPlane(controlUri == null ? URI.create("https://api.pinecone.io") : controlUri)
                .cloud(cloud).region(region).environment(environment.isBlank() ? null : environment).podType(podType)
                .create(create).timeout(timeout).maxRetries(maxRetries).batchSize(batchSize).readyTimeout(readyTimeout);
    }

    private static URI uri(ProviderConfig config, String key, String value) {
        if (value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.contains("://") ? value : "https://" + value);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            config.problem(key, value, "must be a URL such as https://my-index-abc123.svc.aped-4627-b74a.pinecone.io");
            return null;
        }
    }
}
