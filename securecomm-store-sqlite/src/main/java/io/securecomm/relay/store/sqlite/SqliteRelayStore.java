package io.securecomm.relay.store.sqlite;

import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.AccountStore;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.MessageQueueStore;
import io.securecomm.relay.store.PreKeyCounts;
import io.securecomm.relay.store.PreKeyHandout;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.PreKeyRecord;
import io.securecomm.relay.store.PublishedPreKeyStore;
import io.securecomm.relay.store.QueueTotals;
import io.securecomm.relay.store.QueueUsage;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.Release;
import io.securecomm.relay.store.StoreArguments;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreHealth;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoredMessage;
import io.securecomm.relay.store.sqlite.internal.Db;
import io.securecomm.relay.store.sqlite.internal.GroupCommitWriter;
import io.securecomm.relay.store.sqlite.internal.Reader;
import io.securecomm.relay.store.sqlite.internal.Schema;
import io.securecomm.relay.store.sqlite.internal.SqliteErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sqlite.JDBC;

/**
 * A {@link RelayStore} in one SQLite database file: the relay's durable default.
 *
 * <p><b>What "stored" means.</b> The database runs in WAL mode with {@code synchronous=FULL}: a transaction's
 * commit appends it to the write-ahead log and {@code fsync}s the log before returning. A stage that changes
 * data completes only after the transaction holding the change committed, so a message whose enqueue completed
 * survives a crash of the process, and of the operating system or a power loss on storage that honours
 * flushes. (A disk or virtual machine that acknowledges a flush it has not done can lose the latest commits:
 * no software on top can promise more than its storage.)
 *
 * <p><b>Group commit.</b> One writer thread owns the writing connection. Changes from any thread queue up; the
 * writer takes all that wait (up to {@link SqliteStoreOptions#maxBatchOperations()}), runs them in one
 * transaction in the order they were submitted, commits once, and then completes their stages on
 * {@link SqliteStoreOptions#completionExecutor()}. Under load many messages share one {@code fsync}; alone, an
 * operation waits for one commit only. Reads ({@code find}, {@code list}, {@code count}, {@code fetch},
 * {@code usage}) run on a second connection and thread: in WAL mode they see the last commit and never wait for
 * the writer, so a read sees every change whose stage completed before the read was called.
 *
 * <p><b>Failures.</b> {@link #open} fails with one {@link StoreException} whose message says what to do: the
 * file is damaged or not a database ({@code CORRUPT}), a database of another program ({@code NOT_A_STORE}),
 * of a newer schema ({@code NEWER_VERSION}), locked by another process ({@code LOCKED}), or cannot be written
 * ({@code IO_ERROR}, {@code FULL}); it never starts empty over an unreadable file. At run time a failed
 * transaction is rolled back and its stages fail with {@code StoreException} (nothing of it is stored); the
 * store turns unhealthy, keeps serving whatever works (acknowledgements free space on a full disk), probes
 * every {@link SqliteStoreOptions#recoveryProbeInterval()} while idle, and is healthy again after the first
 * write that commits.
 *
 * <p>Thread-safe. The schema and its versions are described in docs/STORE.md.
 */
public final class SqliteRelayStore implements RelayStore {
    private final Path file;
    private final Clock clock;
    private final StoreLimits limits;
    private final GroupCommitWriter writer;
    private final Reader reader;
    /** The page cap, 0 for none: set before the writer (whose probe reads it) starts. */
    private final long maxPages;

    private final AccountStore accountStore = new Accounts();
    private final PublishedPreKeyStore preKeyStore = new PreKeys();
    private final MessageQueueStore messageStore = new Messages();

    private SqliteRelayStore(Path file, SqliteStoreOptions options, Db writeDb, Db readDb, long maxPages) {
        this.file = file;
        this.clock = options.clock();
        this.limits = options.limits();
        this.maxPages = maxPages;
        this.writer = new GroupCommitWriter(writeDb, file, clock, options.completionExecutor(),
                options.maxBatchOperations(), options.maxPendingOperations(), options.recoveryProbeInterval(),
                this::probe, options.meter());
        this.reader = new Reader(readDb, file, options.completionExecutor(), options.maxPendingOperations());
    }

