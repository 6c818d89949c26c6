package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.DocumentParser;
import dev.ragkit.embed.onnx.OnnxEmbedder;
import dev.ragkit.eval.BeirEvaluator;
import dev.ragkit.guard.PiiGuard;
import dev.ragkit.langchain4j.RagkitEmbeddingStore;
import dev.ragkit.llm.hf.HfLlmClient;
import dev.ragkit.llm.http.Exchange;
import dev.ragkit.llm.ollama.OllamaLlmClient;
import dev.ragkit.loader.tika.TikaDocumentParser;
import dev.ragkit.secrets.vault.VaultSecretResolver;
import dev.ragkit.store.elastic.ElasticVectorStore;
import dev.ragkit.store.faiss.FaissVectorStore;
import dev.ragkit.store.redisearch.RediSearchVectorStore;
import dev.ragkit.store.weaviate.WeaviateVectorStore;
import dev.ragkit.store.pinecone.PineconeVectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What each Ragkit module declares to the module system, read from the module descriptors of the jars
 * (or class folders) on this module's class path: the API packages are exported, {@code internal} ones
 * never are, and a module's {@code provides} names the same classes as its {@code META-INF/services}, so
 * hosts on the class path and on the module path find the same providers. ModulePathTest in
 * examples/host-project runs the installed jars on a real module path.
 */
class ModuleDescriptorsTest {
    /** Module name → a class of that module, whose code source is the module's jar or class folder. */
    private static final Map<String, Class<?>> MODULES = modules();

    /**
     * The modules without a module-info, and why; they keep an Automatic-Module-Name. An automatic module
     * exports every package it has.
     */
    private static final Map<String, String> AUTOMATIC = Map.of(
            "dev.ragkit.embed.onnx", "requires LangChain4j's jars, which declare no module name: a module-info"
                    + " would name them after their file names (langchain4j.core...)",
            "dev.ragkit.eval", "requires LangChain4j's jars, which declare no module name",
            "dev.ragkit.langchain4j", "requires LangChain4j's jars, which declare no module name",
            "dev.ragkit.loader.tika", "Tika's parser package cannot be on the module path (its META-INF/services"
                    + " names classes it does not contain), so Tika stays on the class path, which only an"
                    + " automatic module reads");

