package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks one event loop hands to another in an iteration go over in one task, after the iteration, in order; a loop
 * that stopped is told per task.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopBatchTest {
    private EventLoopGroup sources;
    private EventLoopGroup targets;
    private EventLoop source;
    private EventLoop target;

    @BeforeEach
    void start() {
        sources = Transports.newGroup(1, "loop-batch-source");
        targets = Transports.newGroup(1, "loop-batch-target");
        source = sources.next();
        target = targets.next();
    }

    @AfterEach
    void stop() throws Exception {
        sources.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        targets.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void oneIterationsTasksForALoopGoOverInOneTaskInOrder() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch working = new CountDownLatch(1);
        target.execute(() -> { // the target works on something else meanwhile
            working.countDown();
            await(busy);
        });
        // Until the target has taken that task off its queue, the queue would count it as pending too.
        assertTrue(working.await(10, TimeUnit.SECONDS), "the target is busy");
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allRan = new CountDownLatch(3);
        CompletableFuture<Integer> pendingDuringTheIteration = new CompletableFuture<>();
        CompletableFuture<Integer> pendingAfter = new CompletableFuture<>();
        source.execute(() -> {
            for (int i = 1; i <= 3; i++) {
                int n = i;
                LoopBatch.execute(source, target, () -> {
                    ran.add(n);
                    allRan.countDown();
                });
            }
            pendingDuringTheIteration.complete(((SingleThreadEventExecutor) target).pendingTasks());
            // After-iteration tasks run in the order they were added: this one right after the batch's hand-over.
            ((SingleThreadEventLoop) source).executeAfterEventLoopIteration(
                    () -> pendingAfter.complete(((SingleThreadEventExecutor) target).pendingTasks()));
        });
        assertEquals(0, pendingDuringTheIteration.get(10, TimeUnit.SECONDS), "held until the iteration ends");
        assertEquals(1, pendingAfter.get(10, TimeUnit.SECONDS), "three tasks, one hand-over");
        busy.countDown();
        assertTrue(allRan.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3), ran, "in the order they were added");
    }

    @Test
    void fromAThreadThatIsNoLoopATaskGoesAtOnce() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        LoopBatch.execute(null, target, () -> ranOn.complete(Thread.currentThread()));
        assertTrue(target.inEventLoop(ranOn.get(10, TimeUnit.SECONDS)), "on the target's loop");
    }

    @Test
    void aLoopThatStoppedRefusesEachTask() throws Exception {
        targets.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        CountDownLatch refused = new CountDownLatch(2);
        source.execute(() -> {
            for (int i = 0; i < 2; i++) {
                LoopBatch.execute(source, target, new LoopBatch.Task() {
                    @Override
                    public void run() {
                        throw new AssertionError("ran on a stopped loop");
                    }

                    @Override
                    public void rejected(RejectedExecutionException stopped) {
                        refused.countDown();
                    }
                });
            }
        });
        assertTrue(refused.await(10, TimeUnit.SECONDS), "each task told it will not run");
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOthers() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        source.execute(() -> {
            LoopBatch.execute(source, target, () -> {
                throw new IllegalStateException("a bug in one task");
            });
            LoopBatch.execute(source, target, after::countDown);
        });
        assertTrue(after.await(10, TimeUnit.SECONDS));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
