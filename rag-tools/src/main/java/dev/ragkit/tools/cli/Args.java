package dev.ragkit.tools.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Parsed arguments of one command, the single command-line parser of Ragkit's tools (the
 * {@code ./ragkit} commands, the evaluation and benchmark commands, the guard evaluation):
 * positionals plus {@code --name value}, {@code --name=value} and {@code --flag} options.
 * {@code --} ends the options, so a question may start with a dash; {@code -h} is {@code --help},
 * which every command accepts as a flag.
 *
 * <p>Every error is a {@link UsageException} naming the option and the value.
 */
public final class Args {
    private final List<String> positionals;
    private final Map<String, List<String>> values;

    private Args(List<String> positionals, Map<String, List<String>> values) {
        this.positionals = List.copyOf(positionals);
        this.values = values;
    }

    /**
     * Parses {@code raw} against the options a command accepts.
     *
     * @param valued options that take one value (without the leading dashes)
     * @param repeatable options that take a value and may be given several times
     * @param flags options that take none
     * @throws UsageException on an unknown option, a missing value, or a repeated single option
     */
    public static Args parse(List<String> raw, Set<String> valued, Set<String> repeatable, Set<String> flags) {
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            if (arg.equals("--")) {
                positionals.addAll(raw.subList(i + 1, raw.size()));
                break;
            }
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                positionals.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) || name.equals("help")) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value, but was given '" + value + "'");
                }
                values.computeIfAbsent(name, n -> new ArrayList<>()).add("true");
            } else if (valued.contains(name) || repeatable.contains(name)) {
                if (value == null) {
                    if (i + 1 >= raw.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = raw.get(++i);
                }
                List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
                if (!list.isEmpty() && !repeatable.contains(name)) {
                    throw new UsageException("option --" + name + " was given twice ('" + list.get(0) + "' and '" + value + "')");
                }
                list.add(value);
            } else {
                Set<String> known = new TreeSet<>();
                for (Set<String> names : List.of(valued, repeatable, flags)) {
                    names.forEach(n -> known.add("--" + n));
                }
                throw new UsageException("unknown option '--" + name + "'; known: " + String.join(", ", known));
            }
        }
        return new Args(positionals, values);
    }

    /** Parses a command that takes options only: a positional argument is an error. */
    public static Args parseOptions(List<String> raw, Set<String> valued, Set<String> flags) {
        Args args = parse(raw, valued, Set.of(), flags);
        if (!args.positionals.isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positionals.get(0) + "'");
        }
        return args;
    }

    /** The arguments that are not options, in order. */
    public List<String> positionals() {
        return positionals;
    }

    /** The value of a single option, if it was given. */
    public Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Every value of a repeatable option, in order (empty if it was not given). */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Whether the flag (or an option of that name) was given. */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The value of option {@code name}, or {@code defaultValue} when it was not given. */
    public String string(String name, String defaultValue) {
        return value(name).orElse(defaultValue);
    }

    /**
     * The value of a required option.
     *
     * @throws UsageException when the option is missing or blank
     */
    public String required(String name) {
        return value(name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new UsageException("option --" + name + " is required"));
    }

    /**
     * The value of option {@code name} converted by {@code conversion}, if the option is present.
     *
     * @param expected what the value must be, for the error message ("a whole number", "0 or 1")
     * @throws UsageException when the conversion throws an {@link IllegalArgumentException}
     */
    public <T> Optional<T> converted(String name, Function<String, T> conversion, String expected) {
        return value(name).map(v -> {
            try {
                return conversion.apply(v.trim());
            } catch (IllegalArgumentException e) {
                throw new UsageException("option --" + name + " was '" + v + "' but it must be " + expected);
            }
        });
    }

    /** A whole number from {@code min} to {@code max} given to option {@code name}, if the option is present. */
    public Optional<Integer> intBetween(String name, int min, int max) {
        String expected = "a whole number from " + min + " to " + max;
        return converted(name, Integer::valueOf, expected).map(n -> {
            if (n < min || n > max) {
                throw new UsageException("option --" + name + " was '" + value(name).orElseThrow() + "' but it must be "
                        + expected);
            }
            return n;
        });
    }

    /** A whole number of at least {@code min} given to option {@code name}, or {@code defaultValue}. */
    public int integer(String name, int defaultValue, int min) {
        String expected = min == 0 ? "a whole number >= 0" : "a whole number >= " + min;
        return converted(name, Integer::valueOf, expected).map(n -> {
            if (n < min) {
                throw new UsageException("option --" + name + " was " + n + " but it must be >= " + min);
            }
            return n;
        }).orElse(defaultValue);
    }

    /** A finite decimal number given to option {@code name}, if the option is present. */
    public Optional<Double> decimal(String name) {
        return converted(name, v -> {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(v);
            }
            return d;
        }, "a number");
    }
}
