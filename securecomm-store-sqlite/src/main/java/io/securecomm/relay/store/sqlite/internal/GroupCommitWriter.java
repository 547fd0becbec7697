package io.securecomm.relay.store.sqlite.internal;

import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreHealth;
import io.securecomm.relay.store.StoreMeter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that touches the database. Callers submit units of work from any thread; the writer takes
 * everything waiting (up to a batch size), runs it in <b>one</b> transaction, commits, and only then completes
 * the callers' futures, so many writes share one {@code fsync} (group commit) and a future that completes means
 * its change is durable.
 *
 * <p>If a batch fails it is rolled back. A batch that failed because the database is full is retried one unit
 * per transaction, so that units that free space (acknowledgements) still go through; any other failure fails
 * the whole batch. Each failure makes the store unhealthy; while unhealthy and idle, the writer probes with a
 * small write every probe interval, and the first write that commits makes it healthy again.
 */
public final class GroupCommitWriter {
    /** A unit of work, run on the writer thread inside a transaction; it may run again if its batch failed. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param db the connection
         * @return the result, handed to the caller after the commit
         * @throws SQLException if a statement fails
         */
        T run(Db db) throws SQLException;
    }

    private static final class Pending<T> {
        final Work<T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;

        Pending(Work<T> work) {
            this.work = work;
        }

        void runIn(Db db) throws SQLException {
            result = work.run(db);
        }

        void complete() {
            future.complete(result);
        }
    }

    private static final Pending<Void> STOP = new Pending<>(db -> null);
    /** Operators' log: the store's changes of health, never what it stores. */
    private static final System.Logger LOG = System.getLogger("io.securecomm.relay.store.sqlite");

    private final Db db;
    private final Path file;
    private final Clock clock;
    private final Executor completions;
    private final int maxBatch;
    private final int maxPending;
    private final Duration probeInterval;
    private final Work<Boolean> probe;
    private final StoreMeter meter;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private final Object healthLock = new Object();
    private volatile StoreHealth health;
    private final List<CompletableFuture<Void>> healthWaiters = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Creates the writer and starts its thread.
     *
     * @param db the open connection, handed over to the writer thread
     * @param file the database file, for messages
     * @param clock the store's clock, for health times
     * @param completions where callers' futures are completed
     * @param maxBatch the most units in one transaction
     * @param maxPending the most units waiting; beyond it submissions fail with OVERLOADED
     * @param probeInterval how often an unhealthy, idle writer tries a write
     * @param probe the probe write: {@code true} if the store looks writable again
     * @param meter told of every commit's time and every failed write
     */
    public GroupCommitWriter(Db db, Path file, Clock clock, Executor completions, int maxBatch, int maxPending,
            Duration probeInterval, Work<Boolean> probe, StoreMeter meter) {
        this.db = db;
        this.file = file;
        this.clock = clock;
        this.completions = completions;
        this.maxBatch = maxBatch;
        this.maxPending = maxPending;
        this.probeInterval = probeInterval;
        this.probe = probe;
        this.meter = meter;
        this.health = StoreHealth.healthy(clock.instant());
        this.thread = new Thread(this::loop, "securecomm-store-writer " + file.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Submits a change.
     *
     * @param work the work
     * @param <T> its result type
     * @return completes with the result after the commit, or fails with {@link StoreException}
     */
    public <T> CompletableFuture<T> submit(Work<T> work) {
        Pending<T> p = new Pending<>(work);
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.OVERLOADED,
                    "the relay store " + file + " has " + maxPending + " operations waiting; try again later"));
        }
        queue.add(p);
        // A submission racing close() may land after the writer stopped: take it back and fail it.
        if (closed && queue.remove(p)) {
            pending.decrementAndGet();
            p.future.completeExceptionally(closedException());
        }
        return p.future;
    }

    /**
     * Whether the store is working.
     *
     * @return the current health
     */
    public StoreHealth health() {
        return health;
    }

    /**
     * Completes when healthy.
     *
     * @return a stage that completes when the store is healthy, or fails if it is closed first
     */
    public CompletableFuture<Void> whenHealthy() {
        synchronized (healthLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (health.healthy()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            healthWaiters.add(f);
            return f;
        }
    }

    /**
     * Lets the writer finish what was submitted, stops it, and closes the connection. Blocks until done;
     * idempotent.
     */
    public void close() {
        synchronized (healthLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<Pending<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending<?> p : left) {
            p.future.completeExceptionally(closedException());
        }
        List<CompletableFuture<Void>> waiters;
        synchronized (healthLock) {
            health = StoreHealth.failing(closedException(), clock.instant());
            waiters = new ArrayList<>(healthWaiters);
            healthWaiters.clear();
        }
        waiters.forEach(w -> w.completeExceptionally(closedException()));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private StoreException closedException() {
        return new StoreException(StoreException.Reason.CLOSED, "the relay store " + file + " is closed");
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        try {
            boolean stop = false;
            while (!stop) {
                Pending<?> first = health.healthy()
                        ? queue.take()
                        : queue.poll(probeInterval.toNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    probe();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (batch.remove(STOP)) {
                    stop = true;
                }
                pending.addAndGet(-batch.size());
                if (!batch.isEmpty()) {
                    execute(batch);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // Only close() stops the writer; an interrupt from elsewhere ends it too, leaving the rest to close().
            Thread.currentThread().interrupt();
        } finally {
            db.close();
        }
    }

    private void execute(List<Pending<?>> batch) {
        long startNanos = System.nanoTime();
        try {
            db.execute("BEGIN IMMEDIATE");
            try {
                for (Pending<?> p : batch) {
                    p.runIn(db);
                }
                db.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw e;
            }
        } catch (SQLException e) {
            StoreException failure = SqliteErrors.map(file, "write", e);
            if (batch.size() > 1 && failure.reason() == StoreException.Reason.FULL) {
                for (Pending<?> p : batch) {
                    execute(List.of(p));
                }
                return;
            }
            measure(() -> meter.writeFailed(failure.reason()));
            becomeFailing(failure);
            fail(batch, failure);
            return;
        } catch (RuntimeException bug) {
            // A bug in one unit must not fail the others: run them one by one, and fail only the guilty one.
            if (batch.size() > 1) {
                for (Pending<?> p : batch) {
                    execute(List.of(p));
                }
            } else {
                fail(batch, bug);
            }
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        measure(() -> meter.committed(batch.size(), took));
        becomeHealthy();
        completeAll(batch);
    }

    /** Calls the meter, ignoring what it throws: an operator's meter must not stop the writer. */
    private static void measure(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // as StoreMeter documents
        }
    }

    private void rollback() {
        db.forgetStatements();
        try {
            db.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // No transaction was open (BEGIN failed), or SQLite already rolled it back (as it does on SQLITE_FULL).
        }
    }

    private void probe() {
        try {
            db.execute("BEGIN IMMEDIATE");
            boolean writable;
            try {
                writable = probe.run(db);
                db.execute("COMMIT");
            } catch (SQLException e) {
                rollback();
                throw e;
            }
            if (writable) {
                becomeHealthy();
            }
        } catch (SQLException e) {
            becomeFailing(SqliteErrors.map(file, "write", e));
        }
    }

    private void becomeHealthy() {
        if (health.healthy()) {
            return;
        }
        List<CompletableFuture<Void>> waiters;
        synchronized (healthLock) {
            health = StoreHealth.healthy(clock.instant());
            waiters = new ArrayList<>(healthWaiters);
            healthWaiters.clear();
        }
        LOG.log(System.Logger.Level.INFO, "relay store {0} is healthy again: writes go through", file);
        hand(() -> waiters.forEach(w -> w.complete(null)));
    }

    private void becomeFailing(StoreException failure) {
        if (health.healthy()) {
            // Once per failing spell, not once per failed write or probe.
            LOG.log(System.Logger.Level.WARNING, "relay store {0} is failing ({1}): {2}", file, failure.reason(),
                    failure.getMessage());
        }
        synchronized (healthLock) {
            health = StoreHealth.failing(failure, health.healthy() ? clock.instant() : health.since());
        }
    }

    private void fail(List<Pending<?>> batch, Throwable failure) {
        List<Pending<?>> failed = List.copyOf(batch);
        hand(() -> failed.forEach(p -> p.future.completeExceptionally(failure)));
    }

    private void completeAll(List<Pending<?>> batch) {
        List<Pending<?>> done = List.copyOf(batch);
        hand(() -> done.forEach(Pending::complete));
    }

    /** Completes futures off the writer thread, so a caller's dependent action can never stall the writer. */
    private void hand(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }
}
