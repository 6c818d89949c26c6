package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.Ragkit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Ragkit.fromConfig needs from a store, as a host sees it: every missing capability in one error. */
class TinyStoreAssemblyTest {
    @Test
    void everyMissingCapabilityIsReportedAtOnce() {
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of("rag.embedder", "onnx", "rag.store", "tiny")))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).containsExactly(
                        "incremental ingestion needs store capability SCAN (a scan filtered on doc_id lists a "
                                + "document's stored chunks) but store 'tiny' declares no capabilities",
                        "incremental ingestion needs store capability DELETE (chunks that disappeared from a "
                                + "document are deleted) but store 'tiny' declares no capabilities",
                        "rag.retrieval.mode hybrid needs store capability KEYWORD_SEARCH, or SCAN to build a BM25 "
                                + "sidecar, but store 'tiny' declares no capabilities; set rag.retrieval.mode=dense "
                                + "or use a store that has one of them"));
    }
}
