package dev.ragkit.examples.cli;

import dev.ragkit.core.ComponentKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds the configuration map handed to {@code Ragkit.fromConfig}: CLI defaults, then
 * environment variables, then a {@code --config} properties file, then command-line flags and
 * {@code --set key=value}, each layer overriding the previous.
 *
 * <p>The library never reads the environment; this class is where the CLI decides to. A variable is
 * {@code RAG_} followed by the key in upper snake case: {@code RAG_STORE_MEMORY_DIRECTORY} sets
 * {@code rag.store.memory.directory}, {@code RAG_RETRIEVAL_TOP_K} sets {@code rag.retrieval.top-k}.
 * The usual variables of the language model vendors are mapped too, for the providers that
 * {@code rag.llm} selects: {@code OLLAMA_BASE_URL}, {@code OLLAMA_MODEL}, {@code OLLAMA_FALLBACK_MODEL}
 * for {@code ollama}; {@code HF_TOKEN}, {@code HF_API_BASE}, {@code HF_MODEL}, {@code HF_FALLBACK_MODEL}
 * for {@code hf}. A {@code RAG_LLM_<NAME>_<KEY>} variable wins over the vendor's. The same goes for the
 * server stores that {@code rag.store} selects: {@code ELASTIC_URL} and {@code ELASTIC_API_KEY} for
 * {@code elastic}, {@code OPENSEARCH_URL} for {@code opensearch}, {@code REDIS_URL} for {@code redisearch},
 * {@code WEAVIATE_URL} and {@code WEAVIATE_API_KEY} for {@code weaviate}, {@code PINECONE_API_KEY} for
 * {@code pinecone} (a {@code RAG_STORE_<NAME>_<KEY>} variable wins there).
 */
final class CliConfig {
    /** Default embedder and its model: in-process, no server, no key. */
    static final String DEFAULT_EMBEDDER = "onnx";
    static final String DEFAULT_ONNX_MODEL = "all-minilm-l6-v2-q";
    /** FAISS where its native library loads, Lucene elsewhere: see {@link EmbeddedStoreDefault}. */
    static final String DEFAULT_STORE = EmbeddedStoreDefault.CHOICE.store();
    static final String DEFAULT_MODE = "hybrid";
    static final Path DEFAULT_INDEX = Path.of(".ragkit", "index");

    /** Stores that keep their data in a local directory, so {@code --index DIR} applies to them. */
    static final Set<String> DIRECTORY_STORES = Set.of("memory", "faiss", "lucene");

    private static final Set<String> PROVIDER_SECTIONS = Set.of("store", "embedder", "llm", "guard");

    /** Vendor variables per LLM provider name: variable -> key under {@code rag.llm.<name>.}. */
    static final Map<String, Map<String, String>> VENDOR_VARIABLES = Map.of(
            "ollama", Map.of("OLLAMA_BASE_URL", "base-url", "OLLAMA_MODEL", "model",
                    "OLLAMA_FALLBACK_MODEL", "fallback-model"),
            "hf", Map.of("HF_TOKEN", "token", "HF_API_BASE", "api-base", "HF_MODEL", "model",
                    "HF_FALLBACK_MODEL", "fallback-model"));

    /** Vendor variables per store provider name: variable -> key under {@code rag.store.<name>.}. */
    static final Map<String, Map<String, String>> STORE_VENDOR_VARIABLES = Map.of(
            "elastic", Map.of("ELASTIC_URL", "url", "ELASTIC_API_KEY", "api-key"),
            "opensearch", Map.of("OPENSEARCH_URL", "url"),
            "redisearch", Map.of("REDIS_URL", "url"),
            "weaviate", Map.of("WEAVIATE_URL", "url", "WEAVIATE_API_KEY", "api-key"),
            "pinecone", Map.of("PINECONE_API_KEY", "api-key"));

    /**
     * The CLI's model when none is named, so {@code RAG_LLM=ollama} alone works; the library itself
     * has no default model, since which model a host runs is its decision.
     */
    static final Map<String, String> DEFAULT_LLM_MODELS = Map.of(
            "ollama", "llama3.1:8b",
            "hf", "meta-llama/Llama-3.1-8B-Instruct");

