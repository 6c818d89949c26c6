package dev.ragkit.core.index;

import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One stage of a {@link Rollout}: the share of routing keys whose queries the candidate version
 * answers. Share 0 is the shadow stage: every answer comes from the live version and the candidate is
 * queried beside it, off the request's path, only to be measured.
 *
 * @param share the share of routing keys answered by the candidate, in [0, 1]; 0 means shadow
 */
public record RolloutStage(double share) {
    /** The stage where the candidate only shadows the live version. */
    public static final RolloutStage SHADOW = new RolloutStage(0);
    /** The seeds' plan: shadow, then 10 %, 50 % and 100 % of the traffic. */
    public static final List<RolloutStage> DEFAULT_STAGES = List.of(SHADOW, new RolloutStage(0.1),
            new RolloutStage(0.5), new RolloutStage(1));

    public RolloutStage {
        if (!(share >= 0 && share <= 1)) {
            throw new InvalidInputException("rollout stage share was " + share + " but it must be between 0 and 1");
        }
    }

    /** Whether this is the shadow stage (no answer comes from the candidate). */
    public boolean shadow() {
        return share == 0;
    }

    /** {@code shadow}, or the share such as {@code 0.1}: the form {@link #parseList} reads. */
    public String label() {
        if (shadow()) {
            return "shadow";
        }
        String s = String.format(Locale.ROOT, "%.4f", share).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code shadow} or {@code 10%}: how status lines show it. */
    public String describe() {
        if (shadow()) {
            return "shadow";
        }
        String percent = String.format(Locale.ROOT, "%.2f", share * 100).replaceAll("\\.?0+$", "");
        return percent + "%";
    }

    /**
     * Reads {@code shadow,0.1,0.5,1} (shares may also be written {@code 10%}): shadow only first, shares
     * strictly rising, at least one stage.
     *
     * @throws InvalidInputException naming the bad entry
     */
    public static List<RolloutStage> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("rollout stages were empty; give e.g. shadow,0.1,0.5,1");
        }
        List<RolloutStage> stages = new ArrayList<>();
        for (String part : text.split(",")) {
            String entry = part.trim().toLowerCase(Locale.ROOT);
            RolloutStage stage;
            if (entry.equals("shadow")) {
                stage = SHADOW;
            } else {
                try {
                    double share = entry.endsWith("%") ? Double.parseDouble(entry.substring(0, entry.length() - 1)) / 100
                            : Double.parseDouble(entry);
                    if (share <= 0 || share > 1) {
                        throw new NumberFormatException();
                    }
                    stage = new RolloutStage(share);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("rollout stage '" + part.trim() + "' in '" + text + "' must be"
                            + " 'shadow' or a share above 0 and at most 1 (0.1 or 10%)");
                }
            }
            stages.add(stage);
        }
        return checked(stages, text);
    }

    /** Checks a plan: not empty, shadow only first, shares strictly rising. */
    static List<RolloutStage> checked(List<RolloutStage> stages, String shown) {
        if (stages.isEmpty()) {
            throw new InvalidInputException("a rollout needs at least one stage; give e.g. shadow,0.1,0.5,1");
        }
        for (int i = 1; i < stages.size(); i++) {
            if (stages.get(i).share() <= stages.get(i - 1).share()) {
                throw new InvalidInputException("rollout stages '" + shown + "' must rise: shadow first, then"
                        + " growing shares (stage " + (i + 1) + " is " + stages.get(i).label() + " after "
                        + stages.get(i - 1).label() + ")");
            }
        }
        return List.copyOf(stages);
    }

    /** {@code shadow,0.1,0.5,1}. */
    public static String format(List<RolloutStage> stages) {
        return String.join(",", stages.stream().map(RolloutStage::label).toList());
    }
}
