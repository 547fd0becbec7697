package io.securecomm.relay.store.sqlite.internal;

import io.securecomm.relay.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread that answers reads, on its own connection. In WAL mode a reader sees the last committed state and
 * never waits for the writer, so fetching a recipient's queue does not wait for the {@code fsync} of other
 * callers' writes. A read sees every change whose stage completed before the read was called.
 */
public final class Reader {
    private final Db db;
    private final Path file;
    private final Executor completions;
    private final ThreadPoolExecutor thread;

    /**
     * Starts the reader.
     *
     * @param db its own connection, handed over to the reader thread
     * @param file the database file, for messages
     * @param completions where callers' futures are completed
     * @param maxPending the most reads waiting; beyond it reads fail with OVERLOADED
     */
    public Reader(Db db, Path file, Executor completions, int maxPending) {
        this.db = db;
        this.file = file;
        this.completions = completions;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxPending),
                r -> {
                    Thread t = new Thread(r, "securecomm-store-reader " + file.getFileName());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Submits a read. It runs in one read transaction, so it sees one consistent state.
     *
     * @param work the read
     * @param <T> its result type
     * @return completes with the result, or fails with {@link StoreException}
     */
    public <T> CompletableFuture<T> submit(GroupCommitWriter.Work<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            thread.execute(() -> run(work, future));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(thread.isShutdown()
                    ? new StoreException(StoreException.Reason.CLOSED, "the relay store " + file + " is closed")
                    : new StoreException(StoreException.Reason.OVERLOADED, "the relay store " + file
                            + " has too many reads waiting; try again later"));
        }
        return future;
    }

    private <T> void run(GroupCommitWriter.Work<T> work, CompletableFuture<T> future) {
        T result;
        try {
            db.execute("BEGIN");
            try {
                result = work.run(db);
            } finally {
                db.execute("COMMIT");
            }
        } catch (SQLException e) {
            db.forgetStatements();
            try {
                db.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // No transaction was left open.
            }
            StoreException failure = SqliteErrors.map(file, "read", e);
            hand(() -> future.completeExceptionally(failure));
            return;
        } catch (RuntimeException bug) {
            hand(() -> future.completeExceptionally(bug));
            return;
        }
        hand(() -> future.complete(result));
    }

    private void hand(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    /** Answers the reads already submitted, then closes the connection. Blocks until done. */
    public void close() {
        thread.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        db.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
