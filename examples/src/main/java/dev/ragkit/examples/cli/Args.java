package dev.ragkit.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed arguments of one command: positionals plus {@code --name value}, {@code --name=value} and
 * {@code --flag} options. {@code --} ends the options, so a question may start with a dash.
 */
final class Args {
    private final List<String> positionals;
    private final Map<String, List<String>> values;

    private Args(List<String> positionals, Map<String, List<String>> values) {
        this.positionals = List.copyOf(positionals);
        this.values = values;
    }

    /**
     * Parses {@code raw} against the options a command accepts.
     *
     * @param valued options that take a value (without the leading dashes)
     * @param flags options that take none
     * @throws CliUsageException on an unknown option, a missing value, or a repeated single option
     */
    static Args parse(List<String> raw, Set<String> valued, Set<String> repeatable, Set<String> flags) {
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
                    throw new CliUsageException("option --" + name + " takes no value, but was given '" + value + "'");
                }
                values.computeIfAbsent(name, n -> new ArrayList<>()).add("true");
            } else if (valued.contains(name) || repeatable.contains(name)) {
                if (value == null) {
                    if (i + 1 >= raw.size()) {
                        throw new CliUsageException("option --" + name + " needs a value");
                    }
                    value = raw.get(++i);
                }
                List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
                if (!list.isEmpty() && !repeatable.contains(name)) {
                    throw new CliUsageException("option --" + name + " was given twice ('" + list.get(0) + "' and '" + value + "')");
                }
                list.add(value);
            } else {
                throw new CliUsageException("unknown option '--" + name + "'");
            }
        }
        return new Args(positionals, values);
    }

    List<String> positionals() {
        return positionals;
    }

    Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** A whole number from {@code min} to {@code max} given to option {@code name}, if the option is present. */
    Optional<Integer> intBetween(String name, int min, int max) {
        return value(name).map(v -> {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with the option name
            }
            throw new CliUsageException("option --" + name + " was '" + v + "' but it must be a whole number from "
                    + min + " to " + max);
        });
    }
}
