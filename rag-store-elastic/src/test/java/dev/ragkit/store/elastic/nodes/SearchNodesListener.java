package dev.ragkit.store.elastic.nodes;

import java.util.EnumSet;
import java.util.Set;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ties the nodes' life to the JUnit launcher session (registered in {@code META-INF/services} for both
 * interfaces): when the test plan starts, starts in parallel every node that its {@link UsesSearchNodes}
 * classes name; when the session closes (after the last test, passed or failed), stops them all.
 * A plan without such classes (the unit tests) starts nothing.
 */
public final class SearchNodesListener implements LauncherSessionListener, TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        Set<SearchNodeKind> needed = EnumSet.noneOf(SearchNodeKind.class);
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                id.getSource().filter(ClassSource.class::isInstance).map(ClassSource.class::cast)
                        .map(SearchNodesListener::annotation)
                        .ifPresent(uses -> needed.addAll(Set.of(uses.value())));
            }
        }
        SearchNodes.prestart(needed);
    }

    private static UsesSearchNodes annotation(ClassSource source) {
        try {
            return source.getJavaClass().getAnnotation(UsesSearchNodes.class);
        } catch (RuntimeException | LinkageError notLoadable) {
            return null; // the engine reports the class itself; nothing to start for it
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SearchNodes.stopAll();
    }
}