    /**
     * Opens the store in a file, creating the file (and the schema) if it does not exist, and migrating an
     * older schema to the current one.
     *
     * @param file the database file; its folder must exist
     * @param options how to open it
     * @return the open store; close it when done
     * @throws StoreException if the file is damaged or not a database ({@code CORRUPT}), a database of another
     *     program ({@code NOT_A_STORE}), from a newer version ({@code NEWER_VERSION}), locked by another process
     *     ({@code LOCKED}), or cannot be opened or written ({@code IO_ERROR}, {@code FULL})
     */
    public static SqliteRelayStore open(Path file, SqliteStoreOptions options) throws StoreException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        Path path = file.toAbsolutePath();
        if (Files.isDirectory(path)) {
            throw new StoreException(StoreException.Reason.IO_ERROR, "cannot open relay store " + path
                    + ": it is a folder, not a file");
        }
        Path folder = path.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new StoreException(StoreException.Reason.IO_ERROR, "cannot open relay store " + path
                    + ": its folder does not exist");
        }
        Connection connection = null;
        Connection readConnection = null;
        try {
            connection = JDBC.createConnection("jdbc:sqlite:" + path, new Properties());
            Db db = new Db(connection);
            long maxPages = prepare(db, path, options);
            // Reads get their own connection: in WAL mode they never wait for the writer's commits.
            readConnection = JDBC.createConnection("jdbc:sqlite:" + path, new Properties());
            Db readDb = new Db(readConnection);
            readDb.execute("PRAGMA busy_timeout = " + options.busyTimeout().toMillis());
            readDb.execute("PRAGMA query_only = 1");
            readDb.execute("PRAGMA cache_size = " + CACHE_SIZE_PRAGMA);
            return new SqliteRelayStore(path, options, db, readDb, maxPages);
        } catch (SQLException e) {
            closeQuietly(readConnection);
            closeQuietly(connection);
            throw SqliteErrors.map(path, "open", e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(readConnection);
            closeQuietly(connection);
            throw e;
        }
    }

    /** Each connection's page cache: 16 MiB (negative: in KiB), so a busy store's indexes stay in memory. */
    private static final int CACHE_SIZE_PRAGMA = -16 * 1024;

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already failing: the first failure is the one to report.
            }
        }
    }

    /** Checks the file, sets the connection up, migrates; returns the page cap (0 for none). */
    private static long prepare(Db db, Path path, SqliteStoreOptions options) throws SQLException, StoreException {
        db.execute("PRAGMA busy_timeout = " + options.busyTimeout().toMillis());
        // Reading the header is the first access: a file that is not a database fails here (SQLITE_NOTADB).
        int applicationId = queryInt(db, "PRAGMA application_id");
        int version = queryInt(db, "PRAGMA user_version");
        int objects = queryInt(db, "SELECT count(*) FROM sqlite_schema");
        if (applicationId == 0 && version == 0 && objects > 0 || applicationId != 0
                && applicationId != Schema.APPLICATION_ID) {
            throw new StoreException(StoreException.Reason.NOT_A_STORE, "cannot open relay store " + path
                    + ": it is a database of another program, not a securecomm relay store; choose another file");
        }
        if (version > Schema.CURRENT_VERSION) {
            throw new StoreException(StoreException.Reason.NEWER_VERSION, "cannot open relay store " + path
                    + ": it was written by a newer securecomm (schema version " + version + ", this version knows "
                    + "up to " + Schema.CURRENT_VERSION + "); run the newer securecomm, or restore a backup");
        }
        if (applicationId == Schema.APPLICATION_ID && version < 1) {
            throw new StoreException(StoreException.Reason.CORRUPT, "cannot open relay store " + path
                    + ": it is marked as a relay store but has no schema version; restore it from a backup, or "
                    + "move it away to start with an empty store");
        }
        String mode = queryString(db, "PRAGMA journal_mode = WAL");
        if (!"wal".equalsIgnoreCase(mode)) {
            throw new StoreException(StoreException.Reason.IO_ERROR, "cannot open relay store " + path
                    + ": SQLite refused write-ahead logging (journal mode stays " + mode + ")");
        }
        db.execute("PRAGMA synchronous = FULL");
        db.execute("PRAGMA foreign_keys = ON");
        db.execute("PRAGMA cache_size = " + CACHE_SIZE_PRAGMA);
        if (options.checkIntegrityOnOpen() && version > 0) {
            String check = queryString(db, "PRAGMA quick_check(1)");
            if (!"ok".equalsIgnoreCase(check)) {
                throw new StoreException(StoreException.Reason.CORRUPT, "cannot open relay store " + path
                        + ": the file is damaged (" + check + "); restore it from a backup, or move it away to "
                        + "start with an empty store");
            }
        }
        // Take the write lock even when nothing needs migrating: a file another process holds is reported now.
        db.execute("BEGIN IMMEDIATE");
        try {
            int current = queryInt(db, "PRAGMA user_version");
            if (current < Schema.CURRENT_VERSION) {
                Schema.migrate(db.connection(), current, Schema.CURRENT_VERSION);
            }
            if (current == 0) {
                long now = options.clock().millis();
                PreparedStatement meta = db.prepare("INSERT INTO store_meta (key, value) VALUES (?, ?)");
                meta.setString(1, "created_at_ms");
                meta.setLong(2, now);
                meta.executeUpdate();
                PreparedStatement seq = db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('message', ?)");
                seq.setLong(1, MessageQueueStore.firstMessageId(now) - 1);
                seq.executeUpdate();
            }
            db.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            try {
                db.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // SQLite may have rolled back already; the first failure is the one to report.
            }
            throw e;
        }
        long maxPages = 0;
        if (options.maxDatabaseSizeBytes().isPresent()) {
            long pageSize = queryInt(db, "PRAGMA page_size");
            maxPages = Math.max(1, options.maxDatabaseSizeBytes().getAsLong() / pageSize);
            maxPages = queryLong(db, "PRAGMA max_page_count = " + maxPages);
        }
        return maxPages;
    }

    private static int queryInt(Db db, String sql) throws SQLException {
        return (int) queryLong(db, sql);
    }

    private static long queryLong(Db db, String sql) throws SQLException {
        try (ResultSet rs = db.prepare(sql).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String queryString(Db db, String sql) throws SQLException {
        try (ResultSet rs = db.prepare(sql).executeQuery()) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /** The probe of a failing store: a small write; with a size cap, also room for at least one more page. */
    private boolean probe(Db db) throws SQLException {
        PreparedStatement p = db.prepare("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('probed_at_ms', ?)");
        p.setLong(1, clock.millis());
        p.executeUpdate();
        if (maxPages == 0) {
            return true;
        }
        return queryLong(db, "PRAGMA freelist_count") > 0 || queryLong(db, "PRAGMA page_count") < maxPages;
    }

    /**
     * The database file.
     *
     * @return its absolute path
     */
    public Path file() {
        return file;
    }

    @Override
    public AccountStore accounts() {
        return accountStore;
    }

    @Override
    public PublishedPreKeyStore preKeys() {
        return preKeyStore;
    }

    @Override
    public MessageQueueStore messages() {
        return messageStore;
    }

    @Override
    public StoreHealth health() {
        return writer.health();
    }

    @Override
    public CompletionStage<Void> whenHealthy() {
        return writer.whenHealthy();
    }

    @Override
    public void close() {
        writer.close();
        reader.close();
    }

    private <T> CompletionStage<T> write(GroupCommitWriter.Work<T> work) {
        return writer.submit(work);
    }

    private <T> CompletionStage<T> read(GroupCommitWriter.Work<T> work) {
        return reader.submit(work);
    }

    private static boolean accountExists(Db db, String nickname) throws SQLException {
        PreparedStatement p = db.prepare("SELECT 1 FROM account WHERE nickname = ?");
        p.setString(1, nickname);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next();
        }
    }

    private static Optional<byte[]> identityKey(Db db, String nickname) throws SQLException {
        PreparedStatement p = db.prepare("SELECT identity_key FROM account WHERE nickname = ?");
        p.setString(1, nickname);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        }
    }

    private static boolean deleteAccount(Db db, String nickname) throws SQLException {
        // ON DELETE CASCADE removes the account's pre-keys, queued messages and totals in the same transaction.
        PreparedStatement p = db.prepare("DELETE FROM account WHERE nickname = ?");
        p.setString(1, nickname);
        return p.executeUpdate() > 0;
    }

    private final class Accounts implements AccountStore {
        @Override
        public CompletionStage<Registration> register(String nickname, byte[] identityKey) {
            StoreArguments.requireNickname(nickname, "nickname");
            byte[] key = StoreArguments.requireBytes(identityKey, "identityKey");
            long now = clock.millis();
            return write(db -> {
                Optional<byte[]> held = identityKey(db, nickname);
                if (held.isPresent()) {
                    return MessageDigest.isEqual(held.get(), key) ? Registration.ALREADY_REGISTERED
                            : Registration.TAKEN;
                }
                PreparedStatement p = db.prepare(
                        "INSERT INTO account (nickname, identity_key, registered_at_ms) VALUES (?, ?, ?)");
                p.setString(1, nickname);
                p.setBytes(2, key);
                p.setLong(3, now);
                p.executeUpdate();
                return Registration.REGISTERED;
            });
        }

        @Override
        public CompletionStage<Optional<Account>> find(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return read(db -> {
                PreparedStatement p = db.prepare(
                        "SELECT identity_key, registered_at_ms FROM account WHERE nickname = ?");
                p.setString(1, nickname);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Account(nickname, rs.getBytes(1), Instant.ofEpochMilli(rs.getLong(2))))
                            : Optional.empty();
                }
            });
        }

        @Override
        public CompletionStage<Release> release(String nickname, byte[] identityKey) {
            StoreArguments.requireNickname(nickname, "nickname");
            byte[] key = StoreArguments.requireBytes(identityKey, "identityKey");
            return write(db -> {
                Optional<byte[]> held = identityKey(db, nickname);
                if (held.isEmpty()) {
                    return Release.NOT_REGISTERED;
                }
                if (!MessageDigest.isEqual(held.get(), key)) {
                    return Release.NOT_YOURS;
                }
                deleteAccount(db, nickname);
                return Release.RELEASED;
            });
        }

        @Override
        public CompletionStage<Boolean> releaseByOperator(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return write(db -> deleteAccount(db, nickname));
        }

        @Override
        public CompletionStage<List<Account>> list() {
            return read(db -> {
                List<Account> out = new ArrayList<>();
                try (ResultSet rs = db.prepare(
                        "SELECT nickname, identity_key, registered_at_ms FROM account ORDER BY nickname")
                        .executeQuery()) {
                    while (rs.next()) {
                        out.add(new Account(rs.getString(1), rs.getBytes(2), Instant.ofEpochMilli(rs.getLong(3))));
                    }
                }
                return List.copyOf(out);
            });
        }
    }

    private static PreKeyCounts counts(Db db, String nickname) throws SQLException {
        PreparedStatement p = db.prepare("SELECT kind, count(*) FROM pre_key WHERE nickname = ? GROUP BY kind");
        p.setString(1, nickname);
        EnumMap<PreKeyKind, Integer> counts = new EnumMap<>(PreKeyKind.class);
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                counts.put(PreKeyKind.ofCode(rs.getString(1)), rs.getInt(2));
            }
        }
        return new PreKeyCounts(counts);
    }

    private final class PreKeys implements PublishedPreKeyStore {
        @Override
        public CompletionStage<Optional<PreKeyCounts>> publish(String nickname, List<PreKeyRecord> records) {
            StoreArguments.requireNickname(nickname, "nickname");
            List<PreKeyRecord> copy = StoreArguments.requirePublication(records);
            int max = limits.maxPreKeysPerKind();
            return write(db -> {
                if (!accountExists(db, nickname)) {
                    return Optional.empty();
                }
                EnumMap<PreKeyKind, Integer> held = new EnumMap<>(PreKeyKind.class);
                held.putAll(counts(db, nickname).counts());
                for (PreKeyRecord r : copy) {
                    if (r.kind().rule() == PreKeyKind.HandoutRule.KEPT) {
                        PreparedStatement d = db.prepare("DELETE FROM pre_key WHERE nickname = ? AND kind = ?");
                        d.setString(1, nickname);
                        d.setString(2, r.kind().code());
                        d.executeUpdate();
                    } else if (held.get(r.kind()) >= max) {
                        continue;
                    }
                    PreparedStatement p = db.prepare("INSERT OR IGNORE INTO pre_key (nickname, kind, key_id, record)"
                            + " VALUES (?, ?, ?, ?)");
                    p.setString(1, nickname);
                    p.setString(2, r.kind().code());
                    p.setInt(3, r.keyId());
                    p.setBytes(4, r.publicRecord());
                    if (p.executeUpdate() > 0 && r.kind().rule() == PreKeyKind.HandoutRule.CONSUMED) {
                        held.merge(r.kind(), 1, Integer::sum);
                    }
                }
                return Optional.of(counts(db, nickname));
            });
        }

        @Override
        public CompletionStage<Optional<PreKeyHandout>> take(String nickname, Set<PreKeyKind> kinds) {
            StoreArguments.requireNickname(nickname, "nickname");
            Set<PreKeyKind> wanted = StoreArguments.requireKinds(kinds);
            return write(db -> {
                if (!accountExists(db, nickname)) {
                    return Optional.empty();
                }
                EnumMap<PreKeyKind, PreKeyRecord> out = new EnumMap<>(PreKeyKind.class);
                for (PreKeyKind k : wanted) {
                    PreparedStatement p = db.prepare("SELECT id, key_id, record FROM pre_key"
                            + " WHERE nickname = ? AND kind = ? ORDER BY id LIMIT 1");
                    p.setString(1, nickname);
                    p.setString(2, k.code());
                    long id;
                    try (ResultSet rs = p.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        id = rs.getLong(1);
                        out.put(k, new PreKeyRecord(k, rs.getInt(2), rs.getBytes(3)));
                    }
                    if (k.rule() == PreKeyKind.HandoutRule.CONSUMED) {
                        PreparedStatement d = db.prepare("DELETE FROM pre_key WHERE id = ?");
                        d.setLong(1, id);
                        d.executeUpdate();
                    }
                }
                return Optional.of(new PreKeyHandout(out, counts(db, nickname)));
            });
        }

        @Override
        public CompletionStage<Integer> withdraw(String nickname, PreKeyKind kind, Collection<Integer> keyIds) {
            StoreArguments.requireNickname(nickname, "nickname");
            Objects.requireNonNull(kind, "kind");
            List<Integer> ids = List.copyOf(keyIds);
            return write(db -> {
                int removed = 0;
                PreparedStatement d = db.prepare("DELETE FROM pre_key WHERE nickname = ? AND kind = ? AND key_id = ?");
                for (Integer id : ids) {
                    d.setString(1, nickname);
                    d.setString(2, kind.code());
                    d.setInt(3, id);
                    removed += d.executeUpdate();
                }
                return removed;
            });
        }

        @Override
        public CompletionStage<Optional<PreKeyCounts>> count(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return read(db -> accountExists(db, nickname) ? Optional.of(counts(db, nickname)) : Optional.empty());
        }
    }

    private static Optional<QueueUsage> usageOf(Db db, String recipient) throws SQLException {
        PreparedStatement p = db.prepare("SELECT message_count, byte_count FROM queue_totals WHERE recipient = ?");
        p.setString(1, recipient);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(new QueueUsage(rs.getInt(1), rs.getLong(2))) : Optional.empty();
        }
    }

    private final class Messages implements MessageQueueStore {
        @Override
        public CompletionStage<EnqueueResult> enqueue(String recipient, String sender, byte[] envelope) {
            StoreArguments.requireNickname(recipient, "recipient");
            StoreArguments.requireNickname(sender, "sender");
            byte[] copy = StoreArguments.requireBytes(envelope, "envelope");
            long now = clock.millis();
            return write(db -> {
                Optional<QueueUsage> usage = usageOf(db, recipient);
                if (usage.isEmpty()) {
                    return new EnqueueResult.Refused(EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT, 0);
                }
                Optional<EnqueueResult.Refused> refused = limits.refusal(usage.get(), copy.length);
                if (refused.isPresent()) {
                    PreparedStatement purge = db.prepare(
                            "DELETE FROM message WHERE recipient = ? AND sent_at_ms <= ?");
                    purge.setString(1, recipient);
                    purge.setLong(2, limits.expiryCutoffMillis(now));
                    if (purge.executeUpdate() > 0) {
                        refused = limits.refusal(usageOf(db, recipient).orElseThrow(), copy.length);
                    }
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                }
                PreparedStatement p = db.prepare("INSERT INTO message (recipient, sender, sent_at_ms, envelope)"
                        + " VALUES (?, ?, ?, ?) RETURNING id");
                p.setString(1, recipient);
                p.setString(2, sender);
                p.setLong(3, now);
                p.setBytes(4, copy);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return new EnqueueResult.Stored(rs.getLong(1), Instant.ofEpochMilli(now));
                }
            });
        }

        @Override
        public CompletionStage<List<StoredMessage>> fetch(String recipient, long afterMessageId, int maxMessages) {
            StoreArguments.requireNickname(recipient, "recipient");
            StoreArguments.requireFetch(afterMessageId, maxMessages);
            long cutoff = limits.expiryCutoffMillis(clock.millis());
            return read(db -> {
                PreparedStatement p = db.prepare("SELECT id, sender, sent_at_ms, envelope FROM message"
                        + " WHERE recipient = ? AND id > ? AND sent_at_ms > ? ORDER BY id LIMIT ?");
                p.setString(1, recipient);
                p.setLong(2, afterMessageId);
                p.setLong(3, cutoff);
                p.setInt(4, maxMessages);
                List<StoredMessage> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredMessage(rs.getLong(1), recipient, rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3)), rs.getBytes(4)));
                    }
                }
                return List.copyOf(out);
            });
        }

        @Override
        public CompletionStage<Integer> acknowledge(String recipient, Collection<Long> messageIds) {
            StoreArguments.requireNickname(recipient, "recipient");
            List<Long> ids = StoreArguments.requireIds(messageIds);
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            // One statement for the whole acknowledgement: the ids travel as one JSON array, not one call each.
            StringBuilder json = new StringBuilder(ids.size() * 17).append('[');
            for (long id : ids) {
                json.append(json.length() > 1 ? "," : "").append(id);
            }
            String idArray = json.append(']').toString();
            return write(db -> {
                PreparedStatement p = db.prepare("DELETE FROM message WHERE recipient = ?"
                        + " AND id IN (SELECT value FROM json_each(?))");
                p.setString(1, recipient);
                p.setString(2, idArray);
                return p.executeUpdate();
            });
        }

        @Override
        public CompletionStage<QueueUsage> usage(String recipient) {
            StoreArguments.requireNickname(recipient, "recipient");
            return read(db -> usageOf(db, recipient).orElse(new QueueUsage(0, 0)));
        }

        @Override
        public CompletionStage<Optional<QueueTotals>> totals() {
            // Two indexed reads: the per-recipient totals the triggers keep, and the first entry of the index on
            // sent_at_ms. Never a scan of the messages.
            return read(db -> {
                long messages;
                long bytes;
                try (ResultSet rs = db.prepare("SELECT coalesce(sum(message_count), 0), coalesce(sum(byte_count), 0)"
                        + " FROM queue_totals").executeQuery()) {
                    rs.next();
                    messages = rs.getLong(1);
                    bytes = rs.getLong(2);
                }
                Optional<Instant> oldest = Optional.empty();
                try (ResultSet rs = db.prepare("SELECT min(sent_at_ms) FROM message").executeQuery()) {
                    if (rs.next()) {
                        long ms = rs.getLong(1);
                        if (!rs.wasNull()) {
                            oldest = Optional.of(Instant.ofEpochMilli(ms));
                        }
                    }
                }
                // Both reads see one snapshot only inside a transaction; between two, a message may come or go.
                if (messages == 0 || oldest.isEmpty()) {
                    return Optional.of(new QueueTotals(0, 0, Optional.empty()));
                }
                return Optional.of(new QueueTotals(messages, bytes, oldest));
            });
        }

        @Override
        public CompletionStage<Integer> purgeExpired() {
            long cutoff = limits.expiryCutoffMillis(clock.millis());
            return write(db -> {
                PreparedStatement p = db.prepare("DELETE FROM message WHERE sent_at_ms <= ?");
                p.setLong(1, cutoff);
                return p.executeUpdate();
            });
        }
    }
}
