package io.securecomm.benchmarks.relay;

import java.io.IOException;
import java.util.List;

/**
 * A mosquitto broker started by {@code benchmarks/mosquitto/run.sh}, observed through {@code /proc}
 * ({@link ProcStats}).
 */
final class MosquittoProcess implements ServerUnderTest {
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
        return ProcStats.of(pid);
    }

    @Override
    public ThreadCpu threadCpu() throws IOException {
        return ThreadCpu.of(List.of(pid));
    }

    @Override
    public void close() {
        // run.sh started it and stops it.
    }
}
