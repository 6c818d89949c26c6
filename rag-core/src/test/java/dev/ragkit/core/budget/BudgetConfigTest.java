package dev.ragkit.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.testing.TestProviders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetConfigTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(
            new MemoryVectorStoreProvider(), new TestProviders.WordsEmbedderProvider(),
            new TestProviders.ScriptedLlmProvider()));

    @Test
    void readsLimitsPricesMessagesAndTheFile(@TempDir Path dir) {
        List<String> problems = new ArrayList<>();
        Budget budget = BudgetConfig.read(Map.of(
                "rag.budget.global.day.tokens", "2000000",
                "rag.budget.tenant.minute.tokens", "20000",
                "rag.budget.tenant.minute.soft-tokens", "15000",
                "rag.budget.global.month.cost", "50",
                "rag.budget.soft-ratio", "0.5",
                "rag.budget.price.big.model", "hf:big",
                "rag.budget.price.big.input", "0.15",
                "rag.budget.price.big.output", "0.6",
                "rag.budget.message.fr", "Quota épuisé.",
                "rag.budget.file", dir.resolve("usage").toString()), problems).orElseThrow().build();

        assertThat(problems).isEmpty();
        assertThat(budget.limits()).containsExactlyInAnyOrder(
                new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.DAY, BudgetUnit.TOKENS, 1_000_000, 2_000_000),
                new BudgetLimit(BudgetScope.TENANT, BudgetPeriod.MINUTE, BudgetUnit.TOKENS, 15_000, 20_000),
                new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.MONTH, BudgetUnit.COST, 25, 50));
        assertThat(budget.checkPrices(List.of("hf:big"))).isEmpty();
        assertThat(budget.checkPrices(List.of("hf:big", "ollama:small")))
                .singleElement().asString().contains("model 'ollama:small' has no price");
        assertThat(budget.degradedMessage(dev.ragkit.core.answer.Language.FRENCH)).isEqualTo("Quota épuisé.");
        assertThat(budget.degradedMessage(dev.ragkit.core.answer.Language.ENGLISH))
                .isEqualTo(Budget.DEFAULT_MESSAGE_EN);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<String> problems = new ArrayList<>();
        assertThat(BudgetConfig.read(Map.of(
                "rag.budget.global.week.tokens", "10",
                "rag.budget.global.day.tokens", "-1",
                "rag.budget.tenant.day.soft-cost", "3",
                "rag.budget.price.big.model", "hf:big",
                "rag.budget.soft-ratio", "lots"), problems)).isEmpty();
        assertThat(problems).hasSize(5).anySatisfy(p -> assertThat(p).startsWith("rag.budget.global.week.tokens is not"))
                .anySatisfy(p -> assertThat(p).isEqualTo("rag.budget.global.day.tokens was '-1' but it must be > 0"))
                .anySatisfy(p -> assertThat(p).contains("rag.budget.tenant.day.soft-cost is set without its hard limit"))
                .anySatisfy(p -> assertThat(p).contains("price 'big' needs [rag.budget.price.big.input"))
                .anySatisfy(p -> assertThat(p).isEqualTo("rag.budget.soft-ratio was 'lots' but it must be a number"));
    }

    @Test
    void ragkitWiresTheBudgetIntoItsPipeline() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Ragkit rag = Ragkit.builder().registry(REGISTRY).meterRegistry(meters).config(Map.of(
                "rag.embedder", "words", "rag.llm", "scripted", "rag.llm.scripted.answer", "FAISS searches [1].",
                "rag.budget.global.minute.tokens", "10", "rag.budget.message.en", "Budget spent.")).build()) {
            rag.ingestor().ingest(List.of(new Document("faiss", "FAISS searches dense vectors by similarity.")));
            Answer answer = rag.pipeline().ask("What does FAISS search?");
            assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(answer.text()).startsWith("Budget spent.");
            assertThat(meters.get("rag.budget.degraded").counter().count()).isEqualTo(1);
            assertThat(rag.pipeline().budget()).isPresent();
        }
    }

    @Test
    void ragkitReportsBudgetProblemsWithTheOthers() {
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of(
                "rag.embedder", "words", "rag.llm", "scripted", "rag.llm.scripted.answer", "x",
                "rag.budget.global.day.cost", "5", "rag.budget.soft-llm", "scripted",
                "rag.budget.globl.day.tokens", "5"), REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.budget.globl.day.tokens is not a budget setting")
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).hasSize(1));
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of(
                "rag.embedder", "words", "rag.llm", "scripted", "rag.llm.scripted.answer", "x",
                "rag.budget.global.day.cost", "5", "rag.budget.soft-llm", "ollama"), REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.budget.soft-llm was 'ollama' but it must name one of rag.llm [scripted]");
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of(
                "rag.embedder", "words", "rag.llm", "scripted", "rag.llm.scripted.answer", "x",
                "rag.budget.global.day.cost", "5"), REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("model 'scripted:test' has no price");
    }
}
