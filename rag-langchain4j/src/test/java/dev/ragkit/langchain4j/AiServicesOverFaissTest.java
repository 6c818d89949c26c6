package dev.ragkit.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.service.AiServices;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.store.faiss.FaissVectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LangChain4j AiServices assistant answering from a Ragkit FAISS store through Ragkit's retrieval. */
class AiServicesOverFaissTest {
    interface Assistant {
        String chat(String question);
    }

    private static final List<String> TEXTS = List.of(
            "The Eiffel Tower in Paris was completed in 1889 for the World's Fair.",
            "Bees turn flower nectar into honey inside the hive.",
            "The Java compiler turns source code into bytecode for the JVM.",
            "Jupiter is the largest planet of the solar system.",
            "The Louvre in Paris is the most visited art museum.");

    @TempDir
    Path dir;
    private FaissVectorStore faiss;
    private Retriever retriever;

    @BeforeEach
    void ingest() {
        faiss = FaissVectorStore.builder().dimension(HashingEmbeddingModel.DIMENSION).directory(dir).build();
        LangChain4jEmbedder embedder = LangChain4jEmbedder.builder(new HashingEmbeddingModel()).build();
        List<EmbeddedChunk> chunks = new ArrayList<>();
        List<float[]> vectors = embedder.embedDocuments(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            chunks.add(new EmbeddedChunk(Chunk.of("fact-" + i, 0, TEXTS.get(i),
                    Map.of("title", "Fact " + i, "city", TEXTS.get(i).contains("Paris") ? "paris" : "none")), vectors.get(i)));
        }
        faiss.upsert(chunks);
        // Hybrid retrieval (dense + BM25, fused by RRF) over FAISS, as a Ragkit host would run it.
        retriever = Retriever.builder().store(Bm25SidecarStore.wrapIfNeeded(faiss, TextAnalyzer.english())).embedder(embedder)
                .mode(RetrievalMode.HYBRID).topK(2).build();
    }

    @AfterEach
    void close() {
        faiss.close();
    }

    @Test
    void contentRetrieverFeedsRagkitHitsToTheChatModel() {
        StubChatModel model = new StubChatModel(messages -> "From the sources: " + lastUserText(messages));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                .contentRetriever(RagkitContentRetriever.of(retriever)).build();

        String answer = assistant.chat("When was the Eiffel Tower in Paris completed?");

        String sent = lastUserText(model.lastRequest());
        assertThat(sent).contains("When was the Eiffel Tower in Paris completed?").contains(TEXTS.get(0));
        assertThat(answer).contains("1889");
    }

    @Test
    void retrievalAugmentorBuildsRagkitsNumberedPromptAndAppliesContextGuards() {
        Guard noLouvre = new Guard() {
            @Override public String name() { return "no-louvre"; }
            @Override public Set<GuardStage> stages() { return Set.of(GuardStage.CONTEXT); }
            @Override public GuardVerdict check(GuardInput input) {
                return input.text().contains("Louvre") ? GuardVerdict.block("museum facts are off limits") : GuardVerdict.allow();
            }
        };
        RagkitRetrievalAugmentor augmentor = RagkitRetrievalAugmentor.builder(retriever).guards(List.of(noLouvre)).build();
        StubChatModel model = new StubChatModel(messages -> {
            Matcher m = Pattern.compile("\\[(\\d+)] (Fact \\d+)").matcher(lastUserText(messages));
            return m.find() ? "See [" + m.group(1) + "] (" + m.group(2) + ")." : "No source.";
        });
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).retrievalAugmentor(augmentor)
                .systemMessageProvider(id -> augmentor.systemPrompt()).build();

        String question = "What is in Paris, the Eiffel Tower or the Louvre?";
        // Without the guard the Louvre fact is among the sources: the guard is what keeps it out.
        assertThat(retriever.retrieve(question)).extracting(h -> h.chunk().text()).contains(TEXTS.get(4));
        String answer = assistant.chat(question);

        List<ChatMessage> sent = model.lastRequest();
        assertThat(sent.get(0)).isInstanceOf(SystemMessage.class);
        assertThat(((SystemMessage) sent.get(0)).text()).isEqualTo(augmentor.systemPrompt());
        String user = lastUserText(sent);
        assertThat(user).startsWith("Sources:\n[1] ").contains(TEXTS.get(0)).doesNotContain(TEXTS.get(4))
                .endsWith("Question: What is in Paris, the Eiffel Tower or the Louvre?");
        assertThat(answer).isEqualTo("See [1] (Fact 0).");
    }

    @Test
    void perQueryFilterAndLangChain4jsOwnAugmentorWork() {
        StubChatModel model = new StubChatModel(messages -> lastUserText(messages));
        RagkitContentRetriever onlyParis = RagkitContentRetriever.withFilter(retriever, q -> Filter.eq("city", "paris"));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                .retrievalAugmentor(DefaultRetrievalAugmentor.builder().contentRetriever(onlyParis).build()).build();

        String sent = assistant.chat("Which planet is the largest?");

        assertThat(sent).doesNotContain("Jupiter").contains("Paris");
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage u) {
                return u.singleText();
            }
        }
        throw new AssertionError("no user message in " + messages);
    }
}
