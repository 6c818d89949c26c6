package dev.ragkit.eval.cli;

import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} options and bare flags of one command; unknown options are rejected. */
final class Args {
    private final String command;
    private final Map<String, String> options = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code args} from index {@code from}.
     *
     * @param valued options that take a value
     * @param flags options that take none
     */
    static Args parse(String command, String[] args, int from, Set<String> valued, Set<String> flags) {
        Args parsed = new Args(command);
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            String name;
            String value = null;
            if (!a.startsWith("--")) {
                throw new InvalidInputException(command + ": unexpected argument '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new InvalidInputException(command + ": option --" + name + " takes no value");
                }
                parsed.options.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new InvalidInputException(command + ": option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                parsed.options.put(name, value);
            } else {
                List<String> known = new ArrayList<>();
                valued.forEach(v -> known.add("--" + v));
                flags.forEach(f -> known.add("--" + f));
                known.sort(null);
                throw new InvalidInputException(command + ": unknown option '" + a + "'; known: " + known);
            }
        }
        return parsed;
    }

    String string(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    String required(String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(command + ": option --" + name + " is required");
        }
        return v;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    int integer(String name, int defaultValue, int min) {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(command + ": --" + name + " was '" + v + "' but it must be a whole number");
        }
        if (n < min) {
            throw new InvalidInputException(command + ": --" + name + " was " + n + " but it must be >= " + min);
        }
        return n;
    }
}
