package dev.ragkit.core;

import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.VectorStoreProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The providers found on a class path, by kind and name. Immutable; build one with
 * {@link #discover(ClassLoader)} or, for tests and hosts that skip ServiceLoader, {@link #of}.
 */
public final class ProviderRegistry {
    private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Map<ComponentKind, Map<String, Provider<?>>> providers;

    private ProviderRegistry(Map<ComponentKind, Map<String, Provider<?>>> providers) {
        this.providers = providers;
    }

    /** Providers visible to the thread's context class loader (or this class's loader). */
    public static ProviderRegistry discover() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return discover(loader != null ? loader : ProviderRegistry.class.getClassLoader());
    }

    /**
     * Loads every provider of every kind through {@link ServiceLoader}.
     *
     * @throws RagConfigurationException when a provider fails to load, has an invalid name, or shares
     *     its name with another provider of the same kind; all such problems are listed together
     */
    public static ProviderRegistry discover(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        Map<ComponentKind, List<Provider<?>>> found = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.values()) {
            found.put(kind, load(kind, loader, problems));
        }
        return build(found, problems);
    }

    /** A registry of exactly these providers, checked like discovered ones. */
    public static ProviderRegistry of(List<? extends Provider<?>> providers) {
        Map<ComponentKind, List<Provider<?>>> found = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.values()) {
            found.put(kind, new ArrayList<>());
        }
        for (Provider<?> p : providers) {
            found.get(kindOf(p)).add(p);
        }
        return build(found, new ArrayList<>());
    }

    private static List<Provider<?>> load(ComponentKind kind, ClassLoader loader, List<String> problems) {
        List<Provider<?>> result = new ArrayList<>();
        ServiceLoader<? extends Provider<?>> serviceLoader = ServiceLoader.load(kind.providerType(), loader);
        var iterator = serviceLoader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<? extends Provider<?>> candidate;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                candidate = iterator.next();
            } catch (ServiceConfigurationError e) {
                // The iterator names the offending class in its message (not found, not a subtype...).
                problems.add(kind.displayName() + " provider could not be loaded: " + e.getMessage());
                continue;
            }
            try {
                result.add(candidate.get());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                problems.add(kind.displayName() + " provider " + candidate.type().getName()
                        + " failed to load: " + cause);
            }
        }
        return result;
    }

    private static ProviderRegistry build(Map<ComponentKind, List<Provider<?>>> found, List<String> problems) {
        Map<ComponentKind, Map<String, Provider<?>>> byKind = new EnumMap<>(ComponentKind.class);
        for (Map.Entry<ComponentKind, List<Provider<?>>> entry : found.entrySet()) {
            ComponentKind kind = entry.getKey();
            Map<String, List<Provider<?>>> byName = new TreeMap<>();
            for (Provider<?> p : entry.getValue()) {
                String name = p.name();
                if (name == null || !VALID_NAME.matcher(name).matches()) {
                    problems.add(kind.displayName() + " provider " + p.getClass().getName() + " has name '" + name
                            + "' but names must be lowercase [a-z0-9-]");
                    continue;
                }
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(p);
            }
            Map<String, Provider<?>> unique = new LinkedHashMap<>();
            byName.forEach((name, list) -> {
                if (list.size() > 1) {
                    problems.add("Two " + kind.displayName() + " providers are named '" + name + "': "
                            + list.stream().map(p -> p.getClass().getName()).sorted().toList()
                            + ". Remove one of them from the class path.");
                } else {
                    unique.put(name, list.get(0));
                }
            });
            byKind.put(kind, Collections.unmodifiableMap(unique));
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
        return new ProviderRegistry(Collections.unmodifiableMap(byKind));
    }

    private static ComponentKind kindOf(Provider<?> p) {
        if (p instanceof EmbedderProvider) {
            return ComponentKind.EMBEDDER;
        }
        if (p instanceof VectorStoreProvider) {
            return ComponentKind.STORE;
        }
        if (p instanceof LlmClientProvider) {
            return ComponentKind.LLM;
        }
        if (p instanceof GuardProvider) {
            return ComponentKind.GUARD;
        }
        throw new IllegalArgumentException(p.getClass().getName() + " implements no known provider interface");
    }

    /** Provider names of one kind, sorted. */
    public List<String> names(ComponentKind kind) {
        return List.copyOf(providers.get(kind).keySet());
    }

    public EmbedderProvider embedder(String name) {
        return (EmbedderProvider) find(ComponentKind.EMBEDDER, name);
    }

    public VectorStoreProvider store(String name) {
        return (VectorStoreProvider) find(ComponentKind.STORE, name);
    }

    public LlmClientProvider llm(String name) {
        return (LlmClientProvider) find(ComponentKind.LLM, name);
    }

    public GuardProvider guard(String name) {
        return (GuardProvider) find(ComponentKind.GUARD, name);
    }

    /**
     * The provider of {@code kind} named {@code name}.
     *
     * @throws RagConfigurationException naming the available providers and the artifact to add
     */
    public Provider<?> find(ComponentKind kind, String name) {
        Provider<?> provider = providers.get(kind).get(name);
        if (provider == null) {
            throw new RagConfigurationException("No " + kind.displayName() + " provider named '" + name
                    + "'. Available: " + names(kind) + ". Add " + kind.artifactFor(name) + " to the class path.");
        }
        return provider;
    }
}
