package io.securecomm.relay.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.PreKeyRecord;
import io.securecomm.relay.store.QueueUsage;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoredMessage;
import io.securecomm.relay.store.sqlite.internal.Schema;
import io.securecomm.relay.store.tck.AdjustableClock;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a durable store has: data across close and reopen, schema versions and migration, files it must
 * refuse to open, and failures at run time that it recovers from by itself. The rules every store follows are in
 * {@link SqliteRelayStoreConformanceTest}.
 */
class SqliteRelayStoreTest {
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    private final AdjustableClock clock = new AdjustableClock(START);

    private SqliteStoreOptions.Builder options() {
        return SqliteStoreOptions.builder().clock(clock);
    }

    private SqliteRelayStore open(Path file) throws StoreException {
        return SqliteRelayStore.open(file, options().build());
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static byte[] key(int n) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) n);
        return k;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long stored(CompletionStage<EnqueueResult> stage) throws Exception {
        return assertInstanceOf(EnqueueResult.Stored.class, await(stage)).messageId();
    }

    private static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static long pragma(Path file, String name) throws SQLException {
        try (Connection c = raw(file); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "PRAGMA " + name)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private StoreException openFails(Path file) {
        return assertThrows(StoreException.class, () -> SqliteRelayStore.open(file,
                options().busyTimeout(Duration.ofMillis(100)).build()).close());
    }

    // ---------------------------------------------------------------- durability

    @Test
    void everythingSurvivesCloseAndReopen() throws Exception {
        Path file = dir.resolve("relay.db");
        long acked;
        long kept;
        try (SqliteRelayStore store = open(file)) {
            await(store.accounts().register("bob", key(1)));
            await(store.accounts().register("carol", key(2)));
            await(store.preKeys().publish("bob", List.of(new PreKeyRecord(PreKeyKind.SIGNED, 1, bytes("s")),
                    new PreKeyRecord(PreKeyKind.ONE_TIME, 1, bytes("o1")),
                    new PreKeyRecord(PreKeyKind.ONE_TIME, 2, bytes("o2")))));
            await(store.preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME)));
            kept = stored(store.messages().enqueue("bob", "alice", bytes("kept")));
            acked = stored(store.messages().enqueue("bob", "alice", bytes("acked")));
            await(store.messages().acknowledge("bob", List.of(acked)));
        }
        assertEquals(Schema.CURRENT_VERSION, pragma(file, "user_version"));
        assertEquals(Schema.APPLICATION_ID, pragma(file, "application_id"));
        clock.advance(Duration.ofMinutes(1));
        try (SqliteRelayStore store = open(file)) {
            assertEquals(List.of("bob", "carol"),
                    await(store.accounts().list()).stream().map(Account::nickname).toList());
            assertEquals(START, await(store.accounts().find("bob")).orElseThrow().registeredAt());
            assertEquals(List.of(new StoredMessage(kept, "bob", "alice", START, bytes("kept"))),
                    await(store.messages().fetch("bob", 0, 10)));
            assertEquals(new QueueUsage(1, 4), await(store.messages().usage("bob")));
            var counts = await(store.preKeys().count("bob")).orElseThrow();
            assertEquals(1, counts.count(PreKeyKind.SIGNED));
            assertEquals(1, counts.count(PreKeyKind.ONE_TIME), "the handed-out one-time key stays deleted");
            assertTrue(stored(store.messages().enqueue("bob", "alice", bytes("new"))) > acked,
                    "an id is never assigned twice, even after the newest message was deleted");
        }
    }

    @Test
    void closingFinishesEveryOperationAlreadyCalled() throws Exception {
        Path file = dir.resolve("relay.db");
        List<CompletableFuture<EnqueueResult>> stages = new ArrayList<>();
        try (SqliteRelayStore store = open(file)) {
            await(store.accounts().register("bob", key(1)));
            for (int i = 0; i < 500; i++) {
                stages.add(store.messages().enqueue("bob", "alice", bytes("m" + i)).toCompletableFuture());
            }
        }
        for (CompletableFuture<EnqueueResult> f : stages) {
            assertInstanceOf(EnqueueResult.Stored.class, await(f));
        }
        try (SqliteRelayStore store = open(file)) {
            assertEquals(500, await(store.messages().fetch("bob", 0, 1000)).size());
        }
    }

    // ---------------------------------------------------------------- schema versions

    @Test
    void aVersionOneDatabaseIsMigratedWithItsData() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = raw(file)) {
            c.setAutoCommit(false);
            Schema.migrate(c, 0, 1);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO account VALUES ('bob', x'01', " + START.toEpochMilli() + ")");
                s.execute("INSERT INTO account VALUES ('carol', x'02', " + START.toEpochMilli() + ")");
                for (int i = 1; i <= 3; i++) {
                    s.execute("INSERT INTO message (recipient, sender, sent_at_ms, envelope) VALUES ('bob', 'alice', "
                            + START.toEpochMilli() + ", x'" + "ab".repeat(i) + "')");
                }
            }
            c.commit();
        }
        assertEquals(1, pragma(file, "user_version"));

        try (SqliteRelayStore store = SqliteRelayStore.open(file, options()
                .limits(StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(4)).build())) {
            assertEquals(new QueueUsage(3, 6), await(store.messages().usage("bob")), "totals filled from the data");
            assertEquals(new QueueUsage(0, 0), await(store.messages().usage("carol")));
            List<StoredMessage> queue = await(store.messages().fetch("bob", 0, 10));
            assertEquals(List.of(1, 2, 3), queue.stream().map(StoredMessage::envelopeBytes).toList());
            long newest = stored(store.messages().enqueue("bob", "alice", bytes("x")));
            assertTrue(newest > queue.get(2).messageId());
            assertEquals(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_MESSAGES, 4),
                    await(store.messages().enqueue("bob", "alice", bytes("y"))), "bounds work on migrated data");
            assertEquals(Registration.REGISTERED, await(store.accounts().register("dave", key(4))));
            assertEquals(new QueueUsage(0, 0), await(store.messages().usage("dave")));
        }
        assertEquals(Schema.CURRENT_VERSION, pragma(file, "user_version"));
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("relay.db");
        open(file).close();
        try (Connection c = raw(file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        StoreException e = openFails(file);
        assertEquals(StoreException.Reason.NEWER_VERSION, e.reason());
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains(file.toString()),
                e.getMessage());
        assertEquals(99, pragma(file, "user_version"));
    }

    // ---------------------------------------------------------------- files that are refused

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("relay.db");
        String text = "this is not a database, but someone's notes\n".repeat(200);
        Files.writeString(file, text);
        StoreException e = openFails(file);
        assertEquals(StoreException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a database"),
                e.getMessage());
        assertEquals(text, Files.readString(file), "never overwritten");
    }

    @Test
    void aDamagedDatabaseIsRefused() throws Exception {
        Path file = dir.resolve("relay.db");
        try (SqliteRelayStore store = open(file)) {
            await(store.accounts().register("bob", key(1)));
            for (int i = 0; i < 300; i++) {
                await(store.messages().enqueue("bob", "alice", bytes("message " + i + " ".repeat(100))));
            }
        }
        long pageSize = pragma(file, "page_size");
        long pages = Files.size(file) / pageSize;
        assertTrue(pages > 6, "the test needs a database of several pages, has " + pages);
        // Overwrite the header of every page after the first two: no b-tree page is valid any more.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            byte[] junk = new byte[16];
            Arrays.fill(junk, (byte) 0xee);
            for (long page = 2; page < pages; page++) {
                ch.write(ByteBuffer.wrap(junk), page * pageSize);
            }
        }
        StoreException e = openFails(file);
        assertEquals(StoreException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aDatabaseOfAnotherProgramIsRefused() throws Exception {
        Path file = dir.resolve("relay.db");
        try (Connection c = raw(file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')");
        }
        StoreException e = openFails(file);
        assertEquals(StoreException.Reason.NOT_A_STORE, e.reason());
        assertTrue(e.getMessage().contains("another program"), e.getMessage());
        assertEquals(0, pragma(file, "user_version"));
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsRefusedWithLocked() throws Exception {
        Path file = dir.resolve("relay.db");
        open(file).close();
        try (Connection other = raw(file); Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            StoreException e = openFails(file);
            assertEquals(StoreException.Reason.LOCKED, e.reason());
            assertTrue(e.getMessage().contains("another process holds its lock"), e.getMessage());
            s.execute("ROLLBACK");
        }
        open(file).close();
    }

    @Test
    void aFolderOrAMissingFolderIsRefusedWithIoError() {
        assertEquals(StoreException.Reason.IO_ERROR, openFails(dir).reason());
        assertEquals(StoreException.Reason.IO_ERROR, openFails(dir.resolve("missing").resolve("relay.db")).reason());
    }

    // ---------------------------------------------------------------- failures at run time

    @Test
    void aLockHeldByAnotherProcessFailsWritesUntilItIsReleased() throws Exception {
        Path file = dir.resolve("relay.db");
        try (SqliteRelayStore store = SqliteRelayStore.open(file, options().busyTimeout(Duration.ofMillis(100))
                .recoveryProbeInterval(Duration.ofMillis(10)).build())) {
            await(store.accounts().register("bob", key(1)));
            long before = stored(store.messages().enqueue("bob", "alice", bytes("before")));
            try (Connection other = raw(file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                StoreException e = assertThrows(StoreException.class,
                        () -> await(store.messages().enqueue("bob", "alice", bytes("during"))));
                assertEquals(StoreException.Reason.LOCKED, e.reason());
                assertFalse(store.health().healthy());
                assertEquals(StoreException.Reason.LOCKED, store.health().failure().orElseThrow().reason());
                assertFalse(store.whenHealthy().toCompletableFuture().isDone());
                CompletableFuture<Void> healthy = store.whenHealthy().toCompletableFuture();
                s.execute("ROLLBACK");
                // The store notices by itself (its probe), without another operation.
                healthy.get(30, TimeUnit.SECONDS);
            }
            assertTrue(store.health().healthy());
            long after = stored(store.messages().enqueue("bob", "alice", bytes("after")));
            List<StoredMessage> queue = await(store.messages().fetch("bob", 0, 10));
            assertEquals(List.of(before, after), queue.stream().map(StoredMessage::messageId).toList(),
                    "the failed message was not stored");
        }
    }

    @Test
    void aFullDatabaseFailsEnqueuesAndRecoversWhenAcknowledgementsFreeSpace() throws Exception {
        Path file = dir.resolve("relay.db");
        try (SqliteRelayStore store = SqliteRelayStore.open(file, options().maxDatabaseSizeBytes(128 * 1024)
                .recoveryProbeInterval(Duration.ofMillis(10)).build())) {
            await(store.accounts().register("bob", key(1)));
            byte[] big = new byte[3000];
            Arrays.fill(big, (byte) 'x');
            StoreException full = null;
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 200 && full == null; i++) {
                try {
                    ids.add(stored(store.messages().enqueue("bob", "alice", big)));
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "128 KiB cannot hold 200 messages of 3000 bytes");
            assertEquals(StoreException.Reason.FULL, full.reason());
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            assertFalse(store.health().healthy());
            assertEquals(ids.size(), await(store.messages().fetch("bob", 0, 1000)).size(),
                    "everything reported stored is there, nothing else");

            assertEquals(ids.size(), await(store.messages().acknowledge("bob", ids)));
            await(store.whenHealthy());
            assertTrue(store.health().healthy());
            stored(store.messages().enqueue("bob", "alice", big));
        }
    }

    @Test
    void tooManyWaitingOperationsAreRefusedWithOverloaded() throws Exception {
        Path file = dir.resolve("relay.db");
        try (SqliteRelayStore store = SqliteRelayStore.open(file, options().maxPendingOperations(1)
                .busyTimeout(Duration.ofMillis(500)).build())) {
            await(store.accounts().register("bob", key(1)));
            List<CompletableFuture<EnqueueResult>> stages = new ArrayList<>();
            try (Connection other = raw(file); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                // The writer waits for the lock with at most one operation in hand; a third cannot wait.
                for (int i = 0; i < 3; i++) {
                    stages.add(store.messages().enqueue("bob", "alice", bytes("m" + i)).toCompletableFuture());
                }
                s.execute("ROLLBACK");
            }
            long overloaded = 0;
            for (CompletableFuture<EnqueueResult> f : stages) {
                try {
                    await(f);
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.OVERLOADED) {
                        overloaded++;
                    }
                }
            }
            assertTrue(overloaded >= 1, "at least one of three operations found the queue full");
        }
    }
}