    private static Map<String, Class<?>> modules() {
        Map<String, Class<?>> modules = new LinkedHashMap<>();
        modules.put("dev.ragkit.core", Ragkit.class);
        modules.put("dev.ragkit.testkit", VectorStoreConformanceTest.class);
        modules.put("dev.ragkit.embed.onnx", OnnxEmbedder.class);
        modules.put("dev.ragkit.store.faiss", FaissVectorStore.class);
        modules.put("dev.ragkit.store.redisearch", RediSearchVectorStore.class);
        modules.put("dev.ragkit.cache.redis", dev.ragkit.cache.redis.RedisCacheBackend.class);
        modules.put("dev.ragkit.store.pinecone", PineconeVectorStore.class);
        modules.put("dev.ragkit.store.elastic", ElasticVectorStore.class);
        modules.put("dev.ragkit.store.weaviate", WeaviateVectorStore.class);
        modules.put("dev.ragkit.store.lucene", dev.ragkit.store.lucene.LuceneVectorStore.class);
        modules.put("dev.ragkit.llm.http", Exchange.class);
        modules.put("dev.ragkit.llm.ollama", OllamaLlmClient.class);
        modules.put("dev.ragkit.llm.hf", HfLlmClient.class);
        modules.put("dev.ragkit.guard", PiiGuard.class);
        modules.put("dev.ragkit.eval", BeirEvaluator.class);
        modules.put("dev.ragkit.loader.tika", TikaDocumentParser.class);
        modules.put("dev.ragkit.langchain4j", RagkitEmbeddingStore.class);
        modules.put("dev.ragkit.secrets.vault", VaultSecretResolver.class);
        return modules;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("no code source for " + type.getName(), e);
        }
    }

    /** The module of a module-info'd jar or class folder; empty for one without a module-info. */
    private static Optional<ModuleReference> explicitModule(Class<?> type) {
        Path location = location(type);
        if (Files.isDirectory(location) && !Files.isRegularFile(location.resolve("module-info.class"))) {
            return Optional.empty(); // ModuleFinder would take the folder for a folder of modules
        }
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertThat(found).as("modules in %s", location).hasSize(1);
        ModuleReference module = found.iterator().next();
        return module.descriptor().isAutomatic() ? Optional.empty() : Optional.of(module);
    }

    private static Map<String, ModuleReference> explicitModules() {
        Map<String, ModuleReference> explicit = new TreeMap<>();
        MODULES.forEach((name, type) -> explicitModule(type).ifPresent(m -> explicit.put(name, m)));
        return explicit;
    }

    private static boolean isInternal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    @Test
    void everyModuleButTheDocumentedOnesHasAModuleInfoWithItsName() {
        Map<String, ModuleReference> explicit = explicitModules();
        assertThat(explicit.keySet()).as("modules with a module-info")
                .containsExactlyInAnyOrderElementsOf(MODULES.keySet().stream()
                        .filter(name -> !AUTOMATIC.containsKey(name)).toList());
        explicit.forEach((name, module) -> assertThat(module.descriptor().name()).isEqualTo(name));
        AUTOMATIC.forEach((name, reason) -> {
            Path location = location(MODULES.get(name));
            if (Files.isRegularFile(location)) { // a class folder has no manifest yet
                assertThat(ModuleFinder.of(location).findAll()).singleElement()
                        .extracting(m -> m.descriptor().name())
                        .as("module name of %s, from its Automatic-Module-Name (no module-info: %s)", location, reason)
                        .isEqualTo(name);
            }
        });
    }

    @Test
    void modulesExportEveryApiPackageAndNeverAnInternalOne() {
        explicitModules().forEach((name, module) -> {
            ModuleDescriptor descriptor = module.descriptor();
            Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(exported).as("packages %s exports", name).noneMatch(ModuleDescriptorsTest::isInternal)
                    .contains(MODULES.get(name).getPackageName());
            assertThat(descriptor.exports()).as("exports of %s", name).noneMatch(ModuleDescriptor.Exports::isQualified);
            assertThat(descriptor.isOpen()).as("%s is an open module", name).isFalse();
            Set<String> concealed = new TreeSet<>(descriptor.packages());
            concealed.removeAll(exported);
            assertThat(concealed).as("packages %s does not export", name).allMatch(ModuleDescriptorsTest::isInternal);
        });
    }

    @Test
    void onlyTheTestKitOpensAPackageAndOnlyToJunit() {
        explicitModules().forEach((name, module) -> {
            Set<ModuleDescriptor.Opens> opens = module.descriptor().opens();
            if (name.equals("dev.ragkit.testkit")) {
                assertThat(opens).singleElement().satisfies(o -> {
                    assertThat(o.source()).isEqualTo("dev.ragkit.testkit");
                    assertThat(o.targets()).containsExactly("org.junit.platform.commons");
                });
            } else {
                assertThat(opens).as("packages %s opens", name).isEmpty();
            }
        });
    }

    @Test
    void coreUsesEveryExtensionPointItLoads() {
        ModuleDescriptor core = explicitModules().get("dev.ragkit.core").descriptor();
        Set<String> loaded = Arrays.stream(ComponentKind.values()).map(k -> k.providerType().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        loaded.add(DocumentParser.class.getName());
        loaded.add(dev.ragkit.core.cache.CacheBackendProvider.class.getName()); // rag.cache, by CacheBackends
        loaded.add(dev.ragkit.core.secret.SecretResolverProvider.class.getName()); // rag.secret.<scheme>, by Secrets
        loaded.add(dev.ragkit.core.budget.BudgetStoreProvider.class.getName()); // rag.budget.store, by BudgetStores
        assertThat(core.uses()).as("services dev.ragkit.core uses").containsExactlyInAnyOrderElementsOf(loaded);
    }

    @Test
    void providesNamesTheClassesOfMetaInfServices() throws IOException {
        for (Map.Entry<String, ModuleReference> entry : explicitModules().entrySet()) {
            Map<String, List<String>> provides = new TreeMap<>();
            entry.getValue().descriptor().provides().forEach(p -> provides.put(p.service(), List.copyOf(p.providers())));
            assertThat(provides).as("provides of %s against its META-INF/services", entry.getKey())
                    .isEqualTo(servicesFiles(entry.getValue()));
        }
    }

    /** Service → provider classes, in file order, from the module's META-INF/services files. */
    private static Map<String, List<String>> servicesFiles(ModuleReference module) throws IOException {
        Map<String, List<String>> services = new TreeMap<>();
        try (ModuleReader reader = module.open()) {
            List<String> files = reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                    .toList();
            for (String file : files) {
                try (InputStream in = reader.open(file).orElseThrow()) {
                    List<String> providers = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                            .map(line -> line.replaceAll("#.*", "").strip()).filter(line -> !line.isEmpty()).toList();
                    services.put(file.substring("META-INF/services/".length()), providers);
                }
            }
        }
        return services;
    }

    @Test
    void noPackageIsSplitAcrossModules() {
        Map<String, String> owner = new HashMap<>();
        MODULES.forEach((name, type) -> {
            Path location = location(type);
            Set<String> packages = explicitModule(type).map(m -> m.descriptor().packages())
                    .orElseGet(() -> packagesOf(location));
            for (String pkg : packages) {
                String previous = owner.putIfAbsent(pkg, name);
                assertThat(previous).as("package %s is in %s and %s", pkg, previous, name).isNull();
            }
        });
        assertThat(owner).containsKeys("dev.ragkit.embed.onnx", "dev.ragkit.eval", "dev.ragkit.loader.tika");
    }

    /** The packages of an automatic module's jar or class folder, as the module system derives them. */
    private static Set<String> packagesOf(Path location) {
        if (Files.isRegularFile(location)) {
            return ModuleFinder.of(location).findAll().iterator().next().descriptor().packages();
        }
        try (Stream<Path> files = Files.walk(location)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> location.relativize(p.getParent()).toString().replace(File.separatorChar, '.'))
                    .filter(pkg -> !pkg.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
