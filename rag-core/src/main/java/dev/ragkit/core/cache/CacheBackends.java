package dev.ragkit.core.cache;

import dev.ragkit.core.RagConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Finds the {@link CacheBackendProvider}s on a class path or module path, by name. */
public final class CacheBackends {
    private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private CacheBackends() {
    }

    /**
     * Every provider {@code loader} sees, as an immutable name → provider map.
     *
     * @throws RagConfigurationException when a provider cannot be loaded, has an invalid name, or shares
     *     its name with another; all such problems together
     */
    public static Map<String, CacheBackendProvider> discover(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        Map<String, List<CacheBackendProvider>> byName = new TreeMap<>();
        var iterator = ServiceLoader.load(CacheBackendProvider.class, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<CacheBackendProvider> candidate;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                candidate = iterator.next();
            } catch (ServiceConfigurationError e) {
                problems.add("cache backend provider could not be loaded: " + e.getMessage());
                continue;
            }
            try {
                CacheBackendProvider p = candidate.get();
                if (p.name() == null || !VALID_NAME.matcher(p.name()).matches()) {
                    problems.add("cache backend provider " + p.getClass().getName() + " has name '" + p.name()
                            + "' but names must be lowercase [a-z0-9-]");
                } else {
                    byName.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                problems.add("cache backend provider " + candidate.type().getName() + " failed to load: " + cause);
            }
        }
        Map<String, CacheBackendProvider> unique = new TreeMap<>();
        byName.forEach((name, list) -> {
            if (list.size() > 1) {
                problems.add("Two cache backend providers are named '" + name + "': "
                        + list.stream().map(p -> p.getClass().getName()).sorted().toList()
                        + ". Remove one of them from the class path.");
            } else {
                unique.put(name, list.get(0));
            }
        });
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
        return Collections.unmodifiableMap(unique);
    }
}
