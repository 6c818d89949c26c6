package dev.ragkit.core.config;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.secret.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to one provider's settings, keys {@code rag.<kind>.<name>.<key>} of a host-supplied
 * map. Getters never throw: a missing or malformed value is recorded and the default returned, and
 * {@link #validate()} then reports every problem at once.
 *
 * <p>Not thread-safe; a provider uses one instance while it creates one component.
 */
public final class ProviderConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String prefix;
    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();
    /** Keys the provider asked for, relative to the prefix: the settings it knows. */
    private final Set<String> asked = new TreeSet<>();
    /** Resolves the {@code env:}, {@code file:}, {@code vault:} references of credential keys. */
    private final Secrets secrets;

    /**
     * @param kind {@code store}, {@code embedder}, {@code llm} or {@code guard}
     * @param name the provider name
     * @param all the host's whole configuration; only keys under {@code rag.<kind>.<name>.} are read
     */
    public ProviderConfig(String kind, String name, Map<String, String> all) {
        this(kind, name, all, Secrets.defaults());
    }

    /**
     * As {@link #ProviderConfig(String, String, Map)}, resolving credential references through
     * {@code secrets} (e.g. with a Vault resolver); the other constructor resolves {@code env:} and
     * {@code file:} only.
     */
    public ProviderConfig(String kind, String name, Map<String, String> all, Secrets secrets) {
        this.prefix = "rag." + kind + "." + name + ".";
        this.values = Collections.unmodifiableMap(new TreeMap<>(all));
        this.secrets = java.util.Objects.requireNonNull(secrets, "secrets");
    }

    /** A config from keys relative to the provider, e.g. {@code of("store", "memory", Map.of("dimension", "384"))}. */
    public static ProviderConfig of(String kind, String name, Map<String, String> relative) {
        String prefix = "rag." + kind + "." + name + ".";
        Map<String, String> all = new TreeMap<>();
        relative.forEach((k, v) -> all.put(prefix + k, v));
        return new ProviderConfig(kind, name, all);
    }

    /** The full key for {@code key}, e.g. {@code rag.store.memory.directory}. */
    public String fullKey(String key) {
        return prefix + key;
    }

    private String lookup(String key) {
        asked.add(key);
        return values.get(prefix + key);
    }

    /**
     * Keys under this provider's prefix that are set but that the provider never asked for: typos such as
     * {@code rag.store.faiss.directry}, or settings of another provider. Meaningful once the provider
     * has read its settings.
     */
    public Set<String> unreadKeys() {
        Set<String> unread = new TreeSet<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix) && !asked.contains(key.substring(prefix.length()))) {
                unread.add(key);
            }
        }
        return unread;
    }

    /** The full keys the provider asked for, set or not: what a misspelt key is compared with. */
    public Set<String> askedKeys() {
        Set<String> full = new TreeSet<>();
        asked.forEach(k -> full.add(prefix + k));
        return full;
    }

    /** The raw value, if set (blank counts as set). */
    public Optional<String> raw(String key) {
        return Optional.ofNullable(lookup(key));
    }

    public String string(String key, String defaultValue) {
        String value = lookup(key);
        return value == null ? defaultValue : value.trim();
    }

    /** The value, or records "missing" and returns null. */
    public String required(String key) {
        String value = lookup(key);
        if (value == null || value.isBlank()) {
            problems.add(fullKey(key) + " was " + (value == null ? "not set" : "''") + " but it is required");
            return null;
        }
        return value.trim();
    }

    /**
     * A credential (API key, token, password), if set: the literal value, or what an {@code env:NAME},
     * {@code file:/path} or {@code vault:path#field} reference names. Problems name the key and the
     * reference, never the credential; a blank value is returned as it is, for the provider to judge.
     */
    public Optional<String> secret(String key) {
        String value = lookup(key);
        if (value == null || value.isBlank()) {
            return Optional.ofNullable(value);
        }
        try {
            return Optional.of(secrets.resolve(fullKey(key), value.trim()));
        } catch (RagConfigurationException e) {
            problems.addAll(e.problems());
        } catch (RagException e) {
            problems.add(fullKey(key) + " could not be resolved: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** A required credential, resolved as {@link #secret}; records "missing" and returns null when unset. */
    public String requiredSecret(String key) {
        String value = lookup(key);
        if (value == null || value.isBlank()) {
            problems.add(fullKey(key) + " was " + (value == null ? "not set" : "''") + " but it is required");
            return null;
        }
        return secret(key).orElse(null);
    }

    /** The resolvers credential references go through; a provider may hand them to its client. */
    public Secrets secrets() {
        return secrets;
    }

    public int integer(String key, int defaultValue) {
        return integerValue(key, defaultValue, false);
    }

    /** A required whole number; records a problem and returns 0 when missing or malformed. */
    public int requiredInteger(String key) {
        return integerValue(key, 0, true);
    }

    private int integerValue(String key, int defaultValue, boolean required) {
        String value = required ? required(key) : lookup(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            problems.add(fullKey(key) + " was '" + value + "' but it must be a whole number");
            return defaultValue;
        }
    }

    public double decimal(String key, double defaultValue) {
        String value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(fullKey(key) + " was '" + value + "' but it must be a number");
        return defaultValue;
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.add(fullKey(key) + " was '" + value + "' but it must be true or false");
                return defaultValue;
        }
    }

    /** Durations as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    public Duration duration(String key, Duration defaultValue) {
        String value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(value.trim());
        if (parsed == null) {
            problems.add(fullKey(key) + " was '" + value + "' but it must be a duration such as 500ms, 30s or 2m");
            return defaultValue;
        }
        return parsed;
    }

    public Path path(String key, Path defaultValue) {
        String value = lookup(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBlank()) {
            problems.add(fullKey(key) + " was '' but it must be a path");
            return defaultValue;
        }
        return Path.of(value.trim());
    }

    /** One of {@code allowed} (compared ignoring case), or records a problem listing them. */
    public String oneOf(String key, String defaultValue, List<String> allowed) {
        String value = string(key, defaultValue);
        if (value == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        problems.add(fullKey(key) + " was '" + value + "' but it must be one of " + allowed);
        return defaultValue;
    }

    /** Records a problem found by the provider itself, e.g. a value out of range. */
    public void problem(String key, Object value, String requirement) {
        problems.add(fullKey(key) + " was '" + value + "' but it " + requirement);
    }

    /** Problems recorded so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws a {@link RagConfigurationException} listing every problem recorded, if any. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
    }

    private static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
