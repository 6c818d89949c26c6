/**
 * The conformance kit that adapters' tests extend: stores, embedders, LLM clients and providers.
 *
 * <p>JUnit runs the kit's test methods and {@code @Nested} classes reflectively, hence the {@code opens}
 * to JUnit's commons module. {@code uses} lets {@code ProviderContractTest} check, through
 * {@link java.util.ServiceLoader}, that each provider is registered.
 */
module dev.ragkit.testkit {
    exports dev.ragkit.testkit;
    exports dev.ragkit.testkit.servers;
    opens dev.ragkit.testkit to org.junit.platform.commons;

    // The kit's protected methods take and return rag-core's SPI types; its classes are JUnit tests.
    requires transitive dev.ragkit.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;
    requires org.assertj.core;
    requires org.opentest4j;

    uses dev.ragkit.core.spi.EmbedderProvider;
    uses dev.ragkit.core.spi.VectorStoreProvider;
    uses dev.ragkit.core.spi.LlmClientProvider;
    uses dev.ragkit.core.spi.GuardProvider;
}
