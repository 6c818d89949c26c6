package dev.ragkit.core.budget;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link Budget} from {@code rag.budget.*} keys, recording every problem instead of stopping at
 * the first:
 * <ul>
 *   <li>{@code rag.budget.<global|tenant>.<minute|day|month>.<tokens|cost>}: a hard limit;
 *       {@code ...soft-tokens} / {@code ...soft-cost}: its soft limit (default {@code soft-ratio} x hard)</li>
 *   <li>{@code rag.budget.soft-ratio} (0.8)</li>
 *   <li>{@code rag.budget.price.<label>.model}, {@code .input}, {@code .output}: a model's price per million
 *       prompt and completion tokens</li>
 *   <li>{@code rag.budget.soft-llm}: the provider of {@code rag.llm} that answers past a soft limit (the
 *       assembler maps it to the model id; default: the last of the chain when it has two or more)</li>
 *   <li>{@code rag.budget.max-completion-tokens} (1024), {@code rag.budget.chars-per-token} (4)</li>
 *   <li>{@code rag.budget.message.en}, {@code rag.budget.message.fr}: the degraded answer's opening</li>
 *   <li>{@code rag.budget.file}: where usage is saved; unset keeps it in memory only</li>
 * </ul>
 */
public final class BudgetConfig {
    public static final String PREFIX = "rag.budget.";
    public static final String SOFT_LLM_KEY = "rag.budget.soft-llm";
    private static final Pattern LIMIT = Pattern.compile(
            "rag\\.budget\\.(global|tenant)\\.(minute|day|month)\\.(soft-)?(tokens|cost)");
    private static final Pattern PRICE = Pattern.compile("rag\\.budget\\.price\\.([a-z0-9-]+)\\.(model|input|output)");
    private static final List<String> PLAIN = List.of("rag.budget.soft-ratio", SOFT_LLM_KEY,
            "rag.budget.max-completion-tokens", "rag.budget.chars-per-token", "rag.budget.message.en",
            "rag.budget.message.fr", "rag.budget.file");

    private BudgetConfig() {
    }

    /** Whether {@code config} sets any {@code rag.budget.*} key. */
    public static boolean present(Map<String, String> config) {
        return config.keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
    }

