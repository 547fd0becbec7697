package io.securecomm.cluster.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * A real {@code redis-server} process for tests: started on a free port of 127.0.0.1 with protected mode on, its
 * files in a folder the test owns (a JUnit {@code @TempDir}), no snapshots unless asked, append-only persistence
 * as configured. {@link #start} waits until it answers {@code PING}; {@link #close()} ends it (and a JVM shutdown
 * hook does, should a test forget), so no server outlives the tests. {@link #kill()} and {@link #restart()} are
 * for the tests of what survives a crash of Redis.
 *
 * <p>When the binary is missing the calling test is skipped with a message saying how to install it, except
 * under {@code CI=true}, where it fails: CI must run these tests ({@code .ci/run} installs Redis).
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class RedisServerProcess implements AutoCloseable {
    /** The longest {@link #start} waits for the server's first {@code PING} answer. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    /** How to install the server, for the skip message. */
    public static final String INSTALL_HINT = "sudo apt-get install redis-server";

    /**
     * How the server keeps its data.
     *
     * @param appendOnly {@code appendonly yes}: every write is logged to the append-only file, and replayed at
     *     start
     * @param appendFsync {@code always}, {@code everysec} or {@code no}: when the log is flushed to the disk
     * @param snapshots whether Redis' default RDB snapshots are on ({@code save ""} turns them off)
     */
    public record Persistence(boolean appendOnly, String appendFsync, boolean snapshots) {
        /** No persistence at all: a restart loses everything. */
        public static final Persistence NONE = new Persistence(false, "everysec", false);

        /** Append-only, flushed before every write is answered. */
        public static final Persistence AOF_ALWAYS = new Persistence(true, "always", false);

        /** Append-only, flushed once a second. */
        public static final Persistence AOF_EVERYSEC = new Persistence(true, "everysec", false);

        /**
         * Checks the values.
         *
         * @param appendOnly whether the append-only file is on
         * @param appendFsync its flush policy
         * @param snapshots whether snapshots are on
         */
        public Persistence {
            if (!List.of("always", "everysec", "no").contains(appendFsync)) {
                throw new IllegalArgumentException("appendfsync is always, everysec or no, was " + appendFsync);
            }
        }
    }

    private final Path binary;
    private final Path dir;
    private final Persistence persistence;
    private final int port;
    private final Thread shutdownHook;
    private Process process;

    private RedisServerProcess(Path binary, Path dir, Persistence persistence, int port) {
        this.binary = binary;
        this.dir = dir;
        this.persistence = persistence;
        this.port = port;
        this.shutdownHook = new Thread(this::killQuietly, "redis-server-process-cleanup");
    }

    /**
     * The {@code redis-server} binary: {@code -Dsecurecomm.redis.server=PATH}, else the first on the
     * {@code PATH}, else {@code /usr/bin/redis-server}. Skips the calling test (fails it under {@code CI=true})
     * when there is none.
     *
     * @return the binary
     */
    public static Path requireBinary() {
        String configured = System.getProperty("securecomm.redis.server");
        List<Path> candidates = new ArrayList<>();
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
        String msg = "SKIPPED: redis-server is not installed, so the Redis store's tests cannot run (install it: "
                + INSTALL_HINT + ")";
        System.err.println(msg);
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the Redis store's tests, but " + msg);
        }
        Assumptions.abort(msg);
        throw new AssertionError("unreachable");
    }

    /**
     * Starts a server on a free loopback port and waits until it answers.
     *
     * @param dir its working folder (the append-only file and snapshots go there), owned by the test
     * @param persistence how it keeps its data
     * @return the running server
     * @throws IOException if it cannot be started or does not answer within {@link #STARTUP_TIMEOUT}
     */
    public static RedisServerProcess start(Path dir, Persistence persistence) throws IOException {
        Path binary = requireBinary();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServerProcess server = new RedisServerProcess(binary, dir, persistence, freePort());
            try {
                server.launch();
                return server;
            } catch (IOException e) {
                last = e; // most likely another process took the port between the probe and the bind
            }
        }
        throw last;
    }

    /**
     * The URI the store connects to.
     *
     * @return {@code redis://127.0.0.1:PORT}
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * The server's port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Whether the process runs.
     *
     * @return {@code true} while it is alive
     */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Kills the server with {@code SIGKILL}, as a crash would: nothing is flushed beyond what its
     * {@code appendfsync} policy had already written. Waits until it is gone.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die within 10 s");
            }
        }
    }

    /**
     * Starts the server again, on the same port and folder, after {@link #kill()} (its append-only file, if on,
     * is replayed), and waits until it answers.
     *
     * @throws IOException if it cannot be started or does not answer in time
     * @throws InterruptedException if interrupted while stopping the running one
     */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /**
     * Stops the server without ending it ({@code SIGSTOP}): it keeps its connections but answers nothing, as a
     * stalled host would, until {@link #resume()}.
     *
     * @throws IOException if the signal cannot be sent
     * @throws InterruptedException if interrupted while sending it
     */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /**
     * Lets a {@linkplain #pause() paused} server run again ({@code SIGCONT}).
     *
     * @throws IOException if the signal cannot be sent
     * @throws InterruptedException if interrupted while sending it
     */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /**
     * Sends one command on a connection of its own and returns the first line of the answer: for what the store
     * under test must not see coming ({@code CLIENT KILL TYPE normal} drops its connections).
     *
     * @param args the command and its arguments
     * @return the answer's first line ({@code +OK}, {@code :2}, ...)
     * @throws IOException if the server cannot be reached
     */
    public String command(String... args) throws IOException {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(resp.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    /** Kills the server, if it runs. Idempotent. */
    @Override
    public void close() {
        killQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down, or the hook was never added: nothing to remove
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
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--protected-mode", "yes",
                "--daemonize", "no",
                "--dir", dir.toAbsolutePath().toString(),
                "--logfile", log.toAbsolutePath().toString(),
                "--appendonly", persistence.appendOnly() ? "yes" : "no",
                "--appendfsync", persistence.appendFsync()));
        if (!persistence.snapshots()) {
            command.addAll(List.of("--save", ""));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".out").toFile()).start();
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalArgumentException e) {
            // already added by an earlier launch
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at start with code " + process.exitValue() + ": "
                        + tail(log));
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
        throw new IOException("redis-server did not answer PING on port " + port + " within " + STARTUP_TIMEOUT
                + ": " + tail(log));
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            // A server still loading its append-only file answers -LOADING: not ready yet.
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
