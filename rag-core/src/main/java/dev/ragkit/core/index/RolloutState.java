package dev.ragkit.core.index;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link Rollout} stands, kept durably in the index's {@link
 * dev.ragkit.core.spi.VersionedIndex#properties() properties} ({@code rollout.*} keys), so that every
 * host serving the index, and a host restarted, routes the same way.
 *
 * @param id names this rollout ({@code v3-1764920000000}); routing hashes it with each key, so a key's
 *     side is fixed for one rollout and drawn afresh for the next
 * @param candidate the version being rolled out
 * @param baseline the version that was live when it started
 * @param stages the plan, e.g. shadow, 0.1, 0.5, 1
 * @param stage the index of the current stage in {@code stages}
 * @param status whether it runs or how it ended
 * @param started when it started
 * @param stageStarted when the current stage started (or when it ended, once it did)
 * @param reason why it ended (with the figures for an automatic rollback); empty while active
 */
public record RolloutState(String id, int candidate, int baseline, List<RolloutStage> stages, int stage, Status status,
                           Instant started, Instant stageStarted, String reason) {
    /** Property key prefix of the state. */
    public static final String PREFIX = "rollout.";
    private static final List<String> KEYS = List.of("id", "candidate", "baseline", "stages", "stage", "status",
            "started", "stage-started", "reason");

    /** Whether a rollout runs, and how it ended. */
    public enum Status {
        /** Running: its current stage routes queries. */
        ACTIVE,
        /** Stopped by itself (or by a host) because the candidate crossed a limit: all traffic is live. */
        ROLLED_BACK,
        /** Stopped by an operator: all traffic is live. */
        ABORTED,
        /** The candidate was promoted: it is the live version. */
        COMPLETED
    }

    public RolloutState {
        Objects.requireNonNull(id, "id");
        stages = RolloutStage.checked(stages, String.valueOf(stages));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(stageStarted, "stageStarted");
        Objects.requireNonNull(reason, "reason");
        if (stage < 0 || stage >= stages.size()) {
            throw new IllegalArgumentException("rollout stage index was " + stage + " but the plan has " + stages.size()
                    + " stages");
        }
    }

    /** The current stage. */
    public RolloutStage currentStage() {
        return stages.get(stage);
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** Whether the current stage is the plan's last. */
    public boolean lastStage() {
        return stage == stages.size() - 1;
    }

    /** This rollout in its next stage. */
    RolloutState next(Instant now) {
        return new RolloutState(id, candidate, baseline, stages, stage + 1, status, started, now, "");
    }

    /** This rollout ended with {@code status} for {@code why}. */
    RolloutState ended(Status ended, String why, Instant now) {
        return new RolloutState(id, candidate, baseline, stages, stage, ended, started, now, why);
    }

    /** {@code v3 rollout v3-17...: ACTIVE at 10% (stage 2 of 4) since ...}: one line for logs and the CLI. */
    public String summary() {
        String where = status == Status.ACTIVE
                ? " at " + currentStage().describe() + " (stage " + (stage + 1) + " of " + stages.size() + ", plan "
                        + RolloutStage.format(stages) + ") since " + stageStarted
                : " at " + stageStarted + (reason.isEmpty() ? "" : ": " + reason);
        return "rollout " + id + " of v" + candidate + " (live was v" + baseline + "): " + status + where;
    }

    /** The state as properties under {@link #PREFIX}. */
    public Map<String, String> toProperties() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(PREFIX + "id", id);
        map.put(PREFIX + "candidate", Integer.toString(candidate));
        map.put(PREFIX + "baseline", Integer.toString(baseline));
        map.put(PREFIX + "stages", RolloutStage.format(stages));
        map.put(PREFIX + "stage", Integer.toString(stage));
        map.put(PREFIX + "status", status.name());
        map.put(PREFIX + "started", started.toString());
        map.put(PREFIX + "stage-started", stageStarted.toString());
        map.put(PREFIX + "reason", reason);
        return map;
    }

    /**
     * Reads {@link #toProperties()}'s form; empty when no rollout was ever started on the index.
     *
     * @throws dev.ragkit.core.RagException when the keys are there but cannot be read (edited by hand)
     */
    public static Optional<RolloutState> fromProperties(Map<String, String> properties) {
        if (!properties.containsKey(PREFIX + "id")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RolloutState(properties.get(PREFIX + "id"),
                    Integer.parseInt(get(properties, "candidate")), Integer.parseInt(get(properties, "baseline")),
                    RolloutStage.parseList(get(properties, "stages")), Integer.parseInt(get(properties, "stage")),
                    Status.valueOf(get(properties, "status")), Instant.parse(get(properties, "started")),
                    Instant.parse(get(properties, "stage-started")), properties.getOrDefault(PREFIX + "reason", "")));
        } catch (RuntimeException e) {
            if (e instanceof DateTimeParseException || e instanceof IllegalArgumentException
                    || e instanceof dev.ragkit.core.RagException || e instanceof NullPointerException) {
                throw new dev.ragkit.core.RagException("the index's rollout state (properties " + PREFIX + "*) cannot"
                        + " be read: " + e.getMessage() + "; abort it with 'ragkit index rollout abort'", e);
            }
            throw e;
        }
    }

    /** Removal of every state key: what an abort of a state that cannot be read writes. */
    static Map<String, String> cleared() {
        Map<String, String> map = new LinkedHashMap<>();
        KEYS.forEach(k -> map.put(PREFIX + k, null));
        return map;
    }

    private static String get(Map<String, String> properties, String key) {
        return Objects.requireNonNull(properties.get(PREFIX + key), () -> "key " + PREFIX + key + " is missing");
    }
}
