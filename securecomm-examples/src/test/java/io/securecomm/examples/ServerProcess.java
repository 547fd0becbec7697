package io.securecomm.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code server} command in a child JVM on the test's class path, bound to 127.0.0.1 on a free port, with its
 * home where the test says: {@link #start} returns once it listens, {@link #kill()} is a {@code SIGKILL}, and
 * {@link #close()} kills it too (as a JVM shutdown hook does, should a test forget), so no relay outlives the tests.
 * Everything it writes is kept ({@link #output()}) for the failure messages.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class ServerProcess implements AutoCloseable {
    /** The longest {@link #start} waits for the relay to listen (a JVM start on a loaded machine). */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final String name;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread shutdownHook;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.shutdownHook = new Thread(process::destroyForcibly, "server-process-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread reader = new Thread(this::read, "server-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code server 0 --bind 127.0.0.1 ARGS...} with {@code home} as its home, without waiting.
     *
     * @param name a name for the failure messages
     * @param home its home folder (its {@code relay.key}, and its store unless the arguments name another)
     * @param args more arguments of the {@code server} command
     * @return the process, starting
     * @throws IOException if the JVM cannot be started
     */
    static ServerProcess launch(String name, Path home, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "0", "--bind", "127.0.0.1"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put(Home.ENV_VAR, home.toString());
        pb.redirectErrorStream(true);
        return new ServerProcess(name, pb.start());
    }

    /**
     * Starts the relay and waits until it listens.
     *
     * @param name a name for the failure messages
     * @param home its home folder
     * @param args more arguments of the {@code server} command
     * @return the listening relay
     * @throws Exception if it cannot be started or does not listen within {@link #STARTUP_TIMEOUT}
     */
    static ServerProcess start(String name, Path home, String... args) throws Exception {
        ServerProcess p = launch(name, home, args);
        p.awaitListening();
        return p;
    }

    /**
     * Waits until the relay listens.
     *
     * @return its port
     * @throws Exception if it exits first or does not listen within {@link #STARTUP_TIMEOUT}
     */
    int awaitListening() throws Exception {
        try {
            return port.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            close();
            throw new IllegalStateException(name + " did not listen within " + STARTUP_TIMEOUT + ":\n" + output, e);
        }
    }

    /**
     * The relay's port, once it listens.
     *
     * @return the port
     */
    int port() {
        return port.getNow(-1);
    }

    /**
     * Its name, as given at the start.
     *
     * @return the name
     */
    String name() {
        return name;
    }

    /**
     * Everything it wrote so far, standard output and error together.
     *
     * @return the output
     */
    String output() {
        return output.toString();
    }

    /**
     * Whether the process runs.
     *
     * @return {@code true} while it is alive
     */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills it with {@code SIGKILL}: no shutdown hook, no goodbye, nothing flushed. Waits until it is gone.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux and macOS
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die within 15 s");
        }
    }

    /** Kills it, if it runs. Idempotent. */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port() + ")";
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            output.append("(unreadable: ").append(e.getMessage()).append(")\n");
        }
        port.completeExceptionally(new IllegalStateException(name + " exited before it listened:\n" + output));
    }
}
