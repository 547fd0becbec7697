package io.securecomm.benchmarks.relay;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A server's CPU time (user + system) split by what its threads do, read from {@code /proc/PID/task/*}{@code /stat}
 * (Linux, clock ticks of 10 ms): the relay's own threads (its event loops and its accepting loop, named
 * {@code securecomm-relay-*}), the JIT compilers ({@code C1}/{@code C2 CompilerThread}), the garbage collector
 * ({@code GC Thread#*}, {@code G1 *}), and everything else, which is the process's total less those three, so that
 * threads that ended in between count there too. A native single-threaded broker (mosquitto) has everything in
 * {@code other}.
 *
 * <p>The split explains a total; it does not replace it: a JVM relay pays its compiler and its collector, and a
 * comparison with another server's process CPU compares totals.
 *
 * @param totalNanos the processes' CPU time, every thread, including those that have ended
 * @param relayNanos threads named {@code securecomm-relay*}: the event loops (and the accepting loop)
 * @param compilerNanos the JIT compiler threads
 * @param gcNanos the garbage collector's threads
 * @param systemNanos the part of {@code totalNanos} spent in the kernel (system calls: reads, writes, wake-ups)
 */
public record ThreadCpu(long totalNanos, long relayNanos, long compilerNanos, long gcNanos, long systemNanos) {
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** {@code /proc/PID/comm} holds at most 15 characters of a thread's name. */
    private static final String RELAY_PREFIX = "securecomm-rela";

    /** Nothing measured: a server whose processes the harness cannot see. */
    public static final ThreadCpu NONE = new ThreadCpu(0, 0, 0, 0, 0);

    /**
     * The CPU time of everything but the relay's threads, the compilers and the collector.
     *
     * @return the total less the three named groups
     */
    public long otherNanos() {
        return totalNanos - relayNanos - compilerNanos - gcNanos;
    }

    /**
     * The total less the JIT compiler threads: what the relay costs once its code is compiled, a figure that
     * explains the total and is never compared with another server's total.
     *
     * @return the total less {@link #compilerNanos()}
     */
    public long withoutCompilerNanos() {
        return totalNanos - compilerNanos;
    }

    /**
     * The CPU time between two readings.
     *
     * @param earlier the reading before this one
     * @return this less {@code earlier}, group by group
     */
    public ThreadCpu minus(ThreadCpu earlier) {
        return new ThreadCpu(totalNanos - earlier.totalNanos, relayNanos - earlier.relayNanos,
                compilerNanos - earlier.compilerNanos, gcNanos - earlier.gcNanos, systemNanos - earlier.systemNanos);
    }

    /**
     * Reads the processes' threads now, summed over the processes (a cluster's nodes).
     *
     * @param pids the processes
     * @return their CPU time, split
     * @throws IOException if {@code /proc} cannot be read (a process is gone, or this is not Linux)
     */
    public static ThreadCpu of(List<Long> pids) throws IOException {
        long total = 0;
        long relay = 0;
        long compiler = 0;
        long gc = 0;
        long system = 0;
        for (long pid : pids) {
            Path proc = Path.of("/proc", Long.toString(pid));
            String processStat = Files.readString(proc.resolve("stat"));
            total += ticks(processStat);
            system += systemTicks(processStat);
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (NoSuchFileException ended) {
                        continue; // the thread ended while listed: its time is in the process's total
                    }
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    long t = ticks(stat);
                    if (comm.startsWith(RELAY_PREFIX)) {
                        relay += t;
                    } else if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        compiler += t;
                    } else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
                        gc += t;
                    }
                }
            }
        }
        return new ThreadCpu(total * NANOS_PER_TICK, relay * NANOS_PER_TICK, compiler * NANOS_PER_TICK,
                gc * NANOS_PER_TICK, system * NANOS_PER_TICK);
    }

    /** User + system clock ticks of a {@code stat} line (fields 14 and 15 of proc(5)). */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** System clock ticks of a {@code stat} line (field 15 of proc(5)). */
    private static long systemTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[12]);
    }

    /**
     * Formats the split as the harness prints it, per delivery.
     *
     * @param deliveries distinct deliveries in the window
     * @return one line, empty if nothing was measured
     */
    public String format(long deliveries) {
        if (totalNanos <= 0 || deliveries <= 0) {
            return "";
        }
        double d = deliveries * 1000.0;
        return String.format(Locale.ROOT, "server threads    relay loops %.1f, JIT compiler %.1f, GC %.1f, other %.1f"
                + " us per delivery; %.1f us without the compiler; %.1f us of the total in the kernel%n",
                relayNanos / d, compilerNanos / d, gcNanos / d, otherNanos() / d, withoutCompilerNanos() / d,
                systemNanos / d);
    }
}
