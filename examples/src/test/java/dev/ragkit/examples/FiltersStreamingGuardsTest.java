package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's filters, streaming and guards example runs and does what its comments say. */
class FiltersStreamingGuardsTest {
    @Test
    void theFilterKeepsRecentFrenchSourcesAndTheGuardBlocksTheInjection() {
        String out = Stdout.of(() -> FiltersStreamingGuards.main(new String[0]));
        assertThat(out).contains("Réponse extractive").contains("25 euros").contains("[1] tarifs-2024.md")
                .doesNotContain("tarifs-2023.md").doesNotContain("pricing-2024.md")
                .contains("BLOCKED: [injection@input");
    }
}
