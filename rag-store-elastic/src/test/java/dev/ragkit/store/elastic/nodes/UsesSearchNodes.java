package dev.ragkit.store.elastic.nodes;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the nodes a test class needs, so that {@link SearchNodesListener} starts all of them at once, in
 * parallel, before the first test runs (two nodes take as long as the slower one instead of the sum).
 * Without it a node still starts on its first {@link SearchNodes} call, only later and alone.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface UsesSearchNodes {

    /** The nodes the class uses. */
    SearchNodeKind[] value();
}
