package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.RagConfigurationException;
import org.junit.jupiter.api.Test;

class EmbeddedStoreDefaultTest {
    @Test
    void faissWhereItsLibraryLoads() {
        EmbeddedStoreDefault.Choice choice = EmbeddedStoreDefault.probe(() -> { });
        assertThat(choice.store()).isEqualTo("faiss");
        assertThat(choice.reason()).contains("loaded");
    }

    @Test
    void luceneWhereItDoesNotWithTheLoadersReason() {
        EmbeddedStoreDefault.Choice choice = EmbeddedStoreDefault.probe(() -> {
            throw new RagConfigurationException("cannot load the FAISS native library: only linux-x86_64 is shipped");
        });
        assertThat(choice.store()).isEqualTo("lucene");
        assertThat(choice.reason()).contains("does not load", "only linux-x86_64 is shipped", "pure Java");
    }

    @Test
    void thisMachineLoadsFaissSoTheCliDefaultIsFaiss() {
        // The build machine (Linux x86-64 with scripts/setup-faiss.sh run) has the native library.
        assertThat(CliConfig.DEFAULT_STORE).isEqualTo(EmbeddedStoreDefault.CHOICE.store()).isEqualTo("faiss");
    }
}
