package io.securecomm.examples;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process for the cluster's process-level tests: on a free port of 127.0.0.1 with
 * protected mode on, its files in a folder the test owns, no snapshots, append-only persistence on or off. The
 * pattern of {@code securecomm-cluster-redis}'s {@code RedisServerProcess} (whose test sources this module cannot
 * see), cut to what these tests use: {@link #start} waits until it answers {@code PING}, {@link #kill()} and
 * {@link #restart()} crash and bring it back on the same port and folder, {@link #close()} ends it (a JVM shutdown
 * hook does too).
 *
 * <p>When the binary is missing the calling test is skipped with a message saying how to install it, except
 * under {@code CI=true}, where it fails.
 */
final class RedisServer implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final String INSTALL_HINT = "sudo apt-get install redis-server";

    private final Path binary;
    private final Path dir;
    private final boolean appendOnly;
    private final int port;
    private final Thread shutdownHook = new Thread(this::killQuietly, "redis-server-cleanup");
    private Process process;

    private RedisServer(Path binary, Path dir, boolean appendOnly, int port) {
        this.binary = binary;
        this.dir = dir;
        this.appendOnly = appendOnly;
        this.port = port;
    }

    /**
     * The {@code redis-server} binary ({@code -Dsecurecomm.redis.server=PATH}, the {@code PATH}, or
     * {@code /usr/bin/redis-server}); skips the calling test when there is none, or fails it under {@code CI=true}.
     *
     * @return the binary
     */
    static Path requireBinary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("securecomm.redis.server");
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        for (String d : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        String msg = "SKIPPED: redis-server is not installed, so the relay cluster's process tests cannot run"
                + " (install it: " + INSTALL_HINT + ")";
        System.err.println(msg);
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the relay cluster's tests, but " + msg);
        }
        Assumptions.abort(msg);
        throw new AssertionError("unreachable");
    }

    /**
     * Starts a server on a free loopback port and waits until it answers.
     *
     * @param dir its folder, owned by the test
     * @param appendOnly {@code appendonly yes} with {@code appendfsync always}, or no persistence at all
     * @return the running server
     * @throws IOException if it cannot be started or does not answer in time
     */
    static RedisServer start(Path dir, boolean appendOnly) throws IOException {
        Path binary = requireBinary();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServer server = new RedisServer(binary, dir, appendOnly, freePort());
            try {
                server.launch();
                Runtime.getRuntime().addShutdownHook(server.shutdownHook);
                return server;
            } catch (IOException e) {
                last = e; // most likely another process took the port between the probe and the bind
            }
        }
        throw last;
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
     * Kills the server with {@code SIGKILL} and waits until it is gone.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die within 10 s");
            }
        }
    }

    /**
     * Starts the server again on the same port and folder after {@link #kill()} (its append-only file, if on, is
     * replayed), and waits until it answers.
     *
     * @throws IOException if it cannot be started or does not answer in time
     * @throws InterruptedException if interrupted while stopping the running one
     */
    void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /** Kills the server, if it runs. Idempotent. */
    @Override
    public void close() {
        killQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down, or the hook was never added
        }
    }

    private void killQuietly() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launch() throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("redis-" + port + ".log");
        process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--protected-mode", "yes", "--daemonize", "no", "--dir", dir.toAbsolutePath().toString(),
                "--logfile", log.toAbsolutePath().toString(), "--save", "",
                "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at start with code " + process.exitValue());
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killQuietly();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        killQuietly();
        throw new IOException("redis-server did not answer PING on port " + port + " within " + STARTUP_TIMEOUT);
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            // A server still replaying its append-only file answers -LOADING: not ready yet.
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
