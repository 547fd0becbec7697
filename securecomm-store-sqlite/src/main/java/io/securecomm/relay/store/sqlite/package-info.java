/**
 * The relay's durable store on embedded SQLite: {@link io.securecomm.relay.store.sqlite.SqliteRelayStore},
 * opened with {@link io.securecomm.relay.store.sqlite.SqliteStoreOptions}. docs/STORE.md describes the
 * durability promise, the schema and its versions.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.relay.store.sqlite;
