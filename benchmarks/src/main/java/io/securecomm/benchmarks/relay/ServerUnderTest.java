package io.securecomm.benchmarks.relay;

import java.io.IOException;

/** The relay or broker the harness drives, seen from outside: its name and its resource use. */
public interface ServerUnderTest extends AutoCloseable {
    /**
     * CPU time and memory of the server process.
     *
     * @param cpuNanos the process's CPU time so far (user + system)
     * @param memoryBytes for the relay, heap in use after a full GC; for a native broker, its resident set size
     */
    record Stats(long cpuNanos, long memoryBytes) {}

    /**
     * Returns a human-readable name.
     *
     * @return the name
     */
    String name();

    /**
     * Reads the server's CPU time and memory now.
     *
     * @return the stats
     * @throws IOException if they cannot be read
     */
    Stats stats() throws IOException;

    /**
     * Reads the server processes' CPU time now, split by thread group ({@link ThreadCpu}), without disturbing them
     * (no collection, unlike {@link #stats()} on the relay).
     *
     * @return the split, or {@link ThreadCpu#NONE} for a server whose processes the harness cannot see
     * @throws IOException if {@code /proc} cannot be read
     */
    default ThreadCpu threadCpu() throws IOException {
        return ThreadCpu.NONE;
    }

    /**
     * Stops the server if the harness started it.
     *
     * @throws IOException if stopping fails
     */
    @Override
    void close() throws IOException;
}
