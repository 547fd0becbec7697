package io.securecomm.benchmarks.relay;

import io.securecomm.testing.redis.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code redis-server} a cluster run shares among its relay nodes: the tests' {@link RedisServerProcess} (a free
 * port of 127.0.0.1, protected mode on, no snapshots) with append-only persistence and {@code appendfsync everysec}
 * (Redis' default for AOF, docs/CLUSTER.md), in a temporary folder deleted at {@link #close()}, observed through
 * {@code /proc} for its CPU.
 */
final class RedisBackend implements AutoCloseable {
    private final RedisServerProcess server;
    private final Path dir;

    private RedisBackend(RedisServerProcess server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /**
     * Starts a server and waits until it answers {@code PING}.
     *
     * @return the running server
     * @throws IOException if there is no binary, or it cannot start or does not answer within
     *     {@link RedisServerProcess#STARTUP_TIMEOUT}
     */
    static RedisBackend start() throws IOException {
        if (RedisServerProcess.binary().isEmpty()) {
            throw new IOException("a cluster run needs redis-server; install it: " + RedisServerProcess.INSTALL_HINT);
        }
        Path dir = Files.createTempDirectory("securecomm-bench-redis");
        try {
            return new RedisBackend(RedisServerProcess.start(dir, RedisServerProcess.Persistence.AOF_EVERYSEC), dir);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /**
     * The URI the relay nodes connect to.
     *
     * @return {@code redis://127.0.0.1:PORT}
     */
    String uri() {
        return server.uri();
    }

    /**
     * The server's CPU time and resident set now.
     *
     * @return its stats
     * @throws IOException if {@code /proc} cannot be read
     */
    ServerUnderTest.Stats stats() throws IOException {
        return ProcStats.of(server.pid());
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() {
        server.close();
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
