package dev.ragkit.core;

import dev.ragkit.core.answer.ExtractiveAnswerer;
import dev.ragkit.core.answer.Language;
import dev.ragkit.core.answer.PromptBuilder;
import dev.ragkit.core.budget.Budget;
import dev.ragkit.core.budget.Reservation;
import dev.ragkit.core.index.RolloutRouter;
import dev.ragkit.core.internal.Instrumentation;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Citation;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.spi.Reranker;
import dev.ragkit.core.spi.SystemPromptContributor;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers questions from the indexed documents:
 * input guards → retrieve → [rerank] → context guards → prompt with numbered sources → language
 * model(s) → output guards → {@link Answer} with citations, usage, timings and trace id.
 *
 * <p>Language models form a fallback chain: when one fails (after its own retries) the next is
 * tried, and when none is configured or all fail, the extractive answerer composes the answer from
 * the retrieved sentences. Each move is recorded in {@link Answer#fallbacks()}, counted
 * ({@code rag.fallback}) and traced (span {@code rag.fallback}). Nothing retrieved means no model
 * call: the answer is {@link Answer.Kind#NO_CONTEXT}. Thread-safe.
 *
 * <p>During a progressive rollout of a new index version ({@link Builder#rollout}), each question is
 * routed to the live version or the candidate by a routing key: {@code pipeline.forKey(sessionId).ask(q)}
 * keeps a session or user on one side; without a key, the question's text is the key.
 *
 * <p>With a {@link Builder#budget budget}, each model call first reserves its expected maximum for the
 * tenant of {@link #forTenant}: past a soft limit the budget's cheaper model answers, past a hard limit
 * the answer is extractive and opens with the budget's degraded message.
 */
public final class RagPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(RagPipeline.class);
    private static final String EXTRACTIVE = "extractive";

    private final Retriever retriever;
    private final List<LlmClient> llms;
    private final List<Guard> guards;
    private final Reranker reranker;
    private final PromptBuilder prompts;
    private final ExtractiveAnswerer extractive;
    private final OptionalInt maxTokens;
    private final Instrumentation instrumentation;
    private final RolloutRouter rollout;
    /** The routing key of {@link #forKey}; null routes by the question's text. */
    private final String routingKey;
    private final Budget budget;
    /** The tenant of {@link #forTenant} whose budget questions count against; null: the anonymous tenant. */
    private final String tenant;

    private RagPipeline(Builder b) {
        this.retriever = b.retriever;
        this.llms = List.copyOf(b.llms);
        this.guards = List.copyOf(b.guards);
        this.reranker = b.reranker;
        PromptBuilder withNotes = b.prompts;
        for (Guard guard : b.guards) {
            if (guard instanceof SystemPromptContributor contributor) {
                withNotes = withNotes.withSystemNote(contributor.systemPromptNote());
            }
        }
        this.prompts = withNotes;
        this.extractive = b.extractive;
        this.maxTokens = b.maxTokens;
        this.instrumentation = new Instrumentation(b.meterRegistry, b.tracer);
        this.rollout = b.rollout;
        this.routingKey = null;
        this.budget = b.budget;
        this.tenant = null;
    }

    private RagPipeline(RagPipeline base, String routingKey, String tenant) {
        this.retriever = base.retriever;
        this.llms = base.llms;
        this.guards = base.guards;
        this.reranker = base.reranker;
        this.prompts = base.prompts;
        this.extractive = base.extractive;
        this.maxTokens = base.maxTokens;
        this.instrumentation = base.instrumentation;
        this.rollout = base.rollout;
        this.routingKey = routingKey;
        this.budget = base.budget;
        this.tenant = tenant;
    }

    /**
     * This pipeline, routing the questions it answers by {@code routingKey} (a session or user id) during a
     * rollout, so that one session always gets its answers from the same index version. Cheap: hosts call
     * it per request. Without a rollout the key changes nothing.
     *
     * @throws InvalidInputException when the key is blank
     */
    public RagPipeline forKey(String routingKey) {
        if (routingKey == null || routingKey.isBlank()) {
            throw new InvalidInputException("routing key was empty; give a session or user id, or call ask() on the"
                    + " pipeline itself to route by the question's text");
        }
        return new RagPipeline(this, routingKey, tenant);
    }

    /**
     * This pipeline, counting the questions it answers against {@code tenant}'s budget (a user, customer
     * or API key id). Cheap: hosts call it per request. Without a budget the tenant changes nothing.
     *
     * @throws InvalidInputException when the id is not 1 to 128 letters, digits or {@code . _ @ -}
     */
    public RagPipeline forTenant(String tenant) {
        return new RagPipeline(this, routingKey, Budget.checkTenant(tenant));
    }

    /** The budget questions are counted against, when the pipeline was given one. */
    public Optional<Budget> budget() {
        return Optional.ofNullable(budget);
    }

    /** The router of a rollout, when the pipeline was given one. */
    public Optional<RolloutRouter> rollout() {
        return Optional.ofNullable(rollout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link RagPipeline}. */
    public static final class Builder {
        private Retriever retriever;
        private final List<LlmClient> llms = new ArrayList<>();
        private final List<Guard> guards = new ArrayList<>();
        private Reranker reranker;
        private PromptBuilder prompts = PromptBuilder.defaults();
        private ExtractiveAnswerer extractive = ExtractiveAnswerer.defaults();
        private OptionalInt maxTokens = OptionalInt.empty();
        private MeterRegistry meterRegistry;
        private Tracer tracer;
        private RolloutRouter rollout;
        private Budget budget;

        private Builder() {
        }

        /**
         * Routes retrieval through {@code router} during rollouts of a new index version; its live
         * retriever must be this pipeline's {@link #retriever}. The pipeline does not close it.
         */
        public Builder rollout(RolloutRouter router) {
            this.rollout = router;
            return this;
        }

        /** Finds the sources; required. */
        public Builder retriever(Retriever retriever) {
            this.retriever = retriever;
            return this;
        }

        /** The language models to try, in order; none means extractive answers. */
        public Builder llm(LlmClient... chain) {
            for (LlmClient c : chain) {
                llms.add(Objects.requireNonNull(c, "llm"));
            }
            return this;
        }

        /** As {@link #llm(LlmClient...)}. */
        public Builder llms(List<LlmClient> chain) {
            chain.forEach(this::llm);
            return this;
        }

        /** Guards, run in this order at the stages each declares. */
        public Builder guards(List<Guard> guards) {
            guards.forEach(g -> this.guards.add(Objects.requireNonNull(g, "guard")));
            return this;
        }

        public Builder reranker(Reranker reranker) {
            this.reranker = reranker;
            return this;
        }

        public Builder prompts(PromptBuilder prompts) {
            this.prompts = Objects.requireNonNull(prompts, "prompts");
            return this;
        }

        public Builder extractiveAnswerer(ExtractiveAnswerer extractive) {
            this.extractive = Objects.requireNonNull(extractive, "extractive");
            return this;
        }

        /** Upper bound on completion tokens per answer, passed to the model. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = OptionalInt.of(maxTokens);
            return this;
        }

        /** Records step timers and counters here; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Records spans here; none by default. */
        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }


        /**
         * Counts every model call against {@code budget}; its soft-limit model must be one of this
         * pipeline's models, and when it counts cost each model needs a price.
         */
        public Builder budget(Budget budget) {
            this.budget = budget;
            return this;
        }

        public RagPipeline build() {
            if (budget != null) {
                List<String> problems = budget.checkPrices(llms.stream().map(LlmClient::id).toList());
                if (!problems.isEmpty()) {
                    throw new RagConfigurationException(problems);
                }
            }
            if (retriever == null) {
                throw new RagConfigurationException("a pipeline needs a retriever");
            }
            if (rollout != null && rollout.live() != retriever) {
                throw new RagConfigurationException("the rollout router's live retriever must be the pipeline's"
                        + " retriever");
            }
            return new RagPipeline(this);
        }
    }

    /** Answers {@code question} from all indexed documents. */
    public Answer ask(String question) {
        return run(question, null, null);
    }

    /** Answers {@code question} from the chunks that satisfy {@code filter}. */
    public Answer ask(String question, Filter filter) {
        return run(question, filter, null);
    }

    /** Answers {@code question}, streaming the text to {@code onToken}; returns the complete answer with citations. */
    public Answer askStreaming(String question, Consumer<String> onToken) {
        Objects.requireNonNull(onToken, "onToken");
        return run(question, null, onToken::accept);
    }

    /** Answers {@code question} from chunks satisfying {@code filter} (null: all), streaming to {@code listener}. */
    public Answer askStreaming(String question, Filter filter, AnswerListener listener) {
        return run(question, filter, Objects.requireNonNull(listener, "listener"));
    }

    private Answer run(String question, Filter filter, AnswerListener listener) {
        if (question == null || question.isBlank()) {
            throw new InvalidInputException("question was empty");
        }
        return instrumentation.root("rag.ask", span -> {
            Request request = new Request(question, filter, listener, span);
            try {
                return request.answer();
            } finally {
                // Guards may hold per-request state (e.g. the user's values behind placeholders).
                for (Guard guard : guards) {
                    guard.requestFinished(request.traceId);
                }
            }
        });
    }

    /** The state of one question. */
    private final class Request {
        private final String question;
        private final Filter filter;
        private final AnswerListener listener;
        private final String traceId;
        private final Instrumentation.Steps steps = new Instrumentation.Steps();
        private final List<String> guardReasons = new ArrayList<>();
        private final List<Answer.Fallback> fallbacks = new ArrayList<>();
        private TokenUsage usage = TokenUsage.NONE;

        Request(String question, Filter filter, AnswerListener listener, Span root) {
            this.question = question;
            this.filter = filter;
            this.listener = listener;
            String id = root.getSpanContext().getTraceId();
            this.traceId = root.getSpanContext().isValid() ? id : UUID.randomUUID().toString().replace("-", "");
        }

        Answer answer() {
            GuardOutcome input = guard(GuardStage.INPUT, question, List.of());
            if (input.blocked()) {
                return finish(blockedText(), Answer.Kind.BLOCKED, List.of(), EXTRACTIVE);
            }
            String query = input.text();
            List<SearchHit> hits = rollout == null ? retriever.retrieve(query, filter, retriever.topK(), steps::record)
                    : rollout.retrieve(query, filter, retriever.topK(), routingKey, steps::record);
            if (LOG.isDebugEnabled()) {
                // Never the question itself: it may hold personal data that the guards keep out of logs.
                LOG.debug("request {}: {} retrieval found {} hit(s), best score {}, for a question of {} chars{}",
                        traceId, retriever.mode().name().toLowerCase(Locale.ROOT), hits.size(),
                        hits.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", hits.get(0).score()),
                        question.length(), filter == null ? "" : " with a filter");
            }
            if (reranker != null && !hits.isEmpty()) {
                List<SearchHit> candidates = hits;
                hits = instrumentation.step("rag.rerank", "rag.rerank", "reranker", reranker.name(), steps,
                        () -> reranker.rerank(query, candidates, retriever.topK()));
            }
            List<SearchHit> sources = guardContext(hits);
            if (sources.isEmpty()) {
                LOG.debug("request {}: no source left after retrieval and context guards; answering that nothing was"
                        + " found", traceId);
                String text = Language.guess(question) == Language.FRENCH
                        ? "Je n'ai rien trouvé de pertinent dans les documents indexés pour répondre à cette question."
                        : "I found nothing relevant in the indexed documents to answer this question.";
                emit(text);
                return finish(text, Answer.Kind.NO_CONTEXT, List.of(), EXTRACTIVE);
            }
            int softIndex = budget == null ? -1 : budget.softLimitLlm()
                    .map(id -> llms.stream().map(LlmClient::id).toList().indexOf(id)).orElse(-1);
            for (int i = 0; i < llms.size(); i++) {
                LlmClient llm = llms.get(i);
                Reservation reservation = null;
                if (budget != null) {
                    reservation = reserve(llm, query, sources);
                    if (reservation.level() == Reservation.Level.HARD) {
                        return degraded(llm, query, sources, reservation);
                    }
                    if (reservation.level() == Reservation.Level.SOFT && softIndex > i) {
                        reservation.release();
                        budget.recordDegraded(reservation);
                        String limit = reservation.limit().orElseThrow().describe();
                        LOG.debug("request {}: budget {} past its soft limit; answering with {}", traceId, limit,
                                llms.get(softIndex).id());
                        fallbacks.add(new Answer.Fallback(llm.id(), "budget " + limit + " past its soft limit"));
                        instrumentation.fallback(llm.id(), "budget");
                        i = softIndex - 1;
                        continue;
                    }
                }
                try {
                    Generation generation = generate(llm, query, sources, reservation);
                    if (reservation != null) {
                        reservation.commit(answeredBy(llm, generation), generation.usage(), generation.text());
                    }
                    usage = usage.plus(generation.usage());
                    instrumentation.tokens(llm.id(), generation.usage().promptTokens(),
                            generation.usage().completionTokens());
                    for (Answer.Fallback inClient : generation.fallbacks()) {
                        fallbacks.add(inClient);
                        instrumentation.fallback(inClient.from(), "model-fallback");
                    }
                    String answeredBy = answeredBy(llm, generation);
                    return output(generation.text(), Answer.Kind.GENERATED,
                            PromptBuilder.citations(generation.text(), sources), answeredBy, sources);
                } catch (RagException e) {
                    LOG.debug("request {}: model {} failed ({}); {}", traceId, llm.id(), reason(e),
                            llm == llms.get(llms.size() - 1) ? "answering extractively" : "trying the next model");
                    Answer.Fallback fallback = new Answer.Fallback(llm.id(), reason(e));
                    fallbacks.add(fallback);
                    instrumentation.fallback(llm.id(), reasonTag(e));
                    if (listener != null) {
                        listener.onRestart(fallback);
                    }
                } finally {
                    if (reservation != null) {
                        // Charges what a failed stream delivered; nothing after a commit.
                        reservation.fail();
                    }
                }
            }
            String why = llms.isEmpty() ? (Language.guess(question) == Language.FRENCH
                    ? "aucun modèle de langage configuré" : "no language model configured")
                    : (Language.guess(question) == Language.FRENCH
                    ? "les modèles de langage ont échoué" : "every language model failed");
            ExtractiveAnswerer.Result result = instrumentation.step("rag.generate", "rag.generate", "llm", EXTRACTIVE,
                    steps, () -> extractive.answer(query, sources, why));
            emit(result.text());
            return output(result.text(), Answer.Kind.EXTRACTIVE, result.citations(), EXTRACTIVE, sources);
        }

        private Generation generate(LlmClient llm, String query, List<SearchHit> sources, Reservation reservation) {
            // With a budget every call has a completion cap: the reservation counts it as the maximum.
            OptionalInt cap = budget != null && maxTokens.isEmpty() ? OptionalInt.of(budget.maxCompletionTokens())
                    : maxTokens;
            LlmRequest request = new LlmRequest(prompts.messages(query, sources), cap, OptionalDouble.empty());
            Consumer<String> onToken = listener == null ? null : reservation == null ? listener::onToken : piece -> {
                reservation.streamed(piece);
                listener.onToken(piece);
            };
            return instrumentation.step("rag.generate", "rag.generate", "llm", llm.id(), steps, span -> {
                Generation g = listener == null ? llm.generate(request) : llm.stream(request, onToken);
                span.setAttribute("model", g.model());
                span.setAttribute("tokens.prompt", g.usage().promptTokens());
                span.setAttribute("tokens.completion", g.usage().completionTokens());
                return g;
            });
        }

        /** Reserves the expected maximum of a call to {@code llm}: the prompt's estimate plus the completion cap. */
        private Reservation reserve(LlmClient llm, String query, List<SearchHit> sources) {
            long promptChars = 0;
            for (ChatMessage m : prompts.messages(query, sources)) {
                promptChars += m.content().length();
            }
            int cap = maxTokens.orElse(budget.maxCompletionTokens());
            return budget.reserve(tenant, llm.id(), budget.estimateTokens(promptChars), cap);
        }

        /** Past a hard limit: an extractive answer that opens with the budget's message; no model is called. */
        private Answer degraded(LlmClient llm, String query, List<SearchHit> sources, Reservation reservation) {
            budget.recordDegraded(reservation);
            String limit = reservation.limit().orElseThrow().describe();
            LOG.debug("request {}: budget {} past its hard limit; answering extractively", traceId, limit);
            fallbacks.add(new Answer.Fallback(llm.id(), "budget " + limit + " past its hard limit"));
            instrumentation.fallback(llm.id(), "budget");
            Language language = Language.guess(question);
            String why = language == Language.FRENCH ? "budget atteint" : "budget reached";
            ExtractiveAnswerer.Result result = instrumentation.step("rag.generate", "rag.generate", "llm", EXTRACTIVE,
                    steps, () -> extractive.answer(query, sources, why));
            String text = budget.degradedMessage(language) + "\n\n" + result.text();
            emit(text);
            return output(text, Answer.Kind.EXTRACTIVE, result.citations(), EXTRACTIVE, sources);
        }

        private Answer output(String text, Answer.Kind kind, List<Citation> citations, String answeredBy,
                              List<SearchHit> sources) {
            GuardOutcome out = guard(GuardStage.OUTPUT, text, sources.stream().map(SearchHit::chunk).toList());
            if (out.blocked()) {
                if (listener != null) {
                    listener.onRestart(new Answer.Fallback(answeredBy, "blocked by an output guard"));
                }
                return finish(blockedText(), Answer.Kind.BLOCKED, List.of(), answeredBy);
            }
            return finish(out.text(), kind, citations, answeredBy);
        }

        private List<SearchHit> guardContext(List<SearchHit> hits) {
            if (guards.stream().noneMatch(g -> g.stages().contains(GuardStage.CONTEXT))) {
                return hits;
            }
            List<SearchHit> kept = new ArrayList<>();
            for (SearchHit hit : hits) {
                GuardOutcome outcome = guard(GuardStage.CONTEXT, hit.chunk().text(), List.of());
                if (outcome.blocked()) {
                    continue;
                }
                if (outcome.text().equals(hit.chunk().text())) {
                    kept.add(hit);
                } else {
                    Chunk c = hit.chunk();
                    Chunk redacted = new Chunk(c.id(), c.documentId(), c.index(), outcome.text(), c.contentHash(),
                            c.metadata());
                    kept.add(new SearchHit(redacted, hit.score()));
                }
            }
            return kept;
        }

        /** Runs the guards of {@code stage} in order; a redaction feeds the next guard. */
        private GuardOutcome guard(GuardStage stage, String text, List<Chunk> sources) {
            String current = text;
            String stageName = stage.name().toLowerCase(Locale.ROOT);
            for (Guard g : guards) {
                if (!g.stages().contains(stage)) {
                    continue;
                }
                String checked = current;
                GuardVerdict verdict = instrumentation.step("rag.guard", "rag.guard", "guard", g.name(), steps,
                        span -> {
                            span.setAttribute("stage", stageName);
                            GuardVerdict v = g.check(new GuardInput(stage, checked, sources, traceId));
                            if (v == null) {
                                throw new RagException("guard '" + g.name() + "' returned no verdict");
                            }
                            return v;
                        });
                if (verdict instanceof GuardVerdict.Block block) {
                    instrumentation.verdict(g.name(), stageName, "block");
                    block.reasons().forEach(r -> guardReasons.add(g.name() + "@" + stageName + ": " + r));
                    return new GuardOutcome(current, true);
                }
                if (verdict instanceof GuardVerdict.Redact redact) {
                    instrumentation.verdict(g.name(), stageName, "redact");
                    redact.reasons().forEach(r -> guardReasons.add(g.name() + "@" + stageName + ": " + r));
                    current = redact.text();
                } else if (verdict instanceof GuardVerdict.Flag flag) {
                    instrumentation.verdict(g.name(), stageName, "flag");
                    flag.reasons().forEach(r -> guardReasons.add(g.name() + "@" + stageName + ": " + r));
                } else {
                    instrumentation.verdict(g.name(), stageName, "allow");
                }
            }
            return new GuardOutcome(current, false);
        }

        private String blockedText() {
            return Language.guess(question) == Language.FRENCH
                    ? "Je ne peux pas répondre à cette demande : elle a été bloquée par une règle de sécurité."
                    : "I cannot answer this request: it was blocked by a safety rule.";
        }

        private void emit(String text) {
            if (listener == null) {
                return;
            }
            // Extractive and fixed answers are complete at once; stream them word by word all the same,
            // so a host's streaming UI has one code path.
            int start = 0;
            for (int i = 1; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == ' ') {
                    listener.onToken(text.substring(start, i));
                    start = i;
                }
            }
        }

        private Answer finish(String text, Answer.Kind kind, List<Citation> citations, String answeredBy) {
            LOG.debug("request {}: {} answer by {} citing {} source(s){}", traceId,
                    kind.name().toLowerCase(Locale.ROOT), answeredBy, citations.size(),
                    guardReasons.isEmpty() ? "" : "; " + guardReasons.size() + " guard verdict(s), see Answer.guardReasons");
            return new Answer(question, text, kind, citations, usage, steps.timings(), traceId, answeredBy,
                    fallbacks, guardReasons);
        }
    }

    private record GuardOutcome(String text, boolean blocked) {
    }

    /**
     * {@code <provider>:<model>} of the model that wrote the text: a client's id names its primary
     * model, but its own fallback model may have answered.
     */
    private static String answeredBy(LlmClient llm, Generation generation) {
        String id = llm.id();
        int colon = id.indexOf(':');
        String provider = colon >= 0 ? id.substring(0, colon) : id;
        return provider + ":" + generation.model();
    }

    /** Why a model was skipped; the fallback record names the model already, so the backend prefix goes. */
    private static String reason(RagException e) {
        if (e instanceof RagBackendException backend && backend.detail() != null) {
            return backend.detail();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A low-cardinality reason for the {@code rag.fallback} counter. */
    private static String reasonTag(RagException e) {
        if (e instanceof RagBackendException backend) {
            return backend.retriable() ? "retriable" : "permanent";
        }
        return "error";
    }
}
