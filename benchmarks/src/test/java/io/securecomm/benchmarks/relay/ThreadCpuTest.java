package io.securecomm.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-thread split of a process's CPU time reads this JVM's own threads into the right groups. */
class ThreadCpuTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aThreadNamedLikeTheRelaysCountsAsTheRelayLoops() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        List<Long> self = List.of(ProcessHandle.current().pid());
        ThreadCpu before = ThreadCpu.of(self);
        long[] sink = new long[1];
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long x = 1;
            while (System.nanoTime() < until) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink[0] = x;
            spun.countDown();
            try {
                read.await(); // alive while read: an ended thread's time is only in the process's total
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "securecomm-relay-io-test");
        busy.start();
        spun.await();
        ThreadCpu spent = ThreadCpu.of(self).minus(before);
        read.countDown();
        busy.join();
        // 300 ms of a busy thread, read in 10 ms ticks; on a loaded machine it may get less of a core, not none.
        assertTrue(spent.relayNanos() >= TimeUnit.MILLISECONDS.toNanos(30), spent.toString());
        // The process's total is read before its threads, each in 10 ms ticks, while the JIT and GC threads run:
        // a group may be a tick ahead of the total (seen: 290 + 10 + 10 against 300 ms). A thread counted in two
        // groups would be 300 ms over.
        long slack = 3 * TimeUnit.MILLISECONDS.toNanos(10);
        assertTrue(spent.totalNanos() + slack >= spent.relayNanos() + spent.compilerNanos() + spent.gcNanos(),
                spent.toString());
        assertEquals(spent.totalNanos() - spent.compilerNanos(), spent.withoutCompilerNanos());
        assertTrue(spent.systemNanos() >= 0 && spent.systemNanos() <= spent.totalNanos(), spent.toString());
        assertTrue(spent.format(1000).contains("relay loops"), spent.format(1000));
        assertEquals("", ThreadCpu.NONE.format(1000));
    }
}
