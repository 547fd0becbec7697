package io.securecomm.benchmarks.relay;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code redis-server} a cluster run shares among its relay nodes: started on a free port of 127.0.0.1 in a
 * temporary folder (deleted at {@link #close()}), protected mode on, no snapshots, append-only persistence with
 * {@code appendfsync everysec} (Redis' default for AOF, docs/CLUSTER.md), observed through {@code /proc} for its CPU.
 */
final class RedisBackend implements AutoCloseable {
    /** How to install the server, for the error. */
    static final String INSTALL_HINT = "sudo apt-get install redis-server";

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisBackend(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * The {@code redis-server} binary: {@code -Dsecurecomm.redis.server=PATH}, else the first on the {@code PATH},
     * else {@code /usr/bin/redis-server}.
     *
     * @return the binary, or empty if there is none
     */
    static Optional<Path> binary() {
        Stream<Path> candidates = Stream.concat(Stream.ofNullable(System.getProperty("securecomm.redis.server"))
                .map(Path::of), Stream.concat(Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "")
                .split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, "redis-server")),
                Stream.of(Path.of("/usr/bin/redis-server"))));
        return candidates.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /**
     * Starts a server and waits until it answers {@code PING}.
     *
     * @return the running server
     * @throws IOException if there is no binary, or it cannot start or does not answer within 20 s
     */
    static RedisBackend start() throws IOException {
        Path binary = binary().orElseThrow(() -> new IOException("a cluster run needs redis-server; install it: "
                + INSTALL_HINT));
        Path dir = Files.createTempDirectory("securecomm-bench-redis");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--protected-mode", "yes", "--daemonize", "no", "--dir", dir.toString(), "--save", "",
                "--appendonly", "yes", "--appendfsync", "everysec", "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
        RedisBackend backend = new RedisBackend(process, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!backend.answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                backend.close();
                throw new IOException("redis-server did not answer on port " + port);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                backend.close();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
        return backend;
    }

    /**
     * The URI the relay nodes connect to.
     *
     * @return {@code redis://127.0.0.1:PORT}
     */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * The server's CPU time and resident set now.
     *
     * @return its stats
     * @throws IOException if {@code /proc} cannot be read
     */
    ServerUnderTest.Stats stats() throws IOException {
        return ProcStats.of(process.pid());
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
