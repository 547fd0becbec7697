/**
 * Implementation of the SQLite store, not exported: the versioned schema and its migrations
 * ({@code Schema}), the group-committing writer thread ({@code GroupCommitWriter}), and the mapping of SQLite's
 * result codes to {@link io.securecomm.relay.store.StoreException} reasons ({@code SqliteErrors}).
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.relay.store.sqlite.internal;
