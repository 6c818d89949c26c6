/**
 * The life of a versioned index: {@link dev.ragkit.core.index.IndexLifecycle} rebuilds the next
 * version beside the live one, gates its promotion ({@link dev.ragkit.core.index.PromotionGate},
 * e.g. {@link dev.ragkit.core.index.AgreementGate}), moves the alias, rolls back and keeps a bounded
 * number of old versions; {@link dev.ragkit.core.index.Rollout} lets a ready version answer a growing
 * share of the traffic first (shadow, 10 %, 50 %, 100 %), served by
 * {@link dev.ragkit.core.index.RolloutRouter}, which rolls it back by itself when it crosses a limit.
 * It works on any store's {@link dev.ragkit.core.spi.VersionedIndex}.
 */
package dev.ragkit.core.index;
