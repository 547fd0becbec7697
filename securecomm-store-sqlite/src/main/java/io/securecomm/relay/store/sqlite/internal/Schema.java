package io.securecomm.relay.store.sqlite.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema, as an ordered list of migrations. A database records the version it is at in SQLite's
 * {@code user_version} header field and that it is a securecomm relay store in {@code application_id}; opening
 * one applies the migrations after its version, in order, each in the caller's transaction. A migration is
 * never edited once released: a change is a new migration at the end.
 */
public final class Schema {
    /** {@code application_id} of a securecomm relay store: "SCRS" in ASCII. */
    public static final int APPLICATION_ID = 0x53435253;

    /** One step of the schema's history. */
    record Migration(int version, String description, List<String> statements) {}

    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "accounts, published pre-keys and queued messages", List.of(
                    "CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID",
                    "CREATE TABLE account ("
                            + " nickname TEXT PRIMARY KEY NOT NULL,"
                            + " identity_key BLOB NOT NULL,"
                            + " registered_at_ms INTEGER NOT NULL) WITHOUT ROWID",
                    // id gives the hand-out order of consumed kinds; (nickname, kind, key_id) is unique.
                    "CREATE TABLE pre_key ("
                            + " id INTEGER PRIMARY KEY,"
                            + " nickname TEXT NOT NULL REFERENCES account(nickname) ON DELETE CASCADE,"
                            + " kind TEXT NOT NULL,"
                            + " key_id INTEGER NOT NULL,"
                            + " record BLOB NOT NULL,"
                            + " UNIQUE (nickname, kind, key_id))",
                    // Index entries are ordered by (nickname, kind, rowid): the oldest record is the first.
                    "CREATE INDEX pre_key_by_owner ON pre_key(nickname, kind)",
                    // AUTOINCREMENT: an id is never assigned twice, even after the newest message is deleted.
                    "CREATE TABLE message ("
                            + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            + " recipient TEXT NOT NULL REFERENCES account(nickname) ON DELETE CASCADE,"
                            + " sender TEXT NOT NULL,"
                            + " sent_at_ms INTEGER NOT NULL,"
                            + " envelope BLOB NOT NULL)",
                    "CREATE INDEX message_by_recipient ON message(recipient)",
                    "CREATE INDEX message_by_sent_at ON message(sent_at_ms)")),
            new Migration(2, "per-recipient totals, so bounds are checked without counting the queue", List.of(
                    "CREATE TABLE queue_totals ("
                            + " recipient TEXT PRIMARY KEY NOT NULL REFERENCES account(nickname) ON DELETE CASCADE,"
                            + " message_count INTEGER NOT NULL,"
                            + " byte_count INTEGER NOT NULL) WITHOUT ROWID",
                    "INSERT INTO queue_totals (recipient, message_count, byte_count)"
                            + " SELECT a.nickname, count(m.id), coalesce(sum(length(m.envelope)), 0)"
                            + " FROM account a LEFT JOIN message m ON m.recipient = a.nickname GROUP BY a.nickname",
                    "CREATE TRIGGER account_added AFTER INSERT ON account BEGIN"
                            + " INSERT INTO queue_totals (recipient, message_count, byte_count)"
                            + " VALUES (NEW.nickname, 0, 0); END",
                    "CREATE TRIGGER message_added AFTER INSERT ON message BEGIN"
                            + " UPDATE queue_totals SET message_count = message_count + 1,"
                            + " byte_count = byte_count + length(NEW.envelope) WHERE recipient = NEW.recipient; END",
                    "CREATE TRIGGER message_removed AFTER DELETE ON message BEGIN"
                            + " UPDATE queue_totals SET message_count = message_count - 1,"
                            + " byte_count = byte_count - length(OLD.envelope) WHERE recipient = OLD.recipient; END")),
            // The tables hold any kind code already; the version is what matters: a version that knows only the
            // curve kinds cannot read records of the ML-KEM ones, so it must refuse the file rather than fail on them.
            new Migration(3, "the ML-KEM pre-key kinds of PQXDH (last-resort-kem, one-time-kem) may be stored", List.of(
                    "INSERT OR REPLACE INTO store_meta (key, value)"
                            + " VALUES ('pre_key_kinds', 'signed one-time last-resort-kem one-time-kem')")));

    /** The version this code writes: the last migration's. */
    public static final int CURRENT_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private Schema() {}

    /**
     * Applies the migrations after {@code fromVersion} up to {@code toVersion}, and records the version. The
     * caller holds the transaction.
     *
     * @param c the connection, inside a write transaction
     * @param fromVersion the version the database is at (0 for a new one)
     * @param toVersion the version to reach, at most {@link #CURRENT_VERSION}
     * @throws SQLException if a statement fails
     * @throws IllegalArgumentException if the versions are out of order or unknown
     */
    public static void migrate(Connection c, int fromVersion, int toVersion) throws SQLException {
        if (fromVersion < 0 || toVersion > CURRENT_VERSION || fromVersion > toVersion) {
            throw new IllegalArgumentException("cannot migrate from version " + fromVersion + " to " + toVersion);
        }
        try (Statement s = c.createStatement()) {
            for (Migration m : MIGRATIONS) {
                if (m.version() > fromVersion && m.version() <= toVersion) {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                }
            }
            if (fromVersion == 0) {
                s.execute("PRAGMA application_id = " + APPLICATION_ID);
            }
            s.execute("PRAGMA user_version = " + toVersion);
        }
    }

    /**
     * One line per version, for the documentation and error messages.
     *
     * @return "1: ...", "2: ..."
     */
    public static List<String> history() {
        return MIGRATIONS.stream().map(m -> m.version() + ": " + m.description()).toList();
    }
}
