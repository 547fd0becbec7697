package io.securecomm.internal.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Coalesces the tasks one event loop hands to others: what its iteration hands to a loop is gathered and handed over
 * in one task after the iteration, as {@link FlushBatch} coalesces flushes. The relay's cross-loop traffic is a write
 * task to the recipient's loop per message and a task back with its outcome; with many connections per loop, one
 * iteration (every ready connection's reads, then the queued tasks) hands a loop dozens of them, each a queue
 * operation and, when that loop sleeps, a wake-up (a system call on each side). Batched, they cost one of each per
 * iteration and target loop.
 *
 * <p>Order: the tasks for one target loop run in the order they were added, and one source loop's batches reach a
 * target loop in the order they were handed over; so does everything a loop hands to another through this class. A
 * task handed over from anywhere else (another thread, an {@code EmbeddedChannel}'s loop) goes at once, alone.
 *
 * <p>One batch per loop thread, touched only by it.
 */
final class LoopBatch implements Runnable {
    private static final FastThreadLocal<LoopBatch> BATCH = new FastThreadLocal<>() {
        @Override
        protected LoopBatch initialValue() {
            return new LoopBatch();
        }
    };

    /** A task for another loop, told if that loop no longer takes tasks (the relay's threads are stopping). */
    interface Task extends Runnable {
        /**
         * The target loop refused the task: it will never run.
         *
         * @param stopped the target's refusal
         */
        default void rejected(RejectedExecutionException stopped) {}
    }

    /** The target loops of this iteration, and for each its tasks in order (same index). */
    private final List<EventLoop> targets = new ArrayList<>(4);
    private final List<List<Task>> tasks = new ArrayList<>(4);
    private boolean scheduled;

    private LoopBatch() {}

    /**
     * Hands a task to another loop: after the current iteration, with the others for that loop, when called on an
     * event loop that has iterations; at once otherwise.
     *
     * @param current the loop of the calling thread's connection, or {@code null} if there is none
     * @param target the loop to run the task on
     * @param task the task
     */
    static void execute(EventLoop current, EventLoop target, Task task) {
        if (current instanceof SingleThreadEventLoop singleThread && current.inEventLoop()) {
            BATCH.get().add(singleThread, target, task);
        } else {
            submit(target, List.of(task));
        }
    }

    private void add(SingleThreadEventLoop current, EventLoop target, Task task) {
        int i = targets.indexOf(target);
        if (i < 0) {
            targets.add(target);
            tasks.add(new ArrayList<>());
            i = targets.size() - 1;
        }
        tasks.get(i).add(task);
        if (!scheduled) {
            scheduled = true;
            try {
                current.executeAfterEventLoopIteration(this);
            } catch (RejectedExecutionException stopping) {
                run(); // this loop runs no more iterations: hand the batch over now
            }
        }
    }

    /** The after-iteration task: one task per target loop, running that loop's tasks in order. */
    @Override
    public void run() {
        scheduled = false;
        // Copied out first: a task that runs on this loop later may add to the next batch.
        List<EventLoop> loops = List.copyOf(targets);
        List<List<Task>> lists = List.copyOf(tasks);
        targets.clear();
        tasks.clear();
        for (int i = 0; i < loops.size(); i++) {
            submit(loops.get(i), lists.get(i));
        }
    }

    private static void submit(EventLoop target, List<Task> batch) {
        try {
            target.execute(() -> {
                for (Task task : batch) {
                    try {
                        task.run();
                    } catch (RuntimeException bug) {
                        // As the loop itself does with a task that throws: logged, and the others still run.
                        NettyRelayServer.LOG.log(System.Logger.Level.WARNING, "a task handed to an event loop threw",
                                bug);
                    }
                }
            });
        } catch (RejectedExecutionException stopped) {
            for (Task task : batch) {
                task.rejected(stopped);
            }
        }
    }
}