    private final TreeMap<String, String> values = new TreeMap<>();
    private final Map<String, String> fromEnvironment;
    /** Vendor variables that were set, e.g. {@code OLLAMA_BASE_URL}; applied in {@link #toMap()}. */
    private final Map<String, String> vendorEnvironment;

    private CliConfig(Map<String, String> fromEnvironment, Map<String, String> vendorEnvironment) {
        this.fromEnvironment = Map.copyOf(fromEnvironment);
        this.vendorEnvironment = Map.copyOf(vendorEnvironment);
        values.put("rag.embedder", DEFAULT_EMBEDDER);
        values.put("rag.store", DEFAULT_STORE);
        values.put("rag.retrieval.mode", DEFAULT_MODE);
        values.putAll(fromEnvironment);
        if (!fromEnvironment.containsKey("rag.store")) {
            EmbeddedStoreDefault.logChoice();
        }
    }

    /**
     * Defaults overridden by the {@code RAG_*} variables of {@code env}.
     *
     * @param providerNames the provider names of a kind, used to find where a name made of several
     *     words ends in a variable such as {@code RAG_GUARD_PROMPT_INJECTION_THRESHOLD}
     */
    static CliConfig fromEnvironment(Map<String, String> env, Function<ComponentKind, List<String>> providerNames) {
        Map<String, String> mapped = new TreeMap<>();
        Map<String, String> vendor = new TreeMap<>();
        Set<String> vendorNames = new HashSet<>();
        VENDOR_VARIABLES.values().forEach(m -> vendorNames.addAll(m.keySet()));
        STORE_VENDOR_VARIABLES.values().forEach(m -> vendorNames.addAll(m.keySet()));
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                continue; // RAG_LLM= on the command line means "unset", not "empty provider list"
            }
            if (vendorNames.contains(e.getKey())) {
                vendor.put(e.getKey(), e.getValue().trim());
            }
            keyForVariable(e.getKey(), providerNames).ifPresent(key -> mapped.put(key, e.getValue().trim()));
        }
        return new CliConfig(mapped, vendor);
    }

    /**
     * The config key a {@code RAG_*} variable sets, if it is one. Underscores become dots between
     * the section, the provider name and the key, and hyphens inside a key
     * ({@code RAG_SPLITTER_MAX_CHARS} -> {@code rag.splitter.max-chars}).
     */
    static Optional<String> keyForVariable(String variable, Function<ComponentKind, List<String>> providerNames) {
        if (!variable.startsWith("RAG_") || variable.length() == 4 || !variable.equals(variable.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String[] words = variable.substring(4).toLowerCase(Locale.ROOT).split("_", -1);
        for (String word : words) {
            if (word.isEmpty()) {
                return Optional.empty(); // RAG__X or RAG_X_: not a key we could have meant
            }
        }
        String section = words[0];
        if (words.length == 1) {
            return Optional.of("rag." + section);
        }
        List<String> rest = List.of(words).subList(1, words.length);
        if (!PROVIDER_SECTIONS.contains(section)) {
            return Optional.of("rag." + section + "." + String.join("-", rest));
        }
        // rag.<kind>.<name>.<key>: a provider name may itself contain hyphens, so prefer the longest
        // known name that the words start with; otherwise the name is one word.
        int nameWords = 1;
        List<String> known = providerNames.apply(kindOf(section));
        for (String name : known.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            List<String> parts = List.of(name.split("-"));
            if (parts.size() < rest.size() && rest.subList(0, parts.size()).equals(parts)) {
                nameWords = parts.size();
                break;
            }
        }
        String name = String.join("-", rest.subList(0, nameWords));
        if (nameWords == rest.size()) {
            return Optional.of("rag." + section + "." + name);
        }
        return Optional.of("rag." + section + "." + name + "." + String.join("-", rest.subList(nameWords, rest.size())));
    }

    /** The variable that sets {@code key}: {@code rag.store.memory.directory} -> {@code RAG_STORE_MEMORY_DIRECTORY}. */
    static String variableForKey(String key) {
        String withoutPrefix = key.startsWith("rag.") ? key.substring(4) : key;
        return "RAG_" + withoutPrefix.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static ComponentKind kindOf(String section) {
        return switch (section) {
            case "store" -> ComponentKind.STORE;
            case "embedder" -> ComponentKind.EMBEDDER;
            case "llm" -> ComponentKind.LLM;
            default -> ComponentKind.GUARD;
        };
    }

    /** Sets a key from a command-line flag; flags win over the environment. */
    CliConfig set(String key, String value) {
        values.put(key, value);
        return this;
    }

    /** Removes a key, e.g. {@code --llm none} to get extractive answers despite {@code RAG_LLM}. */
    CliConfig remove(String key) {
        values.remove(key);
        return this;
    }

    /**
     * Applies a {@code --config} properties file: every key must start with {@code rag.}.
     *
     * @throws CliUsageException if the file cannot be read or holds another key
     */
    CliConfig load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliUsageException("option --config was '" + file + "' but it cannot be read as a properties file: "
                    + e.getMessage());
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!key.startsWith("rag.")) {
                throw new CliUsageException("option --config was '" + file + "' but its key '" + key
                        + "' does not start with 'rag.'");
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return this;
    }

    /** Applies {@code --set key=value} options. */
    CliConfig setAll(List<String> assignments) {
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0 || !assignment.startsWith("rag.")) {
                throw new CliUsageException("option --set was '" + assignment + "' but it must be rag.<key>=<value>");
            }
            values.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
        }
        return this;
    }

    String get(String key) {
        return values.get(key);
    }

    String embedder() {
        return values.get("rag.embedder");
    }

    String store() {
        return values.get("rag.store");
    }

    /** Applies {@code --model}: the model key of whichever embedder is selected. */
    CliConfig model(String model) {
        return set("rag.embedder." + embedder() + ".model", model);
    }

    /**
     * Points a directory-backed store at {@code index}. An explicit {@code --index} always applies;
     * the default index applies only when the environment did not already choose a directory.
     */
    CliConfig index(Path index, boolean explicit) {
        String key = "rag.store." + store() + ".directory";
        if (DIRECTORY_STORES.contains(store()) && (explicit || !values.containsKey(key))) {
            values.put(key, index.toAbsolutePath().normalize().toString());
        }
        return this;
    }

    /** The directory of a directory-backed store, if one is configured. */
    Optional<Path> indexDirectory() {
        return Optional.ofNullable(values.get("rag.store." + store() + ".directory")).map(Path::of);
    }

    /** Fills in what depends on other choices, such as the default ONNX model. */
    Map<String, String> toMap() {
        TreeMap<String, String> result = new TreeMap<>(values);
        if (DEFAULT_EMBEDDER.equals(result.get("rag.embedder"))) {
            result.putIfAbsent("rag.embedder.onnx.model", DEFAULT_ONNX_MODEL);
        }
        // The command line ingests in batches and then answers many questions: a Lucene index left in several
        // segments searches every segment's graph (about half the QPS at 50k, rag-store-lucene/README.md), so
        // each ingest ends with one merge, unless the user chose otherwise.
        if ("lucene".equals(result.get("rag.store"))) {
            result.putIfAbsent("rag.store.lucene.compact-on-flush", "true");
        }
        // Vendor variables follow the final rag.llm, so --llm ollama picks up OLLAMA_BASE_URL too.
        for (String llm : llmNames(result.get("rag.llm"))) {
            Map<String, String> variables = VENDOR_VARIABLES.getOrDefault(llm, Map.of());
            variables.forEach((variable, key) -> {
                String value = vendorEnvironment.get(variable);
                if (value != null) {
                    result.putIfAbsent("rag.llm." + llm + "." + key, value);
                }
            });
            String defaultModel = DEFAULT_LLM_MODELS.get(llm);
            if (defaultModel != null) {
                result.putIfAbsent("rag.llm." + llm + ".model", defaultModel);
            }
        }
        // Likewise for the store that rag.store finally names (RAG_STORE=weaviate + WEAVIATE_URL).
        String store = result.get("rag.store");
        STORE_VENDOR_VARIABLES.getOrDefault(store == null ? "" : store, Map.of()).forEach((variable, key) -> {
            String value = vendorEnvironment.get(variable);
            if (value != null) {
                result.putIfAbsent("rag.store." + store + "." + key, value);
            }
        });
        return result;
    }

    private static List<String> llmNames(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** The keys that came from the environment, for {@code --verbose}. */
    Map<String, String> fromEnvironment() {
        return fromEnvironment;
    }
}
