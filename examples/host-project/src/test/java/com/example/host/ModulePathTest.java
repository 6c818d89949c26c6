package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ragkit on the module path, as a modular host runs it: compiles the module in {@code src/modular}
 * (which requires only {@code dev.ragkit.core}) against this project's runtime dependencies, then runs
 * it in a JVM where every one of those jars is on the module path and nothing is on the class path.
 * The module system has to bind the ONNX embedder and the FAISS store as providers of the services
 * rag-core uses, rag-core has to conceal its {@code internal} package, and the assembled pipeline has
 * to answer from what it ingested.
 */
class ModulePathTest {
    private static final String MAIN = "com.example.host.modular/com.example.host.modular.ModularHostApp";

    /** The jars of this project's runtime class path, as written by the dependency plugin. */
    private static List<String> runtimeJars() throws IOException {
        Path file = Path.of(System.getProperty("ragkit.runtimeClasspathFile", "target/runtime-classpath.txt"));
        assertThat(file).as("runtime class path written by maven-dependency-plugin").isRegularFile();
        List<String> jars = List.of(Files.readString(file).strip().split(File.pathSeparator));
        assertThat(jars).as("runtime jars").anyMatch(j -> j.contains("rag-core-"))
                .noneMatch(j -> j.contains("junit") || j.contains("rag-testkit"));
        return jars;
    }

    @Test
    void aModularHostAssemblesRagkitFromConfigOnTheModulePath(@TempDir Path work) throws Exception {
        List<String> jars = runtimeJars();
        Path classes = work.resolve("classes");
        compile(Path.of("src/modular"), classes, String.join(File.pathSeparator, jars));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--module-path",
                classes + File.pathSeparator + String.join(File.pathSeparator, jars),
                "-m", MAIN, work.resolve("index").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.txt").toFile()).start();
        boolean exited = process.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String out = Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(exited).as("the modular host ended within 3 minutes; output:%n%s", out).isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", out).isZero();

        assertThat(out.lines()).as("output of %s", command).contains(
                "host module: com.example.host.modular",
                "core module: dev.ragkit.core",
                "exported dev.ragkit.core: true",
                "exported dev.ragkit.core.spi: true",
                "exported dev.ragkit.core.internal: false",
                "internal reflection: refused",
                "provider EMBEDDER onnx in dev.ragkit.embed.onnx",
                "provider STORE faiss in dev.ragkit.store.faiss",
                "provider STORE memory in dev.ragkit.core",
                "cited: modules.md");
        assertThat(out).as("nothing came from the class path").doesNotContain("in the class path");
    }

    private static void compile(Path sources, Path classes, String modulePath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (this test needs a JDK, not a JRE)").isNotNull();
        List<File> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toFile()));
        }
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromFiles(files);
            List<String> options = List.of("--release", "17", "--module-path", modulePath,
                    "-d", classes.toString());
            boolean compiled = javac.getTask(diagnostics, fileManager, null, options, null, units).call();
            assertThat(compiled).as("javac %s:%n%s", options, diagnostics).isTrue();
        }
    }
}
