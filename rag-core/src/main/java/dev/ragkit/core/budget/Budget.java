package dev.ragkit.core.budget;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.answer.Language;
import dev.ragkit.core.model.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token and cost budgets, global and per tenant, per minute, day and month. Before each generation the
 * pipeline {@linkplain #reserve reserves} the request's expected maximum; past a soft limit it answers
 * with the cheaper fallback model, past a hard limit extractively with the {@linkplain #degradedMessage
 * degraded message}. Reservations are checked and taken under one lock, so requests racing for the last
 * tokens cannot all pass: a window overspends by at most what one request used beyond its own estimate.
 *
 * <p>Usage is saved to the {@link BudgetStore} (when there is one) after every charge, so it survives a
 * restart. Meters: gauge {@code rag.budget.used} (share of the hard limit used in the current window,
 * tags {@code scope}, {@code period}, {@code unit}; for {@code scope=tenant} the most used tenant's
 * share, so tenant ids never become tags) and counter {@code rag.budget.degraded} (tags {@code level}
 * {@code fallback-model|extractive} and the limit's {@code scope}, {@code period}, {@code unit}).
 * Thread-safe.
 */
public final class Budget {
    private static final Logger LOG = LoggerFactory.getLogger(Budget.class);
    /** Tenant ids: also the usage file's keys, so no spaces or line breaks. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    /** The tenant of questions asked without one. */
    public static final String ANONYMOUS = "anonymous";
    public static final String DEFAULT_MESSAGE_EN = "The usage budget is reached: until it resets, answers quote"
            + " the most relevant passages instead of being written by the language model.";
    public static final String DEFAULT_MESSAGE_FR = "Le budget d'utilisation est atteint : jusqu'à sa remise à"
            + " zéro, les réponses citent les passages les plus pertinents au lieu d'être rédigées par le modèle"
            + " de langage.";

    private final List<BudgetLimit> limits;
    private final Map<String, ModelPrice> prices;
    private final int maxCompletionTokens;
    private final double charsPerToken;
    private final String softLimitLlm;
    private final String messageEn;
    private final String messageFr;
    private final BudgetStore store;
    private final Clock clock;
    private final MeterRegistry registry;

    final Object lock = new Object();
    /** Counters by scope key ({@code global}, {@code tenant:<id>}) and period; guarded by {@link #lock}. */
    private final Map<WindowKey, Window> windows = new HashMap<>();
    /** Guarded by {@link #lock}: bumped on each change, so an older snapshot never overwrites a newer one. */
    private long version;
    private final Object saveLock = new Object();
    private long savedVersion;

    private record WindowKey(String scopeKey, BudgetPeriod period) {
    }

    /** One scope's counts in the current window of one period. */
    private static final class Window {
        long start;
        long tokens;
        double cost;
        long heldTokens;
        double heldCost;

        double used(BudgetUnit unit) {
            return unit == BudgetUnit.TOKENS ? tokens : cost;
        }

        double held(BudgetUnit unit) {
            return unit == BudgetUnit.TOKENS ? heldTokens : heldCost;
        }
    }

    private Budget(Builder b) {
        this.limits = List.copyOf(b.limits);
        this.prices = Map.copyOf(b.prices);
        this.maxCompletionTokens = b.maxCompletionTokens;
        this.charsPerToken = b.charsPerToken;
        this.softLimitLlm = b.softLimitLlm;
        this.messageEn = b.messageEn;
        this.messageFr = b.messageFr;
        this.store = b.store;
        this.clock = b.clock;
        this.registry = b.registry;
        if (store != null) {
            Instant now = clock.instant();
            for (UsageRecord r : store.load()) {
                // Windows that ended while the host was down start again from zero.
                if (r.windowStart() == r.period().windowStart(now)) {
                    Window w = windows.computeIfAbsent(new WindowKey(r.scopeKey(), r.period()), k -> new Window());
                    w.start = r.windowStart();
                    w.tokens = r.tokens();
                    w.cost = r.cost();
                }
            }
        }
        if (registry != null) {
            for (BudgetLimit limit : limits) {
                Gauge.builder("rag.budget.used", this, budget -> budget.share(limit))
                        .description("Share of the hard limit used in the current window (most used tenant for"
                                + " scope=tenant)")
                        .tags("scope", limit.scope().label(), "period", limit.period().label(),
                                "unit", limit.unit().label())
                        .strongReference(true).register(registry);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<BudgetLimit> limits() {
        return limits;
    }

    /** The completion cap of a request when the pipeline sets none: part of each reservation. */
    public int maxCompletionTokens() {
        return maxCompletionTokens;
    }

    /** The id of the model to answer with past a soft limit, when one is set. */
    public Optional<String> softLimitLlm() {
        return Optional.ofNullable(softLimitLlm);
    }

    /** The message that opens a degraded (extractive) answer, in the question's language. */
    public String degradedMessage(Language language) {
        return language == Language.FRENCH ? messageFr : messageEn;
    }

    /** Tokens that {@code chars} characters of text are counted as before the provider reports usage. */
    public long estimateTokens(long chars) {
        return (long) Math.ceil(chars / charsPerToken);
    }

    /** Whether some limit counts cost, so that every model the pipeline may call needs a price. */
    public boolean countsCost() {
        return limits.stream().anyMatch(l -> l.unit() == BudgetUnit.COST);
    }

    /** Problems with {@code llmIds} as this budget's models: a cost limit needs a price for each. */
    public List<String> checkPrices(List<String> llmIds) {
        return checkPrices(limits, prices, softLimitLlm, llmIds);
    }

    private static List<String> checkPrices(List<BudgetLimit> limits, Map<String, ModelPrice> prices,
                                            String softLimitLlm, List<String> llmIds) {
        List<String> problems = new ArrayList<>();
        if (limits.stream().anyMatch(l -> l.unit() == BudgetUnit.COST)) {
            for (String id : llmIds) {
                if (!prices.containsKey(id)) {
                    problems.add("the budget counts cost but model '" + id + "' has no price; set"
                            + " rag.budget.price.<label>.model=" + id + " with its .input and .output prices per"
                            + " million tokens (0 for a free local model)");
                }
            }
        }
        if (softLimitLlm != null && !llmIds.contains(softLimitLlm)) {
            problems.add("the budget's soft-limit model '" + softLimitLlm + "' is not one of the pipeline's models "
                    + llmIds);
        }
        return problems;
    }

    /** Checks a tenant id, which becomes a key of the usage file. */
    public static String checkTenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new InvalidInputException("tenant was '" + tenant + "' but it must be 1 to 128 letters, digits or"
                    + " . _ @ -");
        }
        return tenant;
    }

    /**
     * Reserves the expected maximum of one generation by {@code llmId} for {@code tenant} (null: the
     * {@value #ANONYMOUS} tenant): {@code promptTokens} plus {@code maxCompletionTokens}. At level HARD
     * nothing is held.
     */
    public Reservation reserve(String tenant, String llmId, long promptTokens, long maxCompletionTokens) {
        Objects.requireNonNull(llmId, "llmId");
        if (promptTokens < 0 || maxCompletionTokens < 0) {
            throw new InvalidInputException("token estimates were " + promptTokens + "/" + maxCompletionTokens
                    + " but they must be >= 0");
        }
        String tenantKey = "tenant:" + (tenant == null ? ANONYMOUS : checkTenant(tenant));
        long tokens = promptTokens + maxCompletionTokens;
        double cost = price(llmId).map(p -> p.cost(promptTokens, maxCompletionTokens)).orElse(0d);
        Instant now = clock.instant();
        synchronized (lock) {
            Reservation.Level level = Reservation.Level.WITHIN;
            BudgetLimit worst = null;
            for (BudgetLimit limit : limits) {
                Window w = window(limit.scope() == BudgetScope.GLOBAL ? "global" : tenantKey, limit.period(), now);
                double after = w.used(limit.unit()) + w.held(limit.unit())
                        + (limit.unit() == BudgetUnit.TOKENS ? tokens : cost);
                if (after > limit.hard()) {
                    level = Reservation.Level.HARD;
                    worst = limit;
                    break;
                }
                if (after > limit.soft() && level == Reservation.Level.WITHIN) {
                    level = Reservation.Level.SOFT;
                    worst = limit;
                }
            }
            if (level == Reservation.Level.HARD) {
                return new Reservation(this, level, worst, tenantKey, llmId, promptTokens, 0, 0);
            }
            Reservation r = new Reservation(this, level, worst, tenantKey, llmId, promptTokens, tokens, cost);
            adjustHeld(r, tokens, cost, now);
            return r;
        }
    }

    /** Counts a degraded answer on {@code rag.budget.degraded}. */
    public void recordDegraded(Reservation reservation) {
        if (registry == null || reservation.limit().isEmpty()) {
            return;
        }
        BudgetLimit limit = reservation.limit().get();
        Counter.builder("rag.budget.degraded")
                .description("Answers degraded by a budget limit: a cheaper model, or an extractive answer")
                .tags("level", reservation.level() == Reservation.Level.HARD ? "extractive" : "fallback-model",
                        "scope", limit.scope().label(), "period", limit.period().label(), "unit", limit.unit().label())
                .register(registry).increment();
    }

    /** The usage counted so far in the current window of {@code period}, for {@code global} or {@code tenant:<id>}. */
    public UsageRecord usage(String scopeKey, BudgetPeriod period) {
        Instant now = clock.instant();
        synchronized (lock) {
            Window w = window(scopeKey, period, now);
            return new UsageRecord(scopeKey, period, w.start, w.tokens, w.cost);
        }
    }

    /** Tokens held by in-flight reservations in the current window of {@code period} for {@code scopeKey}. */
    public long heldTokens(String scopeKey, BudgetPeriod period) {
        Instant now = clock.instant();
        synchronized (lock) {
            return window(scopeKey, period, now).heldTokens;
        }
    }

    private Optional<ModelPrice> price(String modelId) {
        return Optional.ofNullable(prices.get(modelId));
    }

    /** The window of {@code scopeKey} and {@code period} holding {@code now}; reset when the last one ended. */
    private Window window(String scopeKey, BudgetPeriod period, Instant now) {
        Window w = windows.computeIfAbsent(new WindowKey(scopeKey, period), k -> new Window());
        long start = period.windowStart(now);
        if (w.start != start) {
            // Holds of in-flight requests carry over; they are charged to the window they end in.
            w.start = start;
            w.tokens = 0;
            w.cost = 0;
        }
        return w;
    }

    /** The periods of the limits, per scope; the windows a charge of {@code tenantKey} lands in. */
    private List<WindowKey> keysFor(String tenantKey) {
        List<WindowKey> keys = new ArrayList<>();
        for (BudgetLimit limit : limits) {
            WindowKey key = new WindowKey(limit.scope() == BudgetScope.GLOBAL ? "global" : tenantKey, limit.period());
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Called under {@link #lock}. */
    private void adjustHeld(Reservation r, long tokens, double cost, Instant now) {
        for (WindowKey key : keysFor(r.tenantKey)) {
            Window w = window(key.scopeKey(), key.period(), now);
            w.heldTokens += tokens;
            w.heldCost += cost;
        }
    }

    /** Raises the hold of a stream that ran past its estimate. Called under {@link #lock}. */
    void holdAtLeast(Reservation r, long tokens) {
        if (tokens <= r.heldTokens) {
            return;
        }
        long extraTokens = tokens - r.heldTokens;
        ModelPrice price = price(r.llmId).orElse(ModelPrice.FREE);
        // Past the estimate, the extra text is completion.
        double extraCost = price.cost(0, extraTokens);
        adjustHeld(r, extraTokens, extraCost, clock.instant());
        r.heldTokens += extraTokens;
        r.heldCost += extraCost;
    }

    void end(Reservation r, String modelId, TokenUsage charged) {
        double cost = price(modelId).or(() -> price(r.llmId)).map(p -> p.cost(charged)).orElse(0d);
        Instant now = clock.instant();
        List<UsageRecord> snapshot;
        long snapshotVersion;
        synchronized (lock) {
            if (!r.endOnce()) {
                return;
            }
            adjustHeld(r, -r.heldTokens, -r.heldCost, now);
            for (WindowKey key : keysFor(r.tenantKey)) {
                Window w = window(key.scopeKey(), key.period(), now);
                w.tokens += charged.totalTokens();
                w.cost += cost;
                // Adding and removing costs leaves floating-point dust: never a negative hold.
                w.heldCost = Math.max(0, w.heldCost);
            }
            r.heldTokens = 0;
            r.heldCost = 0;
            if (charged.totalTokens() == 0 || store == null) {
                return;
            }
            snapshotVersion = ++version;
            snapshot = snapshot(now);
        }
        save(snapshot, snapshotVersion);
    }

    /** The current windows with usage; ended windows of idle tenants are dropped. Called under {@link #lock}. */
    private List<UsageRecord> snapshot(Instant now) {
        List<UsageRecord> records = new ArrayList<>();
        windows.entrySet().removeIf(e -> e.getValue().start != e.getKey().period().windowStart(now)
                && e.getValue().heldTokens == 0);
        for (Map.Entry<WindowKey, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            if (w.start == e.getKey().period().windowStart(now) && (w.tokens > 0 || w.cost > 0)) {
                records.add(new UsageRecord(e.getKey().scopeKey(), e.getKey().period(), w.start, w.tokens, w.cost));
            }
        }
        return records;
    }

    private void save(List<UsageRecord> snapshot, long snapshotVersion) {
        synchronized (saveLock) {
            if (snapshotVersion <= savedVersion) {
                return; // a newer snapshot is already on disk
            }
            try {
                store.save(snapshot);
                savedVersion = snapshotVersion;
            } catch (RuntimeException e) {
                // Counting goes on in memory: failing the answer would not un-spend the tokens.
                LOG.warn("could not save budget usage ({}); counts since the last save would be lost on a restart",
                        e.getMessage());
            }
        }
    }

    /** The share of {@code limit}'s hard amount used in its current window; the highest tenant's for a tenant limit. */
    private double share(BudgetLimit limit) {
        Instant now = clock.instant();
        long start = limit.period().windowStart(now);
        double used = 0;
        synchronized (lock) {
            for (Map.Entry<WindowKey, Window> e : windows.entrySet()) {
                WindowKey key = e.getKey();
                boolean inScope = limit.scope() == BudgetScope.GLOBAL ? key.scopeKey().equals("global")
                        : key.scopeKey().startsWith("tenant:");
                if (inScope && key.period() == limit.period() && e.getValue().start == start) {
                    used = Math.max(used, e.getValue().used(limit.unit()));
                }
            }
        }
        return used / limit.hard();
    }

    /** Settings of a {@link Budget}. */
    public static final class Builder {
        private final List<BudgetLimit> limits = new ArrayList<>();
        private final Map<String, ModelPrice> prices = new LinkedHashMap<>();
        private int maxCompletionTokens = 1024;
        private double charsPerToken = 4;
        private String softLimitLlm;
        private String messageEn = DEFAULT_MESSAGE_EN;
        private String messageFr = DEFAULT_MESSAGE_FR;
        private BudgetStore store;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry;

        private Builder() {
        }

        public Builder limit(BudgetLimit limit) {
            for (BudgetLimit l : limits) {
                if (l.scope() == limit.scope() && l.period() == limit.period() && l.unit() == limit.unit()) {
                    throw new InvalidInputException("the budget has two limits for " + limit.describe());
                }
            }
            limits.add(limit);
            return this;
        }

        /** The price of the model whose {@code LlmClient.id()} (or answering {@code provider:model}) is {@code modelId}. */
        public Builder price(String modelId, ModelPrice price) {
            prices.put(Objects.requireNonNull(modelId, "modelId"), Objects.requireNonNull(price, "price"));
            return this;
        }

        /** The completion cap used when the pipeline sets none (default 1024); each reservation counts it. */
        public Builder maxCompletionTokens(int tokens) {
            if (tokens < 1) {
                throw new InvalidInputException("maxCompletionTokens was " + tokens + " but it must be >= 1");
            }
            this.maxCompletionTokens = tokens;
            return this;
        }

        /** How many characters count as a token before the provider reports usage (default 4). */
        public Builder charsPerToken(double chars) {
            if (!(chars > 0) || Double.isInfinite(chars)) {
                throw new InvalidInputException("charsPerToken was " + chars + " but it must be > 0");
            }
            this.charsPerToken = chars;
            return this;
        }

        /** The id of the cheaper model (one of the pipeline's) that answers past a soft limit. */
        public Builder softLimitLlm(String llmId) {
            this.softLimitLlm = llmId;
            return this;
        }

        /** The messages that open a degraded answer, English and French. */
        public Builder degradedMessages(String english, String french) {
            if (english == null || english.isBlank() || french == null || french.isBlank()) {
                throw new InvalidInputException("degraded messages must not be empty");
            }
            this.messageEn = english.strip();
            this.messageFr = french.strip();
            return this;
        }

        /** Where usage is saved; none keeps it in memory only (lost on restart). */
        public Builder store(BudgetStore store) {
            this.store = store;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** What {@link Budget#checkPrices} would report, before anything is built or registered. */
        public List<String> checkPrices(List<String> llmIds) {
            return Budget.checkPrices(limits, prices, softLimitLlm, llmIds);
        }

        public Budget build() {
            if (limits.isEmpty()) {
                throw new RagConfigurationException("a budget needs at least one limit");
            }
            return new Budget(this);
        }
    }
}
