package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.Ragkit;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Not something a host needs: checks what the Ragkit build published, as this project receives it.
 * Each Ragkit jar on the class path names its module (in a module-info, or else in an
 * Automatic-Module-Name) and has sources and javadoc jars beside it in the local repository.
 */
class RagkitArtifactsTest {
    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void eachRagkitJarHasAModuleNameSourcesAndJavadoc() throws Exception {
        Set<Path> jars = new LinkedHashSet<>();
        jars.add(jarOf(Ragkit.class));
        jars.add(jarOf(VectorStoreConformanceTest.class));
        ProviderRegistry registry = ProviderRegistry.discover();
        for (ComponentKind kind : ComponentKind.values()) {
            for (String name : registry.names(kind)) {
                Path jar = jarOf(registry.find(kind, name).getClass());
                if (jar.getFileName().toString().startsWith("rag-")) {
                    jars.add(jar);
                }
            }
        }
        assertThat(jars).extracting(p -> p.getFileName().toString().replaceAll("-\\d.*", ""))
                .contains("rag-core", "rag-testkit", "rag-embed-onnx", "rag-store-faiss");
        for (Path jar : jars) {
            String artifact = jar.getFileName().toString().replaceAll("-\\d.*", "");
            String expected = "dev.ragkit." + artifact.substring("rag-".length()).replace('-', '.');
            assertThat(moduleName(jar)).as("module name of %s", jar).isEqualTo(expected);
            String base = jar.getFileName().toString().replaceAll("\\.jar$", "");
            assertThat(jar.resolveSibling(base + "-sources.jar")).as("sources of %s", jar).isRegularFile();
            assertThat(jar.resolveSibling(base + "-javadoc.jar")).as("javadoc of %s", jar).isRegularFile();
        }
    }

    /** The name the module system gives the jar: its module-info's, else its Automatic-Module-Name. */
    private static String moduleName(Path jar) {
        assertThat(Files.isRegularFile(jar)).as("%s is an installed jar", jar).isTrue();
        ModuleDescriptor descriptor = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        if (descriptor.isAutomatic()) {
            assertThat(hasAutomaticModuleName(jar)).as("%s has no module-info, so it names its module in its manifest",
                    jar).isTrue();
        }
        return descriptor.name();
    }

    private static boolean hasAutomaticModuleName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
