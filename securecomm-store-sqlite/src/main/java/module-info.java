/**
 * The relay's durable store on embedded SQLite ({@code io.securecomm:securecomm-store-sqlite}): a
 * {@link io.securecomm.relay.store.RelayStore} in one database file, written by one group-committing thread in
 * WAL mode with {@code synchronous=FULL}.
 *
 * <p>Exported: {@code io.securecomm.relay.store.sqlite}. The package named {@code internal} (schema, group
 * commit, error mapping) is not exported.
 */
module io.securecomm.store.sqlite {
    requires transitive io.securecomm.core;
    // The embedded database: a JDBC driver that bundles SQLite's native library for each platform.
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports io.securecomm.relay.store.sqlite;
}
