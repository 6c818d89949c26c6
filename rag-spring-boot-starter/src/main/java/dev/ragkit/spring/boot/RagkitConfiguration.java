package dev.ragkit.spring.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Turns the application's {@code ragkit.*} properties into the flat map of {@link dev.ragkit.core.Ragkit#fromConfig}
 * ({@code rag.*} keys).
 *
 * <p>The core's own keys come from the bound {@link RagkitProperties}, so every relaxed form of them
 * ({@code topK}, {@code RAGKIT_RETRIEVAL_TOPK}) works. Every other {@code ragkit.*} property is passed on
 * under {@code rag.}, in dashed form ({@code indexName} becomes {@code index-name}), so that provider settings
 * reach their provider and a misspelt key reaches the core, which reports it with the closest known key
 * instead of ignoring it. An environment variable maps to dots only ({@code RAGKIT_STORE_FAISS_DIRECTORY} is
 * {@code rag.store.faiss.directory}), so a provider key with a dash in it is set in a properties file or in
 * {@code SPRING_APPLICATION_JSON} instead. Of the environment variables, only the core's keys and provider settings
 * are taken: other {@code RAGKIT_*} variables (the launcher's {@code RAGKIT_MVN}) are not settings.
 */
public final class RagkitConfiguration {
    /** The starter's and the server's own keys, which are not the core's. */
    private static final List<String> NOT_CORE = List.of("ragkit.enabled", "ragkit.health", "ragkit.server");
    private static final Set<String> PROVIDER_KINDS = Set.of("store", "embedder", "llm", "guard");
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("ragkit");

    private RagkitConfiguration() {
    }

    /** The core configuration map of {@code environment}, with {@code properties} bound from it. */
    public static Map<String, String> toCoreConfig(RagkitProperties properties, Environment environment) {
        Map<String, String> config = new LinkedHashMap<>();
        Set<ConfigurationPropertyName> typed = typedKeys(properties, config);
        Binder binder = Binder.get(environment);
        for (ConfigurationPropertyName name : ragkitNames(environment)) {
            if (isStarterKey(name) || typed.stream().anyMatch(name::equals)) {
                continue;
            }
            binder.bind(name, Bindable.of(String.class)).ifBound(value -> config.put(coreKey(name), value));
        }
        return config;
    }

    /** Every {@code ragkit.*} property name of the environment, in a stable order. */
    private static Set<ConfigurationPropertyName> ragkitNames(Environment environment) {
        Set<ConfigurationPropertyName> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                // From the process environment only provider settings are taken: variables such as RAGKIT_MVN or
                // RAGKIT_JAVA_OPTS (of the ./ragkit launcher) share the prefix without being settings.
                boolean environmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
                iterable.filter(ROOT::isAncestorOf)
                        .filter(name -> !environmentVariables || isProviderKey(name))
                        .forEach(names::add);
            }
        }
        return names;
    }

    /** {@code ragkit.<store|embedder|llm|guard>.<provider>.<key...>}. */
    private static boolean isProviderKey(ConfigurationPropertyName name) {
        return name.getNumberOfElements() >= 4 && PROVIDER_KINDS.contains(name.getElement(1,
                ConfigurationPropertyName.Form.UNIFORM));
    }

    private static boolean isStarterKey(ConfigurationPropertyName name) {
        for (String key : NOT_CORE) {
            ConfigurationPropertyName own = ConfigurationPropertyName.of(key);
            if (own.equals(name) || own.isAncestorOf(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code rag.} and the elements after {@code ragkit} in dashed form. */
    static String coreKey(ConfigurationPropertyName name) {
        StringBuilder key = new StringBuilder("rag");
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            key.append('.').append(dashed(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL)));
        }
        return key.toString();
    }

    /** {@code indexName} → {@code index-name}; {@code index_name} → {@code index-name}. */
    private static String dashed(String element) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && element.charAt(i - 1) != '-') {
                out.append('-');
            }
            out.append(c == '_' ? '-' : Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Puts the bound core keys into {@code config}; returns the names of every core key the properties have. */
    private static Set<ConfigurationPropertyName> typedKeys(RagkitProperties p, Map<String, String> config) {
        Set<ConfigurationPropertyName> names = new java.util.HashSet<>();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("embedder", p.getEmbedder());
        values.put("store", p.getStore());
        values.put("llm", p.getLlm());
        values.put("guards", p.getGuards());
        values.put("retrieval.mode", p.getRetrieval().getMode());
        values.put("retrieval.top-k", p.getRetrieval().getTopK());
        values.put("retrieval.min-score", p.getRetrieval().getMinScore());
        values.put("retrieval.candidates", p.getRetrieval().getCandidates());
        values.put("retrieval.rrf-k", p.getRetrieval().getRrfK());
        values.put("splitter.max-chars", p.getSplitter().getMaxChars());
        values.put("splitter.overlap-chars", p.getSplitter().getOverlapChars());
        values.put("ingest.batch-size", p.getIngest().getBatchSize());
        values.put("ingest.concurrency", p.getIngest().getConcurrency());
        values.put("ingest.max-document-chars", p.getIngest().getMaxDocumentChars());
        values.put("index.rebuild", p.getIndex().getRebuild());
        values.put("rollout.max-error-rate", p.getRollout().getMaxErrorRate());
        values.put("rollout.min-agreement", p.getRollout().getMinAgreement());
        values.put("rollout.min-queries", p.getRollout().getMinQueries());
        values.put("rollout.compare-share", p.getRollout().getCompareShare());
        values.put("rollout.auto-advance-after", p.getRollout().getAutoAdvanceAfter());
        values.forEach((key, value) -> {
            names.add(ConfigurationPropertyName.of("ragkit." + key));
            if (value != null) {
                config.put("rag." + key, value.toString());
            }
        });
        return names;
    }
}
