package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's filters, streaming and guards example runs and does what its comments say. */
class FiltersStreamingGuardsTest {
    @Test
    void theFilterKeepsRecentFrenchSourcesAndTheGuardBlocksTheInjection() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            FiltersStreamingGuards.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Réponse extractive").contains("25 euros").contains("[1] tarifs-2024.md")
                .doesNotContain("tarifs-2023.md").doesNotContain("pricing-2024.md")
                .contains("BLOCKED: [injection@input");
    }
}
