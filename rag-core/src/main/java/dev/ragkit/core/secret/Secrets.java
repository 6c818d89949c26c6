package dev.ragkit.core.secret;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.config.ProviderConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The secret resolvers a configuration's credential keys are read through, by scheme. A value
 * {@code <scheme>:<reference>} whose scheme is {@code env}, {@code file}, {@code vault} or another
 * configured resolver's is resolved; any other value is a literal credential, as before. Immutable and
 * thread-safe; {@link #close()} closes the resolvers.
 */
public final class Secrets implements AutoCloseable {
    /** Keys {@code rag.secret.<scheme>.<key>}: the settings of a secret resolver. */
    public static final String PREFIX = "rag.secret.";
    private static final Pattern SCHEME = Pattern.compile("[a-z0-9-]+");
    /** Schemes that are always references, even when no resolver for them is configured (an error, then). */
    private static final Set<String> RESERVED = Set.of("env", "file", "vault");
    /** The last segments of keys that hold credentials (literal or by reference). */
    private static final Pattern CREDENTIAL_KEY = Pattern.compile(
            ".*\\.(token|bearer-token|api-key|apikey|password|secret|secret-id|role-id|access-key|client-secret|hash-key|credentials?)");
    private static final Secrets DEFAULTS = new Secrets(List.of(new EnvSecretResolver(), new FileSecretResolver()));

    private final Map<String, SecretResolver> resolvers;

    private Secrets(List<SecretResolver> resolvers) {
        Map<String, SecretResolver> byScheme = new LinkedHashMap<>();
        for (SecretResolver r : resolvers) {
            if (!SCHEME.matcher(r.scheme()).matches()) {
                throw new RagConfigurationException("secret resolver " + r.getClass().getName() + " has scheme '"
                        + r.scheme() + "' but schemes are lowercase [a-z0-9-]");
            }
            SecretResolver clash = byScheme.put(r.scheme(), r);
            if (clash != null && clash.getClass() != r.getClass()) {
                throw new RagConfigurationException("two secret resolvers handle scheme '" + r.scheme() + "': "
                        + clash.getClass().getName() + " and " + r.getClass().getName());
            }
        }
        this.resolvers = Map.copyOf(byScheme);
    }

    /** {@code env:} (the process environment) and {@code file:}. */
    public static Secrets defaults() {
        return DEFAULTS;
    }

    /** {@code env:} and {@code file:} plus {@code resolvers}, which may replace them (e.g. a test's environment). */
    public static Secrets of(SecretResolver... resolvers) {
        Map<String, SecretResolver> all = new LinkedHashMap<>();
        for (SecretResolver r : DEFAULTS.resolvers.values()) {
            all.put(r.scheme(), r);
        }
        for (SecretResolver r : resolvers) {
            all.put(Objects.requireNonNull(r, "resolver").scheme(), r);
        }
        return new Secrets(List.copyOf(all.values()));
    }

    /**
     * {@code env:} and {@code file:}, plus a resolver for each {@link SecretResolverProvider} on
     * {@code loader}'s path whose keys {@code rag.secret.<name>.*} are set in {@code config}. Problems
     * (bad settings, unread keys, settings of a scheme no provider handles) go to {@code problems}.
     */
    public static Secrets fromConfig(Map<String, String> config, ClassLoader loader, List<String> problems) {
        Map<String, SecretResolverProvider> providers = new LinkedHashMap<>();
        Iterator<SecretResolverProvider> it = ServiceLoader.load(SecretResolverProvider.class, loader).iterator();
        while (true) {
            SecretResolverProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                throw new RagConfigurationException("a SecretResolverProvider could not be loaded: " + e.getMessage(), e);
            }
            SecretResolverProvider clash = providers.put(p.name(), p);
            if (clash != null && clash.getClass() != p.getClass()) {
                problems.add("two SecretResolverProviders are named '" + p.name() + "': " + clash.getClass().getName()
                        + " and " + p.getClass().getName());
            }
        }
        Set<String> schemes = new TreeSet<>();
        for (String key : config.keySet()) {
            if (key.startsWith(PREFIX)) {
                int dot = key.indexOf('.', PREFIX.length());
                schemes.add(dot < 0 ? key.substring(PREFIX.length()) : key.substring(PREFIX.length(), dot));
            }
        }
        List<SecretResolver> created = new ArrayList<>(DEFAULTS.resolvers.values());
        for (String scheme : schemes) {
            SecretResolverProvider provider = providers.get(scheme);
            if (provider == null) {
                problems.add("rag.secret." + scheme + ".* is set but no SecretResolverProvider is named '" + scheme
                        + "'. Available: " + new TreeSet<>(providers.keySet())
                        + ("vault".equals(scheme) ? ". Add dev.ragkit:rag-secrets-vault to the class path." : ""));
                continue;
            }
            // Only env: and file: may feed a resolver's own credentials (a Vault token in a file, say).
            ProviderConfig settings = new ProviderConfig("secret", scheme, config, DEFAULTS);
            try {
                created.add(provider.create(settings));
                for (String unread : settings.unreadKeys()) {
                    problems.add(unread + " is not a setting of the secret resolver '" + scheme + "'; it reads "
                            + settings.askedKeys());
                }
            } catch (RagConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        return new Secrets(created);
    }

    /** The schemes this instance resolves. */
    public Set<String> schemes() {
        return new TreeSet<>(resolvers.keySet());
    }

    /** Whether {@code value} is a reference ({@code env:}, {@code file:}, {@code vault:} or a configured scheme). */
    public boolean isReference(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        String scheme = value.substring(0, colon);
        return RESERVED.contains(scheme) || resolvers.containsKey(scheme);
    }

    /**
     * The credential {@code value} stands for: what its reference names, or {@code value} itself when it
     * is a literal. {@code key} (the full config key) only names the setting in error messages, which
     * carry the reference and never a credential.
     *
     * @throws RagConfigurationException when the reference cannot be resolved from the configuration
     * @throws dev.ragkit.core.RagBackendException when a secret store failed
     */
    public String resolve(String key, String value) {
        if (!isReference(value)) {
            return value;
        }
        int colon = value.indexOf(':');
        String scheme = value.substring(0, colon);
        SecretResolver resolver = resolvers.get(scheme);
        if (resolver == null) {
            throw new RagConfigurationException(key + " is a " + scheme + ": reference but no " + scheme
                    + " resolver is configured; set rag.secret." + scheme + ".address (and its authentication) and"
                    + " add dev.ragkit:rag-secrets-" + scheme + " to the class path");
        }
        String resolved = resolver.resolve(value.substring(colon + 1));
        if (resolved == null || resolved.isEmpty()) {
            throw new RagException(key + ": " + value + " resolved to nothing");
        }
        return resolved;
    }

    /** Whether {@code key} (a full config key) holds a credential, e.g. {@code rag.llm.hf.token}. */
    public static boolean isCredentialKey(String key) {
        return CREDENTIAL_KEY.matcher(key).matches();
    }

    /**
     * {@code config} safe to log or print: a credential key's literal value becomes {@code ***}, while a
     * reference ({@code env:HF_TOKEN}, {@code vault:secret/data/rag#hf_token}) is kept, as it only says
     * where the credential is. Sorted by key.
     */
    public static Map<String, String> redacted(Map<String, String> config) {
        Map<String, String> safe = new java.util.TreeMap<>();
        config.forEach((k, v) -> safe.put(k, v == null || !isCredentialKey(k) || DEFAULTS.isReference(v.trim())
                ? v : "***"));
        return java.util.Collections.unmodifiableMap(safe);
    }

    @Override
    public void close() {
        for (SecretResolver r : resolvers.values()) {
            if (!DEFAULTS.resolvers.containsValue(r)) {
                r.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Secrets" + schemes();
    }
}
