package io.securecomm.benchmarks.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A native process observed through {@code /proc} (Linux): CPU time from {@code /proc/PID/stat} (user + system clock
 * ticks, assumed 100 per second, the Linux default) and memory as the resident set size from
 * {@code /proc/PID/status}.
 */
final class ProcStats {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcStats() {}

    /**
     * Reads a process's CPU time and resident set now.
     *
     * @param pid the process
     * @return its stats
     * @throws IOException if {@code /proc} cannot be read (the process is gone, or this is not Linux)
     */
    static ServerUnderTest.Stats of(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "(comm) ", field 3 of proc(5) is index 0: utime is field 14, stime field 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new ServerUnderTest.Stats(ticks * NANOS_PER_TICK, rss);
    }
}
