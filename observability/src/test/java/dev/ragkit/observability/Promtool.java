package dev.ragkit.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus's own {@code promtool} (Debian's {@code prometheus} package), or fails saying how to install it. */
final class Promtool {
    /** The module folder, where the rules are. */
    static final Path MODULE = Path.of("").toAbsolutePath();

    private Promtool() {
    }

    record Result(int exitCode, String output) {
    }

    static Path binary() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new IllegalStateException("PROMTOOL names " + p + ", which is not an executable");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("these tests need promtool, which is not on the PATH. Install it with:"
                + " bash scripts/setup-test-tools.sh   (make test runs it; Debian package prometheus), or set PROMTOOL");
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(MODULE.resolve("prometheus").toFile())
                .redirectErrorStream(true).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
