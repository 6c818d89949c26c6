/**
 * The life of a versioned index: {@link dev.ragkit.core.index.IndexLifecycle} rebuilds the next
 * version beside the live one, gates its promotion ({@link dev.ragkit.core.index.PromotionGate},
 * e.g. {@link dev.ragkit.core.index.AgreementGate}), moves the alias, rolls back and keeps a bounded
 * number of old versions. It works on any store's {@link dev.ragkit.core.spi.VersionedIndex}.
 */
package dev.ragkit.core.index;
