package dev.ragkit.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.guardrail.GuardrailRequestParams;
import dev.langchain4j.guardrail.InputGuardrail;
import dev.langchain4j.guardrail.InputGuardrailRequest;
import dev.langchain4j.guardrail.InputGuardrailResult;
import dev.langchain4j.guardrail.OutputGuardrail;
import dev.langchain4j.guardrail.OutputGuardrailRequest;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Ragkit {@link Guard}s as LangChain4j guardrails, for {@code AiServices.builder(...).inputGuardrails(...)} /
 * {@code .outputGuardrails(...)}.
 *
 * <p>Verdicts map as follows: allow and flag pass (a flag is Ragkit's "note but do not stop"); redact passes
 * with the redacted text (LangChain4j then sends, or returns, that text instead); block is a guardrail
 * failure, which AiServices raises as {@code InputGuardrailException} / {@code OutputGuardrailException}
 * with the guard's reasons. Output guards see the sources LangChain4j retrieved for the answer (from the
 * request's augmentation result), so grounding and canary checks work as in {@code RagPipeline}.
 */
public final class RagkitGuardrails {
    private RagkitGuardrails() {
    }

    /** {@code guard} checking user messages; it must declare {@link GuardStage#INPUT}. */
    public static InputGuardrail input(Guard guard) {
        requireStage(guard, GuardStage.INPUT);
        return new Input(guard);
    }

    /** {@code guard} checking model answers; it must declare {@link GuardStage#OUTPUT}. */
    public static OutputGuardrail output(Guard guard) {
        requireStage(guard, GuardStage.OUTPUT);
        return new Output(guard);
    }

    private static void requireStage(Guard guard, GuardStage stage) {
        Objects.requireNonNull(guard, "guard");
        if (!guard.stages().contains(stage)) {
            throw new InvalidInputException("guard '" + guard.name() + "' checks " + guard.stages() + ", not " + stage
                    + "; it cannot be used as a LangChain4j " + stage.name().toLowerCase() + " guardrail");
        }
    }

    private static String reasons(Guard guard, List<String> reasons) {
        return "Ragkit guard '" + guard.name() + "' blocked the " + String.join("; ", reasons);
    }

    private record Input(Guard guard) implements InputGuardrail {
        @Override
        public InputGuardrailResult validate(InputGuardrailRequest request) {
            UserMessage message = request.userMessage();
            String text = message.hasSingleText() ? message.singleText() : request.userMessage().toString();
            String requestId = UUID.randomUUID().toString();
            try {
                GuardVerdict verdict = guard.check(new GuardInput(GuardStage.INPUT, text, List.of(), requestId));
                if (verdict instanceof GuardVerdict.Block block) {
                    return failure(reasons(guard, block.reasons()) + " (input)");
                }
                if (verdict instanceof GuardVerdict.Redact redact) {
                    return successWith(redact.text());
                }
                return success();
            } finally {
                guard.requestFinished(requestId);
            }
        }
    }

    private record Output(Guard guard) implements OutputGuardrail {
        @Override
        public OutputGuardrailResult validate(OutputGuardrailRequest request) {
            AiMessage message = request.responseFromLLM().aiMessage();
            String text = message.text() == null ? "" : message.text();
            String requestId = UUID.randomUUID().toString();
            try {
                GuardVerdict verdict = guard.check(new GuardInput(GuardStage.OUTPUT, text,
                        sources(request.requestParams()), requestId));
                if (verdict instanceof GuardVerdict.Block block) {
                    return failure(reasons(guard, block.reasons()) + " (output)");
                }
                if (verdict instanceof GuardVerdict.Redact redact) {
                    return successWith(redact.text());
                }
                return success();
            } finally {
                guard.requestFinished(requestId);
            }
        }

        private static List<Chunk> sources(GuardrailRequestParams params) {
            AugmentationResult augmentation = params == null ? null : params.augmentationResult();
            if (augmentation == null || augmentation.contents() == null) {
                return List.of();
            }
            List<Chunk> chunks = new ArrayList<>();
            int n = 0;
            for (Content content : augmentation.contents()) {
                if (content.textSegment() == null || content.textSegment().text().isBlank()) {
                    continue;
                }
                EmbeddingIds.ChunkAddress address = address(content.metadata().get(ContentMetadata.EMBEDDING_ID), n++);
                // Metadata LangChain4j attached is not needed by guards, and may hold types Ragkit refuses.
                chunks.add(Chunk.of(address.documentId(), address.index(), content.textSegment().text(), Map.of()));
            }
            return chunks;
        }

        /** The chunk an id names; contents from other stores may carry no id, or one Ragkit cannot map. */
        private static EmbeddingIds.ChunkAddress address(Object id, int n) {
            if (id != null) {
                try {
                    return EmbeddingIds.toChunk(id.toString());
                } catch (InvalidInputException e) {
                    // Fall through: a numbered source is all a guard needs.
                }
            }
            return new EmbeddingIds.ChunkAddress("source-" + n, 0);
        }
    }
}