    /**
     * A builder holding the configured limits, prices, messages and store, or empty when no key is set or
     * a problem was found (added to {@code problems}). The soft-limit model and meters are the caller's.
     */
    public static Optional<Budget.Builder> read(Map<String, String> config, List<String> problems) {
        if (!present(config)) {
            return Optional.empty();
        }
        int before = problems.size();
        Map<String, String> keys = new TreeMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                keys.put(k, v == null ? "" : v.trim());
            }
        });
        double softRatio = number(keys, "rag.budget.soft-ratio", 0.8, problems);
        if (softRatio < 0 || softRatio > 1) {
            problems.add("rag.budget.soft-ratio was '" + keys.get("rag.budget.soft-ratio")
                    + "' but it must be between 0 and 1");
        }
        if (Double.isNaN(softRatio) || softRatio < 0 || softRatio > 1) {
            softRatio = 0.8; // reported above; the default lets the other limits be checked too
        }
        Map<String, Double> hard = new LinkedHashMap<>();
        Map<String, Double> soft = new LinkedHashMap<>();
        Map<String, Map<String, String>> priceParts = new TreeMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            Matcher limit = LIMIT.matcher(key);
            Matcher price = PRICE.matcher(key);
            if (limit.matches()) {
                String id = limit.group(1) + "." + limit.group(2) + "." + limit.group(4);
                double value = number(keys, key, Double.NaN, problems);
                if (!Double.isNaN(value) && !(value > 0)) {
                    problems.add(key + " was '" + e.getValue() + "' but it must be > 0");
                } else if (!Double.isNaN(value)) {
                    (limit.group(3) == null ? hard : soft).put(id, value);
                }
            } else if (price.matches()) {
                priceParts.computeIfAbsent(price.group(1), l -> new TreeMap<>()).put(price.group(2), e.getValue());
            } else if (!PLAIN.contains(key)) {
                problems.add(key + " is not a budget setting; budget keys are rag.budget.<global|tenant>."
                        + "<minute|day|month>.<tokens|cost|soft-tokens|soft-cost>, rag.budget.price.<label>."
                        + "<model|input|output> and " + PLAIN);
            }
        }
        Budget.Builder builder = Budget.builder();
        for (String id : soft.keySet()) {
            if (!hard.containsKey(id)) {
                problems.add("rag.budget." + id.replaceFirst("\\.([a-z]+)$", ".soft-$1") + " is set without its hard"
                        + " limit rag.budget." + id);
            }
        }
        if (hard.isEmpty() && problems.size() == before) {
            problems.add("rag.budget.* keys are set but no limit is: set e.g. rag.budget.global.day.tokens=2000000");
        }
        for (Map.Entry<String, Double> e : hard.entrySet()) {
            String[] p = e.getKey().split("\\.");
            double s = soft.getOrDefault(e.getKey(), e.getValue() * softRatio);
            if (s > e.getValue()) {
                problems.add("rag.budget." + p[0] + "." + p[1] + ".soft-" + p[2] + " was " + s
                        + " but it must be at most the hard limit " + e.getValue());
                continue;
            }
            builder.limit(new BudgetLimit(BudgetScope.valueOf(p[0].toUpperCase(Locale.ROOT)),
                    BudgetPeriod.valueOf(p[1].toUpperCase(Locale.ROOT)), BudgetUnit.valueOf(p[2].toUpperCase(Locale.ROOT)),
                    s, e.getValue()));
        }
        for (Map.Entry<String, Map<String, String>> e : priceParts.entrySet()) {
            String prefix = "rag.budget.price." + e.getKey() + ".";
            Map<String, String> parts = e.getValue();
            List<String> missing = new ArrayList<>();
            for (String part : List.of("model", "input", "output")) {
                if (parts.get(part) == null || parts.get(part).isEmpty()) {
                    missing.add(prefix + part);
                }
            }
            if (!missing.isEmpty()) {
                problems.add("price '" + e.getKey() + "' needs " + missing);
                continue;
            }
            double in = number(keys, prefix + "input", Double.NaN, problems);
            double out = number(keys, prefix + "output", Double.NaN, problems);
            if (in < 0 || out < 0) {
                problems.add(prefix + "input/output were " + in + "/" + out + " but prices must be >= 0");
            } else if (!Double.isNaN(in) && !Double.isNaN(out)) {
                builder.price(parts.get("model"), new ModelPrice(in, out));
            }
        }
        double maxCompletion = number(keys, "rag.budget.max-completion-tokens", 1024, problems);
        if (maxCompletion < 1 || maxCompletion != Math.rint(maxCompletion)) {
            problems.add("rag.budget.max-completion-tokens was '" + keys.get("rag.budget.max-completion-tokens")
                    + "' but it must be a whole number >= 1");
        } else {
            builder.maxCompletionTokens((int) maxCompletion);
        }
        double charsPerToken = number(keys, "rag.budget.chars-per-token", 4, problems);
        if (!(charsPerToken > 0)) {
            problems.add("rag.budget.chars-per-token was '" + keys.get("rag.budget.chars-per-token")
                    + "' but it must be > 0");
        } else {
            builder.charsPerToken(charsPerToken);
        }
        String en = keys.getOrDefault("rag.budget.message.en", Budget.DEFAULT_MESSAGE_EN);
        String fr = keys.getOrDefault("rag.budget.message.fr", Budget.DEFAULT_MESSAGE_FR);
        if (en.isBlank() || fr.isBlank()) {
            problems.add("rag.budget.message.en/fr must not be empty; leave them unset for the default messages");
        } else {
            builder.degradedMessages(en, fr);
        }
        String file = keys.get("rag.budget.file");
        if (file != null) {
            if (file.isBlank()) {
                problems.add("rag.budget.file was '' but it must be a path; leave it unset to keep usage in memory");
            } else {
                builder.store(new FileBudgetStore(Path.of(file)));
            }
        }
        return problems.size() == before ? Optional.of(builder) : Optional.empty();
    }

    private static double number(Map<String, String> keys, String key, double defaultValue, List<String> problems) {
        String value = keys.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(value);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " was '" + value + "' but it must be a number");
        return Double.NaN;
    }
}
