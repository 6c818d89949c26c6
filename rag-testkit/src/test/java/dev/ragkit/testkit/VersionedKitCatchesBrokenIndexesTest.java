package dev.ragkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.ForwardingVersionedIndex;
import dev.ragkit.core.store.MemoryVectorStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The versioned-index kit must fail on indexes that break the contract: each nested class plugs a
 * deliberately broken index into it, runs it through the JUnit Platform launcher and expects the
 * checks that guard the broken promise to fail with "Contract broken:", and the others to pass.
 */
class VersionedKitCatchesBrokenIndexesTest {

    private static Map<String, String> failures(Class<?> kit, Set<String> passed) {
        Map<String, String> failures = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.getSource().orElse(null) instanceof MethodSource m) {
                            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                                failures.put(m.getMethodName(), result.getThrowable().map(String::valueOf).orElse(""));
                            } else if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                                passed.add(m.getMethodName());
                            }
                        }
                    }
                });
        return failures;
    }

    static DirectoryVersionedIndex memoryIndex(Path root) {
        return DirectoryVersionedIndex.builder(root)
                .store("memory", (dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).directory(dir)
                        .build())
                .build();
    }

    /** openLive serves the version live when it was opened and never follows the alias. */
    static final class StaleLive extends ForwardingVersionedIndex {
        StaleLive(VersionedIndex delegate) {
            super(delegate);
        }

        @Override
        public VectorStore openLive() {
            return delegate().open(delegate().live().orElseThrow());
        }
    }

    /** promote marks a building version ready first instead of refusing it. */
    static final class PromotesBuilding extends ForwardingVersionedIndex {
        PromotesBuilding(VersionedIndex delegate) {
            super(delegate);
        }

        @Override
        public void promote(int version) {
            delegate().versions().stream().filter(v -> v.number() == version && v.state() == IndexVersion.State.BUILDING)
                    .findFirst().ifPresent(v -> delegate().markReady(version, "", 0, 0));
            delegate().promote(version);
        }
    }

    static final class StaleLiveKit extends VersionedIndexConformanceTest {
        @Override
        protected VersionedIndex openIndex(Path root) {
            return new StaleLive(memoryIndex(root));
        }
    }

    static final class PromotesBuildingKit extends VersionedIndexConformanceTest {
        @Override
        protected VersionedIndex openIndex(Path root) {
            return new PromotesBuilding(memoryIndex(root));
        }
    }

    @Test
    void aLiveStoreThatDoesNotFollowTheAliasIsCaught() {
        Set<String> passed = new TreeSet<>();
        Map<String, String> failures = failures(StaleLiveKit.class, passed);
        assertThat(failures.keySet()).contains("liveFollowsSameHandle", "liveFollowsAnotherHandle");
        assertThat(failures.get("liveFollowsSameHandle")).contains("Contract broken: VersionedIndexConformanceTest >"
                + " alias > a live store follows promote and rollback through the same handle at once");
        assertThat(passed).as("checks that do not involve following").contains("numbering", "promoteRefusals",
                "rollback", "properties", "killWhilePromoting");
    }

    @Test
    void promotingABuildingVersionIsCaught() {
        Set<String> passed = new TreeSet<>();
        Map<String, String> failures = failures(PromotesBuildingKit.class, passed);
        assertThat(failures).containsKey("promoteRefusals");
        assertThat(failures.get("promoteRefusals")).contains("Contract broken:").contains("BUILDING");
        assertThat(passed).contains("numbering", "liveFollowsSameHandle", "rollback");
    }
}
