package io.securecomm.benchmarks.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mosquitto broker started by {@code benchmarks/mosquitto/run.sh}, observed through {@code /proc}: CPU time
 * from {@code /proc/PID/stat} (user + system clock ticks, assumed 100 per second, the Linux default) and memory as
 * the resident set size from {@code /proc/PID/status}.
 */
final class MosquittoProcess implements ServerUnderTest {
    private static final long NANOS_PER_TICK = 10_000_000L;
    private final long pid;

    MosquittoProcess(long pid) {
        this.pid = pid;
    }

    @Override
    public String name() {
        return "mosquitto (pid " + pid + ")";
    }

    @Override
    public Stats stats() throws IOException {
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
        return new Stats(ticks * NANOS_PER_TICK, rss);
    }

    @Override
    public void close() {
        // run.sh started it and stops it.
    }
}
