package dev.ragkit.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.answer.PromptBuilder;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The retrieval half of a Ragkit pipeline as a LangChain4j {@link RetrievalAugmentor}: the user's message is
 * answered by Ragkit's {@link Retriever}, every retrieved chunk passes the {@link GuardStage#CONTEXT} guards
 * (blocked chunks are dropped, redactions applied, as in {@code RagPipeline}), and the user message is
 * rewritten into Ragkit's prompt: numbered sources, then the question. Generation stays with the
 * LangChain4j chat model; give it Ragkit's instructions (answer from the sources, cite them as [n]) with
 * {@link #systemPrompt()}, for instance in {@code AiServices...systemMessageProvider(id -> augmentor.systemPrompt())}.
 *
 * <p>With no source left the message is passed on unchanged, as LangChain4j's own augmentor does.
 */
public final class RagkitRetrievalAugmentor implements RetrievalAugmentor {
    private final Retriever retriever;
    private final List<Guard> contextGuards;
    private final PromptBuilder prompts;

    private RagkitRetrievalAugmentor(Builder b) {
        this.retriever = Objects.requireNonNull(b.retriever, "retriever");
        this.contextGuards = b.guards.stream().filter(g -> g.stages().contains(GuardStage.CONTEXT)).toList();
        this.prompts = b.prompts;
    }

    /** Settings for an augmentor over {@code retriever}. */
    public static Builder builder(Retriever retriever) {
        return new Builder(retriever);
    }

    /** Settings of a {@link RagkitRetrievalAugmentor}. */
    public static final class Builder {
        private final Retriever retriever;
        private List<Guard> guards = List.of();
        private PromptBuilder prompts = PromptBuilder.defaults();

        private Builder(Retriever retriever) {
            this.retriever = retriever;
        }

        /** Guards; those declaring {@link GuardStage#CONTEXT} check each retrieved chunk. */
        public Builder guards(List<Guard> guards) {
            this.guards = List.copyOf(guards);
            return this;
        }

        /** How sources are laid out in the message (default {@link PromptBuilder#defaults()}). */
        public Builder prompts(PromptBuilder prompts) {
            this.prompts = Objects.requireNonNull(prompts, "prompts");
            return this;
        }

        public RagkitRetrievalAugmentor build() {
            return new RagkitRetrievalAugmentor(this);
        }
    }

    /** Ragkit's system prompt: answer from the numbered sources and cite them. */
    public String systemPrompt() {
        return prompts.systemPrompt();
    }

    @Override
    public AugmentationResult augment(AugmentationRequest request) {
        if (!(request.chatMessage() instanceof UserMessage user) || !user.hasSingleText()) {
            throw new InvalidInputException("Ragkit augments a user message of one text; got "
                    + (request.chatMessage() == null ? "null" : request.chatMessage().type()));
        }
        String question = user.singleText();
        List<SearchHit> sources = checkContext(retriever.retrieve(question), UUID.randomUUID().toString());
        if (sources.isEmpty()) {
            return new AugmentationResult(user, List.of());
        }
        String augmented = prompts.messages(question, sources).stream()
                .filter(m -> m.role() == ChatMessage.Role.USER).map(ChatMessage::content).findFirst().orElseThrow();
        UserMessage rewritten = user.name() == null ? UserMessage.from(augmented) : UserMessage.from(user.name(), augmented);
        return new AugmentationResult(rewritten, RagkitContentRetriever.toContents(sources));
    }

    private List<SearchHit> checkContext(List<SearchHit> hits, String requestId) {
        if (contextGuards.isEmpty()) {
            return hits;
        }
        List<SearchHit> kept = new ArrayList<>(hits.size());
        next:
        for (SearchHit hit : hits) {
            String text = hit.chunk().text();
            for (Guard guard : contextGuards) {
                GuardVerdict verdict = guard.check(new GuardInput(GuardStage.CONTEXT, text, List.of(), requestId));
                if (verdict instanceof GuardVerdict.Block) {
                    continue next;
                }
                if (verdict instanceof GuardVerdict.Redact redact) {
                    text = redact.text();
                }
            }
            if (text.isBlank()) {
                continue;
            }
            Chunk c = hit.chunk();
            kept.add(text.equals(c.text()) ? hit
                    : new SearchHit(new Chunk(c.id(), c.documentId(), c.index(), text, c.contentHash(), c.metadata()), hit.score()));
        }
        for (Guard guard : contextGuards) {
            guard.requestFinished(requestId);
        }
        return kept;
    }
}
