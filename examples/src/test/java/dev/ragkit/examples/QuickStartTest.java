package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's example runs as printed and answers with a numbered source. */
class QuickStartTest {
    @Test
    void answersWithACitation() {
        String out = Stdout.of(() -> QuickStart.main(new String[0]));
        assertThat(out).contains("[1]").contains("[1] answers.md");
    }
}
