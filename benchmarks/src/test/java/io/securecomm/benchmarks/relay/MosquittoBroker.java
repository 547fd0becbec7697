package io.securecomm.benchmarks.relay;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * A mosquitto broker for one test: TLS 1.3 on a free loopback port, its self-signed certificate (made by openssl),
 * configuration, pid file and log in a temporary directory, configured like {@code benchmarks/mosquitto/run.sh}'s.
 * Where mosquitto or openssl is not installed the test is skipped with a message saying how to install them, except
 * under CI ({@code CI=true}), which must run it.
 */
final class MosquittoBroker implements AutoCloseable {
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/local/bin/mosquitto"),
            Path.of("/opt/homebrew/sbin/mosquitto"));

    private final Process process;
    private final int port;
    private final Path certificate;
    private final Path pidFile;

    private MosquittoBroker(Process process, int port, Path certificate, Path pidFile) {
        this.process = process;
        this.port = port;
        this.certificate = certificate;
        this.pidFile = pidFile;
    }

    /**
     * Starts a broker in {@code dir}, or aborts the test if mosquitto or openssl is missing (fails it under CI).
     *
     * @param dir an empty temporary directory
     * @return the running broker; close it to stop it
     * @throws IOException if the broker cannot be set up
     * @throws InterruptedException if interrupted while it starts
     */
    static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null || !onPath("openssl")) {
            String msg = "mosquitto or openssl is not installed (apt-get install mosquitto openssl, or"
                    + " brew install mosquitto openssl): the harness's mosquitto mode is not smoke-tested";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI must run the mosquitto smoke test, but " + msg);
            }
            System.err.println("SKIPPED: " + msg);
            throw new TestAbortedException(msg);
        }
        Path key = dir.resolve("server.key");
        Path certificate = dir.resolve("server.crt");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", certificate.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl could not make a certificate: " + Files.readString(
                    dir.resolve("openssl.log")));
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("mosquitto.conf");
        // "user root" keeps a broker started by root from dropping to the mosquitto user, who could not read the
        // key in this private directory; mosquitto ignores it when not started as root.
        Files.writeString(config, String.join("\n",
                "per_listener_settings false", "allow_anonymous true", "persistence false", "log_dest stderr",
                "log_type error", "max_queued_messages 100000", "max_inflight_messages 0", "user root",
                "listener " + port + " 127.0.0.1", "certfile " + certificate, "keyfile " + key,
                "tls_version tlsv1.3", ""));
        Process broker = new ProcessBuilder(binary.toString(), "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        Path pidFile = dir.resolve("mosquitto.pid");
        Files.writeString(pidFile, Long.toString(broker.pid()));
        MosquittoBroker started = new MosquittoBroker(broker, port, certificate, pidFile);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts(port)) {
            if (!broker.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IOException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
            }
            Thread.sleep(50);
        }
        return started;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Returns a copy of {@code config} aimed at this broker.
     *
     * @param config a mosquitto workload
     * @return the same workload with this broker's port, certificate and pid file
     */
    LoadConfig aim(LoadConfig config) {
        return new LoadConfig(config.peer(), config.clients(), config.mix(), config.messages(),
                config.warmupMessages(), config.payloadBytes(), config.ratePerSecond(), config.window(),
                config.timeLimit(), port, certificate, pidFile, config.relayOnly(), config.nodes(),
                config.noiseCipher());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
