package dev.ragkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.VectorStore;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link Provider} must meet: a valid name (lowercase {@code [a-z0-9]} words joined
 * by single hyphens, as {@link ProviderRegistry} checks), a {@code META-INF/services} entry, a cheap
 * public no-arg constructor, creation from a valid configuration, and configuration errors that name
 * the full key {@code rag.<kind>.<name>.<key>}. An adapter's tests extend this class and implement
 * {@link #provider()} and {@link #validConfig()}; {@link #requiredKey()} and {@link #invalidValues()}
 * add the error checks. Every failure starts with the contract it checks
 * ({@code Contract broken: ProviderContractTest > <check> [<method>]}):
 *
 * <pre>{@code
 * class FaissVectorStoreProviderContractTest extends ProviderContractTest {
 *     protected Provider<?> provider() { return new FaissVectorStoreProvider(); }
 *     protected Map<String, String> validConfig() { return Map.of("dimension", "8", "directory", dir()); }
 *     protected Optional<String> requiredKey() { return Optional.of("dimension"); }
 * }
 * }</pre>
 */
@ExtendWith(ContractFailures.class)
public abstract class ProviderContractTest {
    // The rule ProviderRegistry applies when it loads providers (its pattern is private).
    private static final String NAME_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";

    /** A new instance of the provider under test. */
    protected abstract Provider<?> provider();

    /**
     * A configuration with which {@link Provider#create} succeeds without a server, keys relative to
     * the provider as for {@link ProviderConfig#of}, e.g. {@code Map.of("dimension", "8")}.
     */
    protected abstract Map<String, String> validConfig();

    /** A key {@link #validConfig()} sets and without which creation must fail; empty when none. */
    protected Optional<String> requiredKey() {
        return Optional.empty();
    }

    /**
     * Values that creation must reject, keyed by relative key, e.g. {@code Map.of("model", "nosuch")}.
     * Each is put into {@link #validConfig()} on its own; the error must name the full key and quote
     * the value. Empty by default.
     */
    protected Map<String, String> invalidValues() {
        return Map.of();
    }

    private ComponentKind kind() {
        Provider<?> provider = provider();
        return Arrays.stream(ComponentKind.values())
                .filter(k -> k.providerType().isInstance(provider))
                .findFirst()
                .orElseThrow(() -> new AssertionError(provider.getClass().getName()
                        + " implements none of the provider interfaces " + Arrays.stream(ComponentKind.values())
                        .map(k -> k.providerType().getSimpleName()).toList()));
    }

    private ProviderConfig config(Map<String, String> relative) {
        return ProviderConfig.of(kind().configSegment(), provider().name(), relative);
    }

    private static Class<?> componentType(ComponentKind kind) {
        return switch (kind) {
            case EMBEDDER -> Embedder.class;
            case STORE -> VectorStore.class;
            case LLM -> LlmClient.class;
            case GUARD -> Guard.class;
        };
    }

    @Test
    @DisplayName("name is lowercase [a-z0-9] words joined by single hyphens")
    void nameIsValid() {
        assertThat(provider().name()).as("name of %s", provider().getClass().getName()).matches(NAME_PATTERN);
    }

    @Test
    @DisplayName("a public no-arg constructor builds an equivalent provider")
    void publicNoArgConstructor() throws Exception {
        Class<?> type = provider().getClass();
        assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type.getName()).isTrue();
        assertThat(Modifier.isAbstract(type.getModifiers())).as("%s is abstract", type.getName()).isFalse();
        Constructor<?> constructor = type.getConstructor();
        assertThat(Modifier.isPublic(constructor.getModifiers())).as("no-arg constructor is public").isTrue();
        Provider<?> fresh = (Provider<?>) constructor.newInstance();
        assertThat(fresh.name()).as("name of a provider built by the no-arg constructor").isEqualTo(provider().name());
    }

    @Test
    @DisplayName("META-INF/services registers exactly this class, and discovery finds it by name")
    void registeredForServiceLoader() {
        ComponentKind kind = kind();
        Class<?> type = provider().getClass();
        ClassLoader loader = type.getClassLoader();
        List<Class<?>> registered = ServiceLoader.load(kind.providerType(), loader).stream()
                .<Class<?>>map(ServiceLoader.Provider::type).toList();
        assertThat(registered).as("classes in META-INF/services/%s", kind.providerType().getName()).contains(type);
        Provider<?> discovered = ProviderRegistry.discover(loader).find(kind, provider().name());
        assertThat(discovered.getClass()).as("%s provider discovered as '%s'", kind.displayName(), provider().name())
                .isEqualTo(type);
    }

    /** Closes what a creation that should have failed returned anyway. */
    private static void closeCreated(Object component) throws Exception {
        if (component instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    @DisplayName("create with a valid config returns a component of the provider's kind")
    void createWithValidConfig() throws Exception {
        ComponentKind kind = kind();
        AutoCloseable component = (AutoCloseable) provider().create(config(validConfig()));
        try {
            assertThat(component).as("component created from %s", validConfig()).isNotNull()
                    .isInstanceOf(componentType(kind));
        } finally {
            closeCreated(component);
        }
    }

    @Test
    @DisplayName("the created component's close is idempotent")
    void closeIsIdempotent() throws Exception {
        AutoCloseable component = (AutoCloseable) provider().create(config(validConfig()));
        assertThat(component).as("component created from %s", validConfig()).isNotNull();
        component.close();
        assertThatCode(component::close).as("a second close() of %s must do nothing", component)
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("create without the required key fails naming the full key")
    void missingRequiredKeyIsNamed() {
        assumeTrue(requiredKey().isPresent(), "no required key given by requiredKey()");
        String key = requiredKey().orElseThrow();
        assertThat(validConfig()).as("validConfig() must set the required key '%s'", key).containsKey(key);
        String fullKey = "rag." + kind().configSegment() + "." + provider().name() + "." + key;
        Map<String, String> without = new LinkedHashMap<>(validConfig());
        without.remove(key);
        assertThatThrownBy(() -> closeCreated(provider().create(config(without))),
                "create without the required key %s must throw RagConfigurationException naming it", fullKey)
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining(fullKey);
        Map<String, String> blank = new LinkedHashMap<>(validConfig());
        blank.put(key, "  ");
        assertThatThrownBy(() -> closeCreated(provider().create(config(blank))),
                "create with the required key %s blank must throw RagConfigurationException naming it", fullKey)
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining(fullKey);
    }

    @Test
    @DisplayName("create with an invalid value fails naming the full key and the value")
    void invalidValuesAreNamed() {
        assumeTrue(!invalidValues().isEmpty(), "no invalid values given by invalidValues()");
        invalidValues().forEach((key, value) -> {
            String fullKey = "rag." + kind().configSegment() + "." + provider().name() + "." + key;
            Map<String, String> config = new LinkedHashMap<>(validConfig());
            config.put(key, value);
            assertThatThrownBy(() -> closeCreated(provider().create(config(config))),
                    "create with the invalid value %s=%s must throw RagConfigurationException naming both", fullKey,
                    value)
                    .isInstanceOf(RagConfigurationException.class)
                    .hasMessageContainingAll(fullKey, value.trim());
        });
    }
}
