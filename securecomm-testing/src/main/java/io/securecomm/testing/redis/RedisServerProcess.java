package io.securecomm.testing.redis;

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
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process for tests and benchmarks: started on a free port of 127.0.0.1 with protected
 * mode on, its files in a folder the caller owns (a JUnit {@code @TempDir}), no snapshots unless asked, append-only
 * persistence as configured, optionally with a password or TLS only. {@link #start} waits until it answers
 * {@code PING}; {@link #close()} ends it (and a JVM shutdown hook does, should a caller forget), so no server
 * outlives its tests. {@link #kill()} and {@link #restart()} are for the tests of what survives a crash of Redis,
 * {@link #pause()} and {@link #resume()} for a stalled one.
 *
 * <p>When the binary is missing the calling test is skipped with a message saying how to install it, except
 * under {@code CI=true}, where it fails: CI must run these tests ({@code .ci/run} installs Redis). A caller that is
 * not a test (a benchmark) asks {@link #binary()} first: only the skip needs JUnit on the class path.
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
    private final String password;
    private final boolean tls;
    private final Thread shutdownHook;
    private Process process;

    private RedisServerProcess(Path binary, Path dir, Persistence persistence, int port, String password,
            boolean tls) {
        this.binary = binary;
        this.dir = dir;
        this.persistence = persistence;
        this.port = port;
        this.password = password;
        this.tls = tls;
        this.shutdownHook = new Thread(this::killQuietly, "redis-server-process-cleanup");
    }

    /**
     * The {@code redis-server} binary: {@code -Dsecurecomm.redis.server=PATH}, else the first on the
     * {@code PATH}, else {@code /usr/bin/redis-server}.
     *
     * @return the binary, or empty if there is none
     */
    public static Optional<Path> binary() {
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
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /**
     * The {@code redis-server} binary ({@link #binary()}). Skips the calling test (fails it under {@code CI=true})
     * when there is none.
     *
     * @return the binary
     */
    public static Path requireBinary() {
        Optional<Path> binary = binary();
        if (binary.isPresent()) {
            return binary.get();
        }
        String msg = "SKIPPED: redis-server is not installed, so the tests on Redis cannot run (install it: "
                + INSTALL_HINT + ")";
        System.err.println(msg);
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the tests on Redis, but " + msg);
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
        return start(dir, persistence, null);
    }

    /**
     * Starts a server that asks every client for a password ({@code requirepass}), on a free loopback port, and
     * waits until it answers.
     *
     * @param dir its working folder, owned by the test
     * @param persistence how it keeps its data
     * @param password the password clients must give ({@code AUTH}), or null for none
     * @return the running server, whose {@link #uri()} carries the password
     * @throws IOException if it cannot be started or does not answer within {@link #STARTUP_TIMEOUT}
     */
    public static RedisServerProcess start(Path dir, Persistence persistence, String password) throws IOException {
        return start(dir, persistence, password, false);
    }

    /**
     * Starts a server that speaks only TLS ({@code port 0}, {@code tls-port}), with a self-signed certificate for
     * 127.0.0.1 that {@code openssl} makes in {@code dir}, and waits until it answers. Skipped like a missing
     * server when {@code openssl} is missing (failed under {@code CI=true}).
     *
     * @param dir its working folder, owned by the test
     * @param persistence how it keeps its data
     * @return the running server, whose {@link #uri()} is a {@code rediss://} URI
     * @throws IOException if the certificate cannot be made, or the server cannot be started or does not answer
     */
    public static RedisServerProcess startTls(Path dir, Persistence persistence) throws IOException {
        requireBinary();
        Files.createDirectories(dir);
        String[] openssl = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", dir.resolve("tls-key.pem").toString(), "-out", dir.resolve("tls-cert.pem").toString()};
        int exit;
        try {
            Process p = new ProcessBuilder(openssl).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.out").toFile()).start();
            exit = p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            String msg = "SKIPPED: openssl is not installed, so the TLS test of Redis cannot run (install it: "
                    + "sudo apt-get install openssl)";
            System.err.println(msg);
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI must run the Redis TLS test, but " + msg, e);
            }
            Assumptions.abort(msg);
            throw new AssertionError("unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a certificate", e);
        }
        if (exit != 0) {
            throw new IOException("openssl could not make a certificate (exit " + exit + ")");
        }
        return start(dir, persistence, null, true);
    }

    private static RedisServerProcess start(Path dir, Persistence persistence, String password, boolean tls)
            throws IOException {
        Path binary = requireBinary();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServerProcess server = new RedisServerProcess(binary, dir, persistence, freePort(), password,
                    tls);
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
     * @return {@code redis://127.0.0.1:PORT}; {@code redis://:PASSWORD@127.0.0.1:PORT} for a server that asks
     *     for a password; {@code rediss://127.0.0.1:PORT?verifyPeer=NONE} for a TLS server (its certificate is
     *     self-signed, in no trust store)
     */
    public String uri() {
        if (tls) {
            return "rediss://127.0.0.1:" + port + "?verifyPeer=NONE";
        }
        return password == null ? uriWithoutPassword() : "redis://:" + password + "@127.0.0.1:" + port;
    }

    /**
     * The URI without a password, whether or not the server asks for one.
     *
     * @return {@code redis://127.0.0.1:PORT}
     */
    public String uriWithoutPassword() {
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
     * The server's process id, for what a benchmark reads of it ({@code /proc}).
     *
     * @return the pid
     * @throws IllegalStateException if it was never started
     */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("redis-server was never started");
        }
        return process.pid();
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
        if (password != null) {
            resp.insert(0, "AUTH " + password + "\r\n");
        }
        try (Socket s = connect(2000)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(resp.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            if (password != null) {
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                    // the answer to AUTH (+OK), not the command's
                }
            }
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
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", dir.resolve("tls-cert.pem").toAbsolutePath().toString(),
                    "--tls-key-file", dir.resolve("tls-key.pem").toAbsolutePath().toString(),
                    "--tls-ca-cert-file", dir.resolve("tls-cert.pem").toAbsolutePath().toString(),
                    "--tls-auth-clients", "no"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(List.of(
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
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
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
        try (Socket s = connect(500)) {
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            String auth = password == null ? "" : "AUTH " + password + "\r\n";
            out.write((auth + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[64];
            int lines = password == null ? 1 : 2; // with a password: AUTH's answer, then PING's
            for (int n; answer.chars().filter(c -> c == '\n').count() < lines && (n = in.read(buf)) > 0; ) {
                answer.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            // A server still loading its append-only file answers -LOADING: not ready yet.
            return answer.toString().startsWith(password == null ? "+PONG" : "+OK\r\n+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** A connection to the server: over TLS for a TLS server, trusting its self-signed certificate (tests only). */
    private Socket connect(int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            if (!tls) {
                return plain;
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingItsOwnServer()}, null);
            SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            secure.setSoTimeout(timeoutMillis);
            secure.startHandshake();
            return secure;
        } catch (IOException e) {
            plain.close();
            throw e;
        } catch (GeneralSecurityException e) {
            plain.close();
            throw new IOException("no TLS context for the test's own connection", e);
        }
    }

    /** Trusts whatever the test's own server presents: it made the certificate itself a moment ago. */
    private static final class TrustingItsOwnServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // never asked: this is a client's trust manager
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // the test's own server, on loopback
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
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
