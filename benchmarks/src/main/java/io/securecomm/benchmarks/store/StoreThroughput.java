package io.securecomm.benchmarks.store;

import io.securecomm.cluster.redis.RedisRelayStore;
import io.securecomm.cluster.redis.RedisStoreOptions;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.QueueUsage;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoredMessage;
import io.securecomm.relay.store.sqlite.SqliteRelayStore;
import io.securecomm.relay.store.sqlite.SqliteStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stored and drained messages per second, in one run, through:
 * <ol>
 *   <li>the SQLite store ({@code synchronous=FULL}, WAL, group commit), producers keeping a window of enqueues
 *       in flight, as a relay's many connections do;</li>
 *   <li>the in-memory store, same workload (the ceiling: no disk);</li>
 *   <li>a naive loop on raw JDBC, same pragmas, one transaction (so one {@code fsync}) per message stored and
 *       per message acknowledged (the baseline group commit is measured against);</li>
 *   <li>with {@code --redis URI}, the Redis store ({@code securecomm-cluster-redis}) on that server, same
 *       workload: what sharing the store between relay nodes costs against the embedded one (start the server
 *       with the persistence to measure, e.g. {@code appendonly yes}, {@code appendfsync always}).</li>
 * </ol>
 * "Drained" is what a reconnecting recipient costs: pages of 256 read in order, each page acknowledged (deleted)
 * while the next is read, until the queue is empty. Every run checks that every message was stored once and
 * that the queues end empty.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.store.StoreThroughput \
 *     [--messages 200000] [--naive-messages 2000] [--recipients 100] [--producers 4] [--window 512] \
 *     [--envelope-bytes 256] [--dir PATH] [--redis redis://127.0.0.1:6379]
 * </pre>
 */
public final class StoreThroughput {
    private static final int PAGE = 256;
    private static final int DRAINERS = 4;

    /**
     * The workload.
     *
     * @param messages messages per store run
     * @param naiveMessages messages for the naive baseline (it pays an fsync each, so keep it small)
     * @param recipients how many accounts the messages are spread over
     * @param producers threads enqueueing at once
     * @param window enqueues each producer keeps in flight
     * @param envelopeBytes the size of each envelope
     * @param dir where the database files go (not tmpfs, or the fsyncs are free)
     * @param redisUri the Redis server to measure the Redis store on, or {@code null} to skip it
     */
    public record Config(int messages, int naiveMessages, int recipients, int producers, int window,
            int envelopeBytes, Path dir, String redisUri) {
        /**
         * The workload without the Redis store.
         *
         * @param messages messages per store run
         * @param naiveMessages messages for the naive baseline
         * @param recipients how many accounts the messages are spread over
         * @param producers threads enqueueing at once
         * @param window enqueues each producer keeps in flight
         * @param envelopeBytes the size of each envelope
         * @param dir where the database files go
         */
        public Config(int messages, int naiveMessages, int recipients, int producers, int window,
                int envelopeBytes, Path dir) {
            this(messages, naiveMessages, recipients, producers, window, envelopeBytes, dir, null);
        }
    }

    /**
     * One measured store.
     *
     * @param name what was measured
     * @param stored messages stored
     * @param storeSeconds time to store them all (first call to last completion)
     * @param drainSeconds time to read and acknowledge them all
     */
    public record Result(String name, int stored, double storeSeconds, double drainSeconds) {
        /**
         * Stored messages per second.
         *
         * @return the rate
         */
        public double storedPerSecond() {
            return stored / storeSeconds;
        }

        /**
         * Drained messages per second.
         *
         * @return the rate
         */
        public double drainedPerSecond() {
            return stored / drainSeconds;
        }
    }

    private StoreThroughput() {}

    /**
     * Runs the benchmark and prints the report.
     *
     * @param args options, see the class description
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Config c = parse(args);
        System.out.println(format(c, run(c)));
    }

    static Config parse(String[] args) throws IOException {
        int messages = 200_000;
        int naive = 2_000;
        int recipients = 100;
        int producers = 4;
        int window = 512;
        int envelope = 256;
        Path dir = null;
        String redis = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(v);
                case "--naive-messages" -> naive = Integer.parseInt(v);
                case "--recipients" -> recipients = Integer.parseInt(v);
                case "--producers" -> producers = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--envelope-bytes" -> envelope = Integer.parseInt(v);
                case "--dir" -> dir = Path.of(v);
                case "--redis" -> redis = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            Files.createDirectories(Path.of("target"));
            dir = Files.createTempDirectory(Path.of("target"), "store-bench");
        }
        return new Config(messages, naive, recipients, producers, window, envelope, dir, redis);
    }

    /**
     * Runs the three measurements.
     *
     * @param c the workload
     * @return SQLite with group commit, in memory, naive SQLite, and Redis if {@link Config#redisUri()} is set
     * @throws Exception if a run fails or loses a message
     */
    public static List<Result> run(Config c) throws Exception {
        StoreLimits roomy = StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(Integer.MAX_VALUE)
                .withMaxQueuedBytesPerRecipient(Long.MAX_VALUE);
        List<Result> results = new ArrayList<>();
        Path file = c.dir().resolve("group-commit.db");
        deleteDatabase(file);
        try (SqliteRelayStore store = SqliteRelayStore.open(file, SqliteStoreOptions.builder().limits(roomy)
                .checkIntegrityOnOpen(false).build())) {
            results.add(measure("SQLite store, group commit", store, c));
        }
        deleteDatabase(file);
        try (InMemoryRelayStore store = new InMemoryRelayStore(Clock.systemUTC(), roomy)) {
            results.add(measure("in-memory store", store, c));
        }
        Path naiveFile = c.dir().resolve("naive.db");
        deleteDatabase(naiveFile);
        results.add(naive(naiveFile, c));
        deleteDatabase(naiveFile);
        if (c.redisUri() != null) {
            // A prefix of its own, so a run never meets an earlier run's accounts.
            try (RedisRelayStore store = RedisRelayStore.open(c.redisUri(), RedisStoreOptions.builder()
                    .limits(roomy).keyPrefix("bench-" + System.currentTimeMillis()).build())) {
                results.add(measure("Redis store (" + store.where() + ")", store, c));
            }
        }
        return results;
    }

    private static void deleteDatabase(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    private static String recipient(int i) {
        return "r" + i;
    }

    private static Result measure(String name, RelayStore store, Config c) throws Exception {
        for (int r = 0; r < c.recipients(); r++) {
            store.accounts().register(recipient(r), new byte[] {(byte) r, 1}).toCompletableFuture().get();
        }
        byte[] envelope = new byte[c.envelopeBytes()];
        ThreadLocalRandom.current().nextBytes(envelope);

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(c.producers(), DRAINERS));
        try {
            long t0 = System.nanoTime();
            List<Future<Integer>> producers = new ArrayList<>();
            for (int p = 0; p < c.producers(); p++) {
                int producer = p;
                producers.add(pool.submit(() -> produce(store, c, producer, envelope)));
            }
            int stored = 0;
            for (Future<Integer> f : producers) {
                stored += f.get(10, TimeUnit.MINUTES);
            }
            double storeSeconds = (System.nanoTime() - t0) / 1e9;
            if (stored != c.messages()) {
                throw new IllegalStateException(name + ": stored " + stored + " of " + c.messages());
            }

            long t1 = System.nanoTime();
            List<Future<Integer>> drains = new ArrayList<>();
            for (int d = 0; d < DRAINERS; d++) {
                int drainer = d;
                drains.add(pool.submit(() -> drain(store, c, drainer, DRAINERS)));
            }
            int drained = 0;
            for (Future<Integer> f : drains) {
                drained += f.get(10, TimeUnit.MINUTES);
            }
            double drainSeconds = (System.nanoTime() - t1) / 1e9;
            if (drained != stored) {
                throw new IllegalStateException(name + ": drained " + drained + " of " + stored);
            }
            for (int r = 0; r < c.recipients(); r++) {
                QueueUsage left = store.messages().usage(recipient(r)).toCompletableFuture().get();
                if (left.messages() != 0) {
                    throw new IllegalStateException(name + ": " + left + " left for " + recipient(r));
                }
            }
            return new Result(name, stored, storeSeconds, drainSeconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One producer: its share of the messages, round-robin over the recipients, a window in flight. */
    private static int produce(RelayStore store, Config c, int producer, byte[] envelope) throws Exception {
        Semaphore window = new Semaphore(c.window());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] stored = new int[1];
        int count = 0;
        for (int i = producer; i < c.messages(); i += c.producers()) {
            window.acquire();
            count++;
            store.messages().enqueue(recipient(i % c.recipients()), "sender" + producer, envelope)
                    .whenComplete((r, e) -> {
                        if (e != null || !(r instanceof EnqueueResult.Stored)) {
                            failure.compareAndSet(null, e != null ? e : new IllegalStateException(r.toString()));
                        } else {
                            synchronized (stored) {
                                stored[0]++;
                            }
                        }
                        window.release();
                    });
            if (failure.get() != null) {
                break;
            }
        }
        window.acquire(c.window());
        if (failure.get() != null) {
            throw new IllegalStateException("an enqueue failed", failure.get());
        }
        synchronized (stored) {
            if (stored[0] != count) {
                throw new IllegalStateException("producer " + producer + " stored " + stored[0] + " of " + count);
            }
            return stored[0];
        }
    }

    /** One drainer: its recipients, one after the other; each page is acknowledged while the next is read. */
    private static int drain(RelayStore store, Config c, int drainer, int drainers) throws Exception {
        int drained = 0;
        List<CompletableFuture<Integer>> acks = new ArrayList<>();
        for (int r = drainer; r < c.recipients(); r += drainers) {
            long after = 0;
            while (true) {
                List<StoredMessage> page = store.messages().fetch(recipient(r), after, PAGE).toCompletableFuture()
                        .get();
                if (page.isEmpty()) {
                    break;
                }
                List<Long> ids = new ArrayList<>(page.size());
                for (StoredMessage m : page) {
                    ids.add(m.messageId());
                }
                after = ids.get(ids.size() - 1);
                acks.add(store.messages().acknowledge(recipient(r), ids).toCompletableFuture());
            }
        }
        for (CompletableFuture<Integer> a : acks) {
            drained += a.get(10, TimeUnit.MINUTES);
        }
        return drained;
    }

    /** The baseline: raw JDBC, the same pragmas, one transaction per message stored and per message deleted. */
    private static Result naive(Path file, Config c) throws SQLException {
        int n = c.naiveMessages();
        byte[] envelope = new byte[c.envelopeBytes()];
        ThreadLocalRandom.current().nextBytes(envelope);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            s.execute("CREATE TABLE message (id INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL,"
                    + " sender TEXT NOT NULL, sent_at_ms INTEGER NOT NULL, envelope BLOB NOT NULL)");
            s.execute("CREATE INDEX message_by_recipient ON message(recipient)");
            long t0 = System.nanoTime();
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO message (recipient, sender, sent_at_ms, envelope) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    insert.setString(1, recipient(i % c.recipients()));
                    insert.setString(2, "sender");
                    insert.setLong(3, System.currentTimeMillis());
                    insert.setBytes(4, envelope);
                    insert.executeUpdate();
                }
            }
            double storeSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            int drained = 0;
            try (PreparedStatement select = db.prepareStatement("SELECT id, sender, sent_at_ms, envelope FROM message"
                    + " WHERE recipient = ? AND id > ? ORDER BY id LIMIT " + PAGE);
                    PreparedStatement delete = db.prepareStatement("DELETE FROM message WHERE id = ?")) {
                for (int r = 0; r < c.recipients(); r++) {
                    long after = 0;
                    while (true) {
                        select.setString(1, recipient(r));
                        select.setLong(2, after);
                        List<Long> ids = new ArrayList<>();
                        try (ResultSet rs = select.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                                rs.getBytes(4);
                            }
                        }
                        if (ids.isEmpty()) {
                            break;
                        }
                        after = ids.get(ids.size() - 1);
                        for (long id : ids) {
                            delete.setLong(1, id);
                            drained += delete.executeUpdate();
                        }
                    }
                }
            }
            double drainSeconds = (System.nanoTime() - t1) / 1e9;
            if (drained != n) {
                throw new IllegalStateException("naive: drained " + drained + " of " + n);
            }
            return new Result("naive SQLite, one transaction per message", n, storeSeconds, drainSeconds);
        }
    }

    /**
     * The report: the machine, the workload, one line per store, and the ratios.
     *
     * @param c the workload
     * @param results what {@link #run} returned
     * @return the text
     * @throws IOException if the file system cannot be described
     */
    public static String format(Config c, List<Result> results) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "cores %d, load %s, file system %s (%s)%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), Files.getFileStore(c.dir()).type(),
                c.dir().toAbsolutePath()));
        b.append(String.format(Locale.ROOT, "%d messages (naive: %d) of %d bytes to %d recipients; %d producers "
                + "x %d in flight; drained in pages of %d by %d readers%n", c.messages(), c.naiveMessages(),
                c.envelopeBytes(), c.recipients(), c.producers(), c.window(), PAGE, DRAINERS));
        b.append(String.format(Locale.ROOT, "%-44s %12s %12s%n", "store", "stored/s", "drained/s"));
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%-44s %,12.0f %,12.0f%n", r.name(), r.storedPerSecond(),
                    r.drainedPerSecond()));
        }
        Result group = results.get(0);
        Result memory = results.get(1);
        Result naive = results.get(2);
        b.append(String.format(Locale.ROOT, "group commit / naive: stored x%.1f, drained x%.1f%n",
                group.storedPerSecond() / naive.storedPerSecond(),
                        group.drainedPerSecond() / naive.drainedPerSecond()));
        b.append(String.format(Locale.ROOT, "group commit / in-memory: stored %.2f, drained %.2f",
                group.storedPerSecond() / memory.storedPerSecond(),
                        group.drainedPerSecond() / memory.drainedPerSecond()));
        if (results.size() > 3) {
            Result redis = results.get(3);
            b.append(String.format(Locale.ROOT, "%nRedis / SQLite group commit: stored %.2f, drained %.2f",
                    redis.storedPerSecond() / group.storedPerSecond(),
                    redis.drainedPerSecond() / group.drainedPerSecond()));
        }
        return b.toString();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
