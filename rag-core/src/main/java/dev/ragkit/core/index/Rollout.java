package dev.ragkit.core.index;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VersionedIndex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of a progressive rollout of a ready version of a {@link VersionedIndex}, kept durably in
 * the index's properties: start it (shadow first), advance it stage by stage (10 %, 50 %, 100 % of the
 * routing keys answered by the candidate), complete it (the candidate is promoted through a
 * {@link PromotionGate}), abort it, or let a serving host roll it back when the candidate crosses a
 * limit ({@link RolloutRouter}). Until it completes, the alias does not move: stopping a rollout, by
 * hand or by itself, sends all traffic back to the live version at once.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder(index).build();
 * rollout.start(3, RolloutStage.DEFAULT_STAGES);      // shadow: v3 queried beside the live version
 * rollout.advance();                                   // 10 % of the keys answered by v3
 * rollout.complete(PromotionGate.none());              // v3 is live
 * }</pre>
 *
 * Every change is a span and a counter {@code rag.rollout.changes} (tags {@code index} and {@code change}:
 * start, advance, complete, abort, rollback) and is logged at INFO. Changes by several processes are
 * each atomic; the last one wins.
 */
public final class Rollout {
    private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);

    private final VersionedIndex index;
    private final EmbedderResolver embedders;
    private final int keepOldVersions;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final Clock clock;

    private Rollout(Builder b) {
        this.index = b.index;
        this.embedders = b.embedders;
        this.keepOldVersions = b.keepOldVersions;
        this.registry = b.registry;
        this.tracer = b.tracer != null ? b.tracer : OpenTelemetry.noop().getTracer("dev.ragkit");
        this.clock = b.clock;
    }

    /** Rollouts of {@code index}; the caller keeps owning (and closes) the index. */
    public static Builder builder(VersionedIndex index) {
        return new Builder(index);
    }

    /** Settings of a {@link Rollout}. */
    public static final class Builder {
        private final VersionedIndex index;
        private EmbedderResolver embedders;
        private int keepOldVersions = IndexLifecycle.DEFAULT_KEEP_OLD_VERSIONS;
        private MeterRegistry registry;
        private Tracer tracer;
        private Clock clock = Clock.systemUTC();

        private Builder(VersionedIndex index) {
            this.index = Objects.requireNonNull(index, "index");
        }

        /** The versions' embedders, for a {@link #complete} gate that searches. */
        public Builder embedders(EmbedderResolver embedders) {
            this.embedders = Objects.requireNonNull(embedders, "embedders");
            return this;
        }

        /** Old versions kept when the rollout completes (see {@link IndexLifecycle.Builder#keepOldVersions}). */
        public Builder keepOldVersions(int keepOldVersions) {
            this.keepOldVersions = keepOldVersions;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** The clock of the state's times (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Rollout build() {
            if (keepOldVersions < 0) {
                throw new RagConfigurationException("keepOldVersions was " + keepOldVersions + " but it must be >= 0");
            }
            return new Rollout(this);
        }
    }

    /** The index's last rollout, running or ended; empty when none was ever started. */
    public Optional<RolloutState> state() {
        return RolloutState.fromProperties(index.properties());
    }

    /** The figures a serving host last wrote for the last rollout; empty before any. */
    public Optional<RolloutFigures> figures() {
        return state().flatMap(s -> RolloutFigures.fromProperties(index.properties(), s.id()));
    }

    /**
     * Starts rolling out {@code candidate} in {@code stages}' first stage.
     *
     * @throws InvalidInputException when the version is unknown, not ready or live, when no version is live
     *     to compare it with, or when another rollout is active
     */
    public RolloutState start(int candidate, List<RolloutStage> stages) {
        List<RolloutStage> plan = RolloutStage.checked(stages, RolloutStage.format(stages));
        return change("start", () -> {
            Optional<RolloutState> running = activeState();
            if (running.isPresent()) {
                throw new InvalidInputException("index '" + index.name() + "' already has an active "
                        + running.get().summary() + "; advance, complete or abort it first");
            }
            IndexVersion version = index.versions().stream().filter(v -> v.number() == candidate).findFirst()
                    .orElseThrow(() -> new InvalidInputException("index '" + index.name() + "' has no version "
                            + candidate + "; versions: " + index.versions().stream().map(IndexVersion::label).toList()));
            if (version.state() != IndexVersion.State.READY) {
                throw new InvalidInputException("index '" + index.name() + "' version " + version.label()
                        + " is still BUILDING; finish it with a reindex before rolling it out");
            }
            OptionalInt live = index.live();
            if (live.isEmpty()) {
                throw new InvalidInputException("index '" + index.name() + "' has no live version to roll "
                        + version.label() + " out beside; promote it directly");
            }
            if (live.getAsInt() == candidate) {
                throw new InvalidInputException("index '" + index.name() + "' version " + version.label()
                        + " is live already");
            }
            java.time.Instant now = clock.instant();
            RolloutState state = new RolloutState(version.label() + "-" + now.toEpochMilli(), candidate,
                    live.getAsInt(), plan, 0, RolloutState.Status.ACTIVE, now, now, "");
            write(state);
            return state;
        });
    }

    /**
     * Moves the active rollout to its next stage.
     *
     * @throws InvalidInputException when no rollout is active, or it is in its last stage (complete it)
     */
    public RolloutState advance() {
        return change("advance", () -> {
            RolloutState state = requireActive("advance");
            if (state.lastStage()) {
                throw new InvalidInputException("the " + state.summary() + " is in its last stage; complete it"
                        + " ('ragkit index rollout complete') to promote v" + state.candidate());
            }
            RolloutState next = state.next(clock.instant());
            write(next);
            return next;
        });
    }

    /**
     * Advances {@code expected} if it is still the active rollout in the same stage: what a host does by
     * itself after enough healthy queries; the last stage completes without a further gate (the rollout
     * was the check). Returns the state now, unchanged when another process changed it first.
     */
    public RolloutState advanceIfStill(RolloutState expected) {
        Optional<RolloutState> now = activeState();
        if (now.isEmpty() || !now.get().id().equals(expected.id()) || now.get().stage() != expected.stage()) {
            return now.orElse(expected);
        }
        if (expected.lastStage()) {
            complete(PromotionGate.none());
            return state().orElseThrow();
        }
        return advance();
    }

    /**
     * Promotes the active rollout's candidate through {@code gate} (and {@link IndexLifecycle#promote}'s
     * retention of old versions); when promoted, the rollout is COMPLETED. When the gate refuses, nothing
     * changes and the result carries the figures.
     *
     * @throws InvalidInputException when no rollout is active
     */
    public PromotionResult complete(PromotionGate gate) {
        Objects.requireNonNull(gate, "gate");
        return change("complete", () -> {
            RolloutState state = requireActive("complete");
            IndexLifecycle.Builder lifecycle = IndexLifecycle.builder(index).keepOldVersions(keepOldVersions)
                    .meterRegistry(registry).tracer(tracer);
            if (embedders != null) {
                lifecycle.embedders(embedders);
            }
            OptionalInt live = index.live();
            PromotionResult result = live.isPresent() && live.getAsInt() == state.candidate()
                    ? new PromotionResult(state.candidate(), true, live,
                            new GateVerdict("none", true, java.util.Map.of(), "it was live already"), List.of())
                    : lifecycle.build().promote(state.candidate(), gate);
            if (result.promoted()) {
                write(state.ended(RolloutState.Status.COMPLETED, "promoted: " + result.verdict().summary(),
                        clock.instant()));
            }
            return result;
        });
    }

    /**
     * Stops the active rollout by an operator's decision: all traffic goes back to the live version. A
     * state that cannot be read any more is removed.
     *
     * @throws InvalidInputException when no rollout is active
     */
    public RolloutState abort(String reason) {
        Objects.requireNonNull(reason, "reason");
        return change("abort", () -> {
            RolloutState state;
            try {
                state = requireActive("abort");
            } catch (dev.ragkit.core.RagException unreadable) {
                if (unreadable instanceof InvalidInputException) {
                    throw unreadable;
                }
                index.putProperties(RolloutState.cleared());
                LOG.warn("index '{}': removed a rollout state that could not be read ({})", index.name(),
                        unreadable.getMessage());
                throw new InvalidInputException("the rollout state could not be read and was removed: no rollout runs"
                        + " now");
            }
            RolloutState ended = state.ended(RolloutState.Status.ABORTED, reason, clock.instant());
            write(ended);
            return ended;
        });
    }

    /**
     * Rolls {@code expected} back, all traffic to the live version, if it is still the active rollout:
     * what a host does when the candidate crosses a limit. Returns the state now.
     */
    public RolloutState rollBackIfStill(RolloutState expected, String reason) {
        Optional<RolloutState> now = activeState();
        if (now.isEmpty() || !now.get().id().equals(expected.id())) {
            return now.orElse(expected); // ended or replaced meanwhile, by another host or an operator
        }
        return change("rollback", () -> {
            RolloutState ended = now.get().ended(RolloutState.Status.ROLLED_BACK, reason, clock.instant());
            write(ended);
            LOG.warn("index '{}': rolled back {}", index.name(), ended.summary());
            return ended;
        });
    }

    private Optional<RolloutState> activeState() {
        return state().filter(RolloutState::active);
    }

    private RolloutState requireActive(String step) {
        Optional<RolloutState> state = state();
        if (state.isEmpty() || !state.get().active()) {
            throw new InvalidInputException("index '" + index.name() + "' has no active rollout to " + step
                    + state.map(s -> " (last: " + s.summary() + ")").orElse("")
                    + "; start one with 'ragkit index rollout start VERSION'");
        }
        return state.get();
    }

    private void write(RolloutState state) {
        index.putProperties(state.toProperties());
        LOG.info("index '{}': {}", index.name(), state.summary());
    }

    private <T> T change(String change, Supplier<T> body) {
        Span span = tracer.spanBuilder("rag.rollout." + change).setAttribute("index", index.name()).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            T result = body.get();
            if (result instanceof RolloutState s) {
                span.setAttribute("rollout", s.id());
                span.setAttribute("candidate", s.candidate());
                span.setAttribute("stage", s.currentStage().label());
                span.setAttribute("status", s.status().name());
            }
            if (registry != null) {
                Counter.builder("rag.rollout.changes").tag("index", index.name()).tag("change", change)
                        .register(registry).increment();
            }
            return result;
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }
}
