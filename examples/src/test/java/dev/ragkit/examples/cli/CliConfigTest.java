package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.ComponentKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {
    private static CliConfig fromEnv(Map<String, String> env) {
        return CliConfig.fromEnvironment(env, kind -> kind == ComponentKind.GUARD ? List.of("prompt-injection") : List.of());
    }

    @Test
    void defaultsAreTheEmbeddedOnes() {
        Map<String, String> map = fromEnv(Map.of()).toMap();
        assertThat(map).containsEntry("rag.embedder", "onnx")
                .containsEntry("rag.embedder.onnx.model", "all-minilm-l6-v2-q")
                .containsEntry("rag.store", "faiss")
                .containsEntry("rag.retrieval.mode", "hybrid")
                .doesNotContainKey("rag.llm");
    }

    @Test
    void defaultIndexIsUnderTheWorkingDirectoryUnlessChosen() {
        CliConfig config = fromEnv(Map.of()).index(CliConfig.DEFAULT_INDEX, false);
        assertThat(config.toMap()).containsEntry("rag.store.faiss.directory",
                Path.of(".ragkit/index").toAbsolutePath().normalize().toString());
        CliConfig fromEnv = fromEnv(Map.of("RAG_STORE_FAISS_DIRECTORY", "/data/idx")).index(CliConfig.DEFAULT_INDEX, false);
        assertThat(fromEnv.toMap()).containsEntry("rag.store.faiss.directory", "/data/idx");
        CliConfig explicit = fromEnv(Map.of("RAG_STORE_FAISS_DIRECTORY", "/data/idx")).index(Path.of("/x"), true);
        assertThat(explicit.toMap()).containsEntry("rag.store.faiss.directory", "/x");
        CliConfig memory = fromEnv(Map.of("RAG_STORE", "memory")).index(Path.of("/y"), true);
        assertThat(memory.toMap()).containsEntry("rag.store.memory.directory", "/y");
    }

    @Test
    void theLuceneStoreCompactsOnFlushUnlessTheUserChoseOtherwise() {
        assertThat(fromEnv(Map.of("RAG_STORE", "lucene")).toMap()).containsEntry("rag.store.lucene.compact-on-flush", "true");
        assertThat(fromEnv(Map.of("RAG_STORE", "lucene", "RAG_STORE_LUCENE_COMPACT_ON_FLUSH", "false")).toMap())
                .containsEntry("rag.store.lucene.compact-on-flush", "false");
        assertThat(fromEnv(Map.of("RAG_STORE", "faiss")).toMap()).doesNotContainKey("rag.store.lucene.compact-on-flush");
    }

    @Test
    void redisUrlConfiguresTheRedisearchStoreOnlyWhenItIsTheStore() {
        Map<String, String> redis = fromEnv(Map.of("RAG_STORE", "redisearch", "REDIS_URL", "redis://cache:6380")).toMap();
        assertThat(redis).containsEntry("rag.store", "redisearch")
                .containsEntry("rag.store.redisearch.url", "redis://cache:6380");
        Map<String, String> explicit = fromEnv(Map.of("RAG_STORE", "redisearch", "REDIS_URL", "redis://cache:6380",
                "RAG_STORE_REDISEARCH_URL", "rediss://other:6390")).toMap();
        assertThat(explicit).as("RAG_STORE_REDISEARCH_URL wins over REDIS_URL")
                .containsEntry("rag.store.redisearch.url", "rediss://other:6390");
        assertThat(fromEnv(Map.of("REDIS_URL", "redis://cache:6380")).toMap()).as("with the default store")
                .doesNotContainKey("rag.store.redisearch.url");
    }

    @Test
    void mapsRagVariablesToKeys() {
        Map<String, String> map = fromEnv(Map.of("RAG_RETRIEVAL_TOP_K", "7", "RAG_STORE", "memory",
                "RAG_GUARD_PROMPT_INJECTION_THRESHOLD", "0.8", "RAG_", "x", "RAG_LLM", " ", "PATH", "/bin")).toMap();
        assertThat(map).containsEntry("rag.retrieval.top-k", "7")
                .containsEntry("rag.guard.prompt-injection.threshold", "0.8")
                .doesNotContainKey("rag.llm")
                .doesNotContainKey("rag.");
        assertThat(CliConfig.variableForKey("rag.store.memory.directory")).isEqualTo("RAG_STORE_MEMORY_DIRECTORY");
    }

    @Test
    void pineconeKeyIsMappedOnlyWhenRagStoreSelectsPinecone() {
        Map<String, String> map = fromEnv(Map.of("RAG_STORE", "pinecone", "PINECONE_API_KEY", "pc-key",
                "RAG_STORE_PINECONE_INDEX", "docs")).toMap();
        assertThat(map).containsEntry("rag.store.pinecone.api-key", "pc-key")
                .containsEntry("rag.store.pinecone.index", "docs");
        assertThat(fromEnv(Map.of("PINECONE_API_KEY", "pc-key")).toMap()).doesNotContainKey("rag.store.pinecone.api-key");
        assertThat(fromEnv(Map.of("RAG_STORE", "pinecone", "PINECONE_API_KEY", "vendor",
                "RAG_STORE_PINECONE_API_KEY", "explicit")).toMap()).containsEntry("rag.store.pinecone.api-key", "explicit");
    }

    @Test
    void ollamaVariablesAreMappedWhenRagLlmSelectsOllama() {
        Map<String, String> map = fromEnv(Map.of("RAG_LLM", "ollama", "OLLAMA_BASE_URL", "http://127.0.0.1:11434",
                "OLLAMA_MODEL", "qwen2.5:0.5b", "OLLAMA_FALLBACK_MODEL", "llama3.2:1b", "HF_TOKEN", "secret")).toMap();
        assertThat(map).containsEntry("rag.llm", "ollama")
                .containsEntry("rag.llm.ollama.base-url", "http://127.0.0.1:11434")
                .containsEntry("rag.llm.ollama.model", "qwen2.5:0.5b")
                .containsEntry("rag.llm.ollama.fallback-model", "llama3.2:1b")
                .doesNotContainKey("rag.llm.hf.token");
    }

    @Test
    void elasticVariablesAreMappedWhenRagStoreSelectsElastic() {
        Map<String, String> map = fromEnv(Map.of("RAG_STORE", "elastic", "ELASTIC_URL", "http://127.0.0.1:9200",
                "ELASTIC_API_KEY", "a2V5", "OPENSEARCH_URL", "http://127.0.0.1:9201")).toMap();
        assertThat(map).containsEntry("rag.store", "elastic")
                .containsEntry("rag.store.elastic.url", "http://127.0.0.1:9200")
                .containsEntry("rag.store.elastic.api-key", "a2V5")
                .doesNotContainKey("rag.store.opensearch.url");
        assertThat(fromEnv(Map.of("ELASTIC_URL", "http://127.0.0.1:9200")).toMap())
                .as("ELASTIC_URL alone does not choose the store").doesNotContainKey("rag.store.elastic.url");
        assertThat(fromEnv(Map.of("RAG_STORE", "elastic", "ELASTIC_URL", "http://a:1", "RAG_STORE_ELASTIC_URL",
                "http://b:2")).toMap()).containsEntry("rag.store.elastic.url", "http://b:2");
    }

    @Test
    void weaviateVariablesAreMappedWhenRagStoreSelectsWeaviate() {
        Map<String, String> map = fromEnv(Map.of("RAG_STORE", "weaviate", "WEAVIATE_URL", "http://127.0.0.1:8080",
                "WEAVIATE_API_KEY", "wk", "RAG_STORE_WEAVIATE_COLLECTION", "Docs")).toMap();
        assertThat(map).containsEntry("rag.store", "weaviate")
                .containsEntry("rag.store.weaviate.url", "http://127.0.0.1:8080")
                .containsEntry("rag.store.weaviate.api-key", "wk")
                .containsEntry("rag.store.weaviate.collection", "Docs");
        assertThat(fromEnv(Map.of("WEAVIATE_URL", "http://127.0.0.1:8080")).toMap())
                .as("the default store ignores WEAVIATE_URL").doesNotContainKey("rag.store.weaviate.url");
    }

    @Test
    void anLlmWithoutANamedModelGetsTheCliDefault() {
        Map<String, String> map = fromEnv(Map.of("RAG_LLM", "ollama,hf", "OLLAMA_BASE_URL", "http://127.0.0.1:9"))
                .toMap();
        assertThat(map).containsEntry("rag.llm.ollama.model", "llama3.1:8b")
                .containsEntry("rag.llm.hf.model", "meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void hfVariablesAreMappedWhenRagLlmSelectsHf() {
        Map<String, String> map = fromEnv(Map.of("RAG_LLM", "ollama,hf", "HF_TOKEN", "hf_x", "HF_API_BASE",
                "http://127.0.0.1:8080/v1", "HF_MODEL", "m", "HF_FALLBACK_MODEL", "f")).toMap();
        assertThat(map).containsEntry("rag.llm", "ollama,hf")
                .containsEntry("rag.llm.hf.token", "hf_x")
                .containsEntry("rag.llm.hf.api-base", "http://127.0.0.1:8080/v1")
                .containsEntry("rag.llm.hf.model", "m")
                .containsEntry("rag.llm.hf.fallback-model", "f");
    }

    @Test
    void vendorVariablesFollowAnLlmChosenOnTheCommandLineAndLoseToRagVariables() {
        CliConfig config = fromEnv(Map.of("OLLAMA_BASE_URL", "http://127.0.0.1:1", "OLLAMA_MODEL", "a",
                "RAG_LLM_OLLAMA_MODEL", "b"));
        assertThat(config.toMap()).doesNotContainKey("rag.llm.ollama.base-url");
        config.set("rag.llm", "ollama");
        assertThat(config.toMap()).containsEntry("rag.llm.ollama.base-url", "http://127.0.0.1:1")
                .containsEntry("rag.llm.ollama.model", "b");
    }

    @Test
    void configFileOverridesTheEnvironmentAndSetOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rag.properties");
        Files.writeString(file, "rag.retrieval.top-k=3\nrag.retrieval.mode=dense\n");
        CliConfig config = fromEnv(Map.of("RAG_RETRIEVAL_TOP_K", "9")).load(file).setAll(List.of("rag.retrieval.mode=keyword"));
        assertThat(config.toMap()).containsEntry("rag.retrieval.top-k", "3").containsEntry("rag.retrieval.mode", "keyword");
    }

    @Test
    void rejectsBadConfigFilesAndAssignments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "store=memory\n");
        assertThatThrownBy(() -> fromEnv(Map.of()).load(file)).isInstanceOf(CliUsageException.class)
                .hasMessageContaining("its key 'store' does not start with 'rag.'");
        assertThatThrownBy(() -> fromEnv(Map.of()).load(dir.resolve("missing.properties")))
                .isInstanceOf(CliUsageException.class).hasMessageContaining("missing.properties");
        assertThatThrownBy(() -> fromEnv(Map.of()).setAll(List.of("top-k=3"))).isInstanceOf(CliUsageException.class)
                .hasMessage("option --set was 'top-k=3' but it must be rag.<key>=<value>");
    }
}
