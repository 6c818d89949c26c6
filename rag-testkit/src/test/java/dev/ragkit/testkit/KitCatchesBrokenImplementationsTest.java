package dev.ragkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kits must fail on implementations that break the contract, not only pass on good ones. Each
 * nested class plugs a deliberately broken component into a kit; the kit is run through the JUnit
 * Platform launcher and must report the expected checks as failed. (Surefire does not run the
 * nested classes on their own: it skips classes with a {@code $} in their name.)
 */
class KitCatchesBrokenImplementationsTest {

    /** What one kit run reported: the checks passed, failed (with their first failure's message) and skipped. */
    private record Outcome(Set<String> passed, Map<String, String> failures, Set<String> skipped) {
        Set<String> failed() {
            return failures.keySet();
        }

        /** The failure message of {@code check}, which must have failed. */
        String message(String check) {
            assertThat(failures).as("failed checks").containsKey(check);
            return failures.get(check);
        }
    }

    private static Outcome run(Class<?> testClass) {
        Set<String> passed = new TreeSet<>();
        Map<String, String> failures = new TreeMap<>();
        Set<String> skipped = new TreeSet<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().orElse(null) instanceof MethodSource m) {
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> passed.add(m.getMethodName());
                        case FAILED -> failures.putIfAbsent(m.getMethodName(),
                                result.getThrowable().map(String::valueOf).orElse("(no throwable)"));
                        case ABORTED -> skipped.add(m.getMethodName()); // an assumption did not hold
                    }
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.getSource().orElse(null) instanceof MethodSource m) {
                    skipped.add(m.getMethodName());
                }
            }
        };
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
        // A parameterised method reports once per run; it fails if any run failed.
        passed.removeAll(failures.keySet());
        skipped.removeAll(failures.keySet());
        // Every failure, whatever broke, starts with the contract it checks.
        String kit = kitOf(testClass).getSimpleName();
        failures.forEach((check, message) -> assertThat(message).as("failure of %s", check)
                .contains(ContractFailures.HEAD + kit + " > ").contains("[" + check + "]"));
        return new Outcome(passed, failures, skipped);
    }

    private static Class<?> kitOf(Class<?> testClass) {
        Class<?> kit = testClass;
        while (!Modifier.isAbstract(kit.getModifiers())) {
            kit = kit.getSuperclass();
        }
        return kit;
    }

    // ------------------------------------------------------------------ stores

    /** The forwarding wrapper itself, unbroken: the kit must pass, so failures below come from the breakage. */
    static class HonestForwardingStore extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).directory(directory).build());
        }
    }

    @Test
    void anHonestForwardingStorePasses() {
        Outcome outcome = run(HonestForwardingStore.class);
        assertThat(outcome.failed()).as("failed checks").isEmpty();
        assertThat(outcome.passed()).as("passed checks").hasSizeGreaterThan(30);
    }

    /** Declares FILTER but drops the filter. */
    static class IgnoresFilter extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public List<SearchHit> search(SearchRequest request) {
                    return super.search(request.withFilter(null));
                }
            };
        }
    }

    @Test
    void aStoreIgnoringFiltersFails() {
        Outcome outcome = run(IgnoresFilter.class);
        assertThat(outcome.failed()).contains("everyOperatorMatchesTheReference",
                "filteredTopKIsTheBestMatching", "filterMatchingNothing");
        assertThat(outcome.message("everyOperatorMatchesTheReference"))
                .contains("Contract broken: VectorStoreConformanceTest > FILTER > every supported operator returns "
                        + "exactly the chunks Filter.test accepts; the rest is refused [everyOperatorMatchesTheReference]")
                .contains("hits Filter.test rejects");
    }

    /** Filter support without string ranges and negated ranges (as Pinecone's), on the memory store. */
    private static final FilterSupport NO_STRING_RANGES;

    static {
        Map<FilterSupport.Operator, Set<FilterSupport.ValueType>> ops = new EnumMap<>(FilterSupport.Operator.class);
        for (FilterSupport.Operator op : FilterSupport.Operator.values()) {
            ops.put(op, op.isRange() ? EnumSet.of(FilterSupport.ValueType.NUMBER)
                    : EnumSet.allOf(FilterSupport.ValueType.class));
        }
        NO_STRING_RANGES = new FilterSupport(ops, EnumSet.allOf(FilterSupport.Connective.class), Set.of(),
                "the test narrows it");
    }

    /** Declares FILTER in part and refuses the rest, as the contract asks: the kit must pass. */
    static class HonestPartialFilter extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public FilterSupport filterSupport() {
                    return NO_STRING_RANGES;
                }

                @Override
                public List<SearchHit> search(SearchRequest request) {
                    request.filter().ifPresent(f -> filterSupport().require(name(), f));
                    return super.search(request);
                }
            };
        }
    }

    @Test
    void anHonestPartialFilterPasses() {
        Outcome outcome = run(HonestPartialFilter.class);
        assertThat(outcome.failed()).as("failed checks").isEmpty();
        assertThat(outcome.passed()).as("passed checks").contains("everyOperatorMatchesTheReference",
                "everyUnsupportedPartIsRefused", "filterSupportAgreesWithTheDeclaration");
    }

    /** Declares FILTER in part, but answers an unsupported part by dropping the filter instead of refusing it. */
    static class DropsUnsupportedFilterParts extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public FilterSupport filterSupport() {
                    return NO_STRING_RANGES;
                }

                @Override
                public List<SearchHit> search(SearchRequest request) {
                    boolean supported = request.filter().map(f -> filterSupport().refusal(f).isEmpty()).orElse(true);
                    return super.search(supported ? request : request.withFilter(null));
                }
            };
        }
    }

    @Test
    void aStoreDroppingAnUnsupportedFilterPartFails() {
        Outcome outcome = run(DropsUnsupportedFilterParts.class);
        assertThat(outcome.failed()).contains("everyOperatorMatchesTheReference", "everyUnsupportedPartIsRefused");
        assertThat(outcome.message("everyUnsupportedPartIsRefused"))
                .contains("does not support gt on 'lang' with a STRING value")
                .contains("instead of refusing it with UnsupportedCapabilityException");
    }

    /** Does not declare FILTER, yet answers filtered searches by ignoring the filter. */
    static class SilentlyIgnoresUndeclaredFilter extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public Set<StoreCapability> capabilities() {
                    EnumSet<StoreCapability> caps = EnumSet.copyOf(super.capabilities());
                    caps.remove(StoreCapability.FILTER);
                    return caps;
                }

                @Override
                public List<SearchHit> search(SearchRequest request) {
                    return super.search(request.withFilter(null));
                }
            };
        }
    }

    @Test
    void aStoreSilentlyIgnoringAnUndeclaredFilterFails() {
        Outcome outcome = run(SilentlyIgnoresUndeclaredFilter.class);
        assertThat(outcome.failed()).contains("undeclaredFilterThrows");
        // Once only "Expecting code to raise a throwable": now the contract and the expectation are named.
        assertThat(outcome.message("undeclaredFilterThrows"))
                .contains("Contract broken: VectorStoreConformanceTest > FILTER > when FILTER is not declared, a "
                        + "filtered search throws UnsupportedCapabilityException (a filter is never ignored) "
                        + "[undeclaredFilterThrows]")
                .contains("a filtered search on a store that does not declare FILTER must throw "
                        + "UnsupportedCapabilityException, never ignore the filter [store memory, seed ")
                .contains("Expecting code to raise a throwable");
    }

    /** Declares SCAN but cannot scan: the kit names the contract even when the store throws, not an assertion. */
    static class ClaimsScanButCannotScan extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public ScanPage scan(Filter filter, String cursor, int limit) {
                    throw new UnsupportedCapabilityException(name(), StoreCapability.SCAN);
                }
            };
        }
    }

    @Test
    void aStoreThrowingInsteadOfScanningFails() {
        Outcome outcome = run(ClaimsScanButCannotScan.class);
        assertThat(outcome.failed()).contains("pagesCoverEverything", "emptyStoreScan", "filteredScan");
        assertThat(outcome.message("emptyStoreScan"))
                .contains("Contract broken: VectorStoreConformanceTest > SCAN > an empty store scans to one empty last "
                        + "page [emptyStoreScan]")
                .contains("the implementation threw " + UnsupportedCapabilityException.class.getName());
    }

    /** The common SQL-like bug: {@code ne} and {@code notIn} exclude chunks that lack the key. */
    static class NeExcludesMissingKeys extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public List<SearchHit> search(SearchRequest request) {
                    return super.search(request.withFilter(request.filter().map(f -> requirePresence(f)).orElse(null)));
                }

                @Override
                public ScanPage scan(Filter filter, String cursor, int limit) {
                    return super.scan(filter == null ? null : requirePresence(filter), cursor, limit);
                }
            };
        }

        private static Filter present(String key) {
            return Filter.or(Filter.gte(key, ""), Filter.gte(key, -Double.MAX_VALUE), Filter.eq(key, true),
                    Filter.eq(key, false));
        }

        private static Filter requirePresence(Filter f) {
            if (f instanceof Filter.Ne ne) {
                return Filter.and(ne, present(ne.key()));
            }
            if (f instanceof Filter.NotIn notIn) {
                return Filter.and(notIn, present(notIn.key()));
            }
            if (f instanceof Filter.And and) {
                return new Filter.And(and.operands().stream().map(NeExcludesMissingKeys::requirePresence).toList());
            }
            if (f instanceof Filter.Or or) {
                return new Filter.Or(or.operands().stream().map(NeExcludesMissingKeys::requirePresence).toList());
            }
            if (f instanceof Filter.Not not) {
                return Filter.not(requirePresence(not.operand()));
            }
            return f;
        }
    }

    @Test
    void aStoreWithSqlMissingKeySemanticsFails() {
        assertThat(run(NeExcludesMissingKeys.class).failed()).contains("everyOperatorMatchesTheReference",
                "filteredScan");
    }

    /** Breaks score ties by descending id. */
    static class WrongTieOrder extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public List<SearchHit> search(SearchRequest request) {
                    List<SearchHit> hits = new ArrayList<>(super.search(request));
                    hits.sort(Comparator.comparingDouble(SearchHit::score).reversed()
                            .thenComparing(SearchHit::id, Comparator.reverseOrder()));
                    return hits;
                }
            };
        }
    }

    @Test
    void aStoreWithTheWrongTieOrderFails() {
        assertThat(run(WrongTieOrder.class).failed()).contains("tiesAreBrokenByAscendingId");
    }

    /** Writes a batch chunk by chunk, so a bad chunk leaves the good ones before it written. */
    static class NotAllOrNothing extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public void upsert(List<EmbeddedChunk> chunks) {
                    for (EmbeddedChunk c : chunks) {
                        super.upsert(List.of(c));
                    }
                }
            };
        }
    }

    @Test
    void aStoreWritingHalfABadBatchFails() {
        assertThat(run(NotAllOrNothing.class).failed()).contains("upsertRejectsWrongDimension",
                "duplicateIdsInBatchRejected");
    }

    /** Claims PERSISTENCE but keeps everything in memory only. */
    static class FalsePersistenceClaim extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public Set<StoreCapability> capabilities() {
                    EnumSet<StoreCapability> caps = EnumSet.copyOf(super.capabilities());
                    caps.add(StoreCapability.PERSISTENCE);
                    return caps;
                }
            };
        }
    }

    @Test
    void aFalsePersistenceClaimFails() {
        assertThat(run(FalsePersistenceClaim.class).failed()).contains("reopenSeesTheSameData",
                "writesAccumulateAcrossReopens");
    }

    /** Reads vectors back in id order, not in the order asked for. */
    static class ReadsVectorsInIdOrder extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
                    return super.getEmbedded(new TreeSet<>(ids));
                }
            };
        }
    }

    @Test
    void aStoreReadingVectorsInTheWrongOrderFails() {
        Outcome outcome = run(ReadsVectorsInIdOrder.class);
        assertThat(outcome.failed()).contains("vectorsRoundTripInTheOrderAsked");
        assertThat(outcome.message("vectorsRoundTripInTheOrderAsked"))
                .contains("Contract broken: VectorStoreConformanceTest > READ_VECTORS > getEmbedded returns each chunk")
                .contains("ids in the order asked");
    }

    /** Gives back vectors scaled by 2: neither as written nor unit length. */
    static class ReadsScaledVectors extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).directory(directory).build()) {
                @Override
                public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
                    return super.getEmbedded(ids).stream().map(c -> {
                        float[] v = c.vector().clone();
                        for (int i = 0; i < v.length; i++) {
                            v[i] *= 2;
                        }
                        return new EmbeddedChunk(c.chunk(), v);
                    }).toList();
                }
            };
        }
    }

    @Test
    void aStoreReadingBackWrongVectorsFails() {
        Outcome outcome = run(ReadsScaledVectors.class);
        assertThat(outcome.failed()).contains("vectorsRoundTripInTheOrderAsked", "replacedChunksComeBackWithTheirNewVector",
                "deletedIdsAreSkipped", "vectorsSurviveAReopen");
        assertThat(outcome.message("vectorsRoundTripInTheOrderAsked")).contains("neither as written");
    }

    /** Does not declare READ_VECTORS, yet answers getEmbedded. */
    static class AnswersUndeclaredReadVectors extends VectorStoreConformanceTest {
        @Override
        protected VectorStore openStore(int dimension, Path directory) {
            return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                @Override
                public Set<StoreCapability> capabilities() {
                    EnumSet<StoreCapability> caps = EnumSet.copyOf(super.capabilities());
                    caps.remove(StoreCapability.READ_VECTORS);
                    return caps;
                }
            };
        }
    }

    @Test
    void aStoreAnsweringAnUndeclaredReadVectorsFails() {
        Outcome outcome = run(AnswersUndeclaredReadVectors.class);
        assertThat(outcome.failed()).containsExactly("undeclaredReadVectorsThrows");
        assertThat(outcome.message("undeclaredReadVectorsThrows"))
                .contains("Contract broken: VectorStoreConformanceTest > READ_VECTORS > when READ_VECTORS is not declared, "
                        + "getEmbedded throws UnsupportedCapabilityException [undeclaredReadVectorsThrows]");
    }

    // ------------------------------------------------------------------ embedders and LLM clients

    /** Accepts blank text and adds noise, so the same text never gives the same vector. */
    static class SloppyEmbedder extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            HashingEmbedder real = new HashingEmbedder();
            java.util.Random noise = new java.util.Random(1);
            return new Embedder() {
                @Override
                public String id() {
                    return real.id();
                }

                @Override
                public int dimension() {
                    return real.dimension();
                }

                @Override
                public List<float[]> embedDocuments(List<String> texts) {
                    return texts.stream().map(this::embedQuery).collect(Collectors.toList());
                }

                @Override
                public float[] embedQuery(String query) {
                    float[] v = real.embedQuery(query == null || query.isBlank() ? "blank" : query);
                    synchronized (noise) {
                        v[1] += noise.nextFloat();
                    }
                    return v;
                }
            };
        }
    }

    @Test
    void aSloppyEmbedderFails() {
        Outcome outcome = run(SloppyEmbedder.class);
        assertThat(outcome.failed()).contains("deterministic", "blankTextRejected",
                "closeIsIdempotentAndUseAfterCloseIsClear");
        assertThat(outcome.message("closeIsIdempotentAndUseAfterCloseIsClear"))
                .contains("embedQuery after close() must fail saying the embedder is closed (or override "
                        + "usableAfterClose() when the embedder documents that it stays usable)");
        assertThat(outcome.message("blankTextRejected"))
                .contains("Contract broken: EmbedderConformanceTest > null or blank text is rejected with "
                        + "InvalidInputException [blankTextRejected]")
                .contains("embedDocuments with a blank text must throw InvalidInputException");
        assertThat(outcome.message("deterministic"))
                .contains("Contract broken: EmbedderConformanceTest > the same text twice gives the same vector "
                        + "[deterministic]");
    }

    /** Streams tokens that do not add up to the returned text, and streams differently from generate. */
    static class LossyStreamingClient extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            EchoLlmClient real = new EchoLlmClient();
            return new LlmClient() {
                @Override
                public String id() {
                    return real.id();
                }

                @Override
                public Generation generate(LlmRequest request) {
                    return real.generate(request);
                }

                @Override
                public Generation stream(LlmRequest request, Consumer<String> onToken) {
                    Generation g = real.stream(request, token -> onToken.accept(token.trim()));
                    return new Generation(g.text() + " (streamed)", new TokenUsage(1, 1), g.model());
                }
            };
        }
    }

    @Test
    void aLossyStreamingClientFails() {
        Outcome outcome = run(LossyStreamingClient.class);
        assertThat(outcome.failed()).contains("streamDeliversTokensThatAddUp", "blockingAndStreamingAgree");
        assertThat(outcome.message("streamDeliversTokensThatAddUp"))
                .contains("Contract broken: LlmClientConformanceTest > stream delivers at least one token and the "
                        + "tokens add up to the returned text [streamDeliversTokensThatAddUp]")
                .contains("concatenated tokens");
    }

    /** Releases its resources on every close, so the second close fails. */
    static class ClosesTwice extends EmbedderConformanceTest {
        @Override
        protected Embedder createEmbedder() {
            HashingEmbedder real = new HashingEmbedder();
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            return new Embedder() {
                @Override
                public String id() {
                    return real.id();
                }

                @Override
                public int dimension() {
                    return real.dimension();
                }

                @Override
                public List<float[]> embedDocuments(List<String> texts) {
                    if (closed.get()) {
                        throw new IllegalStateException("embedder is closed");
                    }
                    return real.embedDocuments(texts);
                }

                @Override
                public float[] embedQuery(String query) {
                    if (closed.get()) {
                        throw new IllegalStateException("embedder is closed");
                    }
                    return real.embedQuery(query);
                }

                @Override
                public void close() {
                    if (!closed.compareAndSet(false, true)) {
                        throw new IllegalStateException("session already released");
                    }
                }
            };
        }
    }

    @Test
    void anEmbedderWhoseSecondCloseThrowsFails() {
        Outcome outcome = run(ClosesTwice.class);
        assertThat(outcome.failed()).contains("closeIsIdempotentAndUseAfterCloseIsClear");
        assertThat(outcome.message("closeIsIdempotentAndUseAfterCloseIsClear"))
                .contains("Contract broken: EmbedderConformanceTest > close is idempotent, and calls after close "
                        + "fail saying so unless documented as allowed")
                .contains("a second close() must do nothing");
    }

    @Test
    void aClientStillAnsweringAfterCloseWithoutSayingSoFails() {
        Outcome outcome = run(LossyStreamingClient.class);
        assertThat(outcome.message("closeIsIdempotentAndUseAfterCloseIsClear"))
                .contains("generate after close() must fail saying the client is closed");
    }

    // ------------------------------------------------------------------ providers

    /**
     * Falls back to a default instead of requiring {@code dimension}, and is missing from
     * {@code META-INF/services}.
     */
    public static final class LenientStoreProvider implements VectorStoreProvider {
        @Override
        public String name() {
            return "lenient";
        }

        @Override
        public VectorStore create(ProviderConfig config) {
            return MemoryVectorStore.builder().dimension(config.integer("dimension", 8)).build();
        }
    }

    static class LenientProvider extends ProviderContractTest {
        @Override
        protected Provider<?> provider() {
            return new LenientStoreProvider();
        }

        @Override
        protected Map<String, String> validConfig() {
            return Map.of("dimension", "8");
        }

        @Override
        protected Optional<String> requiredKey() {
            return Optional.of("dimension");
        }
    }

    @Test
    void aLenientProviderFails() {
        Outcome outcome = run(LenientProvider.class);
        assertThat(outcome.failed()).containsExactlyInAnyOrder("missingRequiredKeyIsNamed", "registeredForServiceLoader");
        assertThat(outcome.message("missingRequiredKeyIsNamed"))
                .contains("Contract broken: ProviderContractTest > create without the required key fails naming the "
                        + "full key [missingRequiredKeyIsNamed]")
                .contains("create without the required key rag.store.lenient.dimension must throw "
                        + "RagConfigurationException naming it")
                .contains("Expecting code to raise a throwable");
        assertThat(outcome.message("registeredForServiceLoader"))
                .contains("Contract broken: ProviderContractTest > META-INF/services registers exactly this class, "
                        + "and discovery finds it by name [registeredForServiceLoader]");
    }

    /** Sanity of the harness itself: an exception type check really distinguishes. */
    @Test
    void invalidInputIsARagException() {
        assertThat(new InvalidInputException("x")).isInstanceOf(dev.ragkit.core.RagException.class);
    }

    /** Answers well but always reports 0 tokens, without declaring that it does not report usage. */
    static class ZeroUsageClient extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            EchoLlmClient real = new EchoLlmClient();
            return new LlmClient() {
                @Override
                public String id() {
                    return real.id();
                }

                @Override
                public Generation generate(LlmRequest request) {
                    Generation g = real.generate(request);
                    return new Generation(g.text(), TokenUsage.NONE, g.model());
                }

                @Override
                public Generation stream(LlmRequest request, Consumer<String> onToken) {
                    Generation g = real.stream(request, onToken);
                    return new Generation(g.text(), TokenUsage.NONE, g.model());
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }
    }

    @Test
    void aClientReportingZeroTokensFails() {
        Outcome outcome = run(ZeroUsageClient.class);
        assertThat(outcome.failed()).contains("generateReturnsText", "systemAndUserMessages",
                "streamDeliversTokensThatAddUp", "blockingAndStreamingAgree", "concurrentGenerate");
        assertThat(outcome.message("generateReturnsText"))
                .contains("Contract broken: LlmClientConformanceTest > generate returns non-empty text, a model name "
                        + "and the tokens used [generateReturnsText]")
                .contains("generate: prompt tokens");
        assertThat(outcome.passed()).as("checks that do not look at usage").contains("idHasProviderAndModel");
    }

    /** The same client, declaring that it does not report usage: the kit accepts that. */
    static class DeclaredNoUsageClient extends ZeroUsageClient {
        @Override
        protected boolean reportsUsage() {
            return false;
        }
    }

    /** Declares that it does not report usage, yet returns counts: made-up numbers are caught too. */
    static class UndeclaredUsageClient extends LlmClientConformanceTest {
        @Override
        protected LlmClient createClient() {
            return new EchoLlmClient();
        }

        @Override
        protected boolean reportsUsage() {
            return false;
        }
    }

    @Test
    void usageDeclaredUnknownMustBeNone() {
        Outcome declared = run(DeclaredNoUsageClient.class);
        assertThat(declared.failed()).as("failed checks").isEmpty();
        assertThat(declared.passed()).hasSize(7);
        assertThat(run(UndeclaredUsageClient.class).message("generateReturnsText"))
                .contains("usage of a client declaring reportsUsage() false");
    }

    @Test
    void theEchoClientPasses() {
        Outcome outcome = run(EchoLlmClientConformanceTest.class);
        assertThat(outcome.failed()).as("failed checks").isEmpty();
        assertThat(outcome.passed()).hasSize(7);
    }
}
