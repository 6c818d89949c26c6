/**
 * Migration of an index between two {@link dev.ragkit.core.spi.VectorStore}s while it stays in use:
 * resumable backfill, dual-write with a durable repair journal, shadow reads measuring agreement@k,
 * gated cutover and rollback. Entry point: {@link dev.ragkit.core.migrate.StoreMigration}.
 */
package dev.ragkit.core.migrate;
