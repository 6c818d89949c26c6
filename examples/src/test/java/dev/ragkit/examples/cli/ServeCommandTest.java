package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
    @Test
    void hashTokenPrintsTheHashToConfigure() {
        CliRun run = CliRun.run("serve", "--hash-token", "s3cret");
        assertThat(run.exitCode()).isZero();
        // sha256("s3cret")
        assertThat(run.out().strip())
                .isEqualTo("sha256:1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0");
    }

    @Test
    void theCliConfigurationBecomesTheStartersProperties() {
        assertThat(ServeCommand.springProperties(Map.of("rag.embedder", "onnx", "rag.store.faiss.directory", "/x")))
                .containsOnly(Map.entry("ragkit.embedder", "onnx"), Map.entry("ragkit.store.faiss.directory", "/x"));
    }

    @Test
    void serveIsListedAndTakesNoPositionalArguments() {
        assertThat(CliRun.run("help").out()).contains("serve ");
        CliRun run = CliRun.run("serve", "extra");
        assertThat(run.exitCode()).isEqualTo(RagkitCli.USAGE);
        assertThat(run.err()).contains("serve takes no arguments");
    }
}
