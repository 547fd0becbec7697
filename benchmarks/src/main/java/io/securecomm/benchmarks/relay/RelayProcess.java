package io.securecomm.benchmarks.relay;

import io.securecomm.cluster.redis.RedisClusterOptions;
import io.securecomm.cluster.redis.RedisRelayCluster;
import io.securecomm.cluster.redis.RedisRelayStore;
import io.securecomm.cluster.redis.RedisStoreOptions;
import io.securecomm.internal.noise.HopCipher;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.WorkLimit;
import io.securecomm.relay.cluster.ClusterUnavailableException;
import io.securecomm.relay.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The relay under test, in its own JVM so that its CPU time and heap are its own.
 *
 * <p>The child ({@link #main(String[])}) starts a {@link RelayServer} on 127.0.0.1, prints {@code READY <port>},
 * then answers commands on standard input: {@code STATS} prints {@code STATS <cpuNanos> <heapUsedBytes>} (CPU
 * read first, heap measured after two {@code System.gc()} calls), {@code CPU} prints {@code CPU <cpuNanos>} alone
 * (no collection: two full collections stopped a relay under attack for 0.3 to 1.7 s on a loaded machine, at the
 * edge of the phase being measured), {@code QUIT} closes the relay and exits. It also exits when its standard input
 * closes, so it never outlives the harness.
 *
 * <p>The child runs on Parallel GC, as the relay's launcher and systemd unit run it (issue 18; docs/OPERATIONS.md,
 * "Garbage collector"), so that a run measures the relay as shipped; {@code
 * SECURECOMM_RELAY_JVM_OPTS="-XX:-UseParallelGC -XX:+UseG1GC"} measures it on G1. Until 2026-12-07 the child ran on
 * G1, and the records in docs/BENCHMARKS.md before that day were made on G1.
 */
public final class RelayProcess implements ServerUnderTest {
    /**
     * Environment variable with extra JVM options for the relay's JVM only, e.g. to profile it:
     * {@code SECURECOMM_RELAY_JVM_OPTS=-XX:StartFlightRecording=filename=relay.jfr,settings=profile}.
     */
    public static final String RELAY_JVM_OPTIONS_ENV = "SECURECOMM_RELAY_JVM_OPTS";
    /** The child's collector: the one the relay's launcher and systemd unit choose. */
    static final String COLLECTOR = "-XX:+UseParallelGC";
    /** Hello deadline and idle timeout of the idle-connection relay: longer than any run. */
    private static final Duration IDLE_DEADLINE = Duration.ofHours(1);

    /** The child's third argument that keeps every limit at its default. */
    private static final String DEFAULT_LIMITS = "default-limits";
    /** The child's third argument that makes it a cluster node: then the Redis URI and the node id. */
    private static final String CLUSTER = "cluster";

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final int port;

    private RelayProcess(Process process, BufferedReader out, PrintStream in, int port) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.port = port;
    }

    /**
     * Starts the child JVM with this JVM's java and class path.
     *
     * @param maxClients the relay's client limit
     * @param handshakeTimeout the relay's handshake and hello deadline
     * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
     * @return the running relay
     * @throws IOException if the child cannot start or does not report ready
     */
    public static RelayProcess start(int maxClients, Duration handshakeTimeout, String heap) throws IOException {
        return start(maxClients, handshakeTimeout, heap, HopCipher.AUTO);
    }

    /**
     * Starts the child JVM with its hop's cipher chosen as {@code hopCipher} says: other than {@link HopCipher#AUTO},
     * with {@code -Dsecurecomm.noise.cipher=...}, so that only clients that end on the same cipher complete a
     * handshake.
     *
     * @param maxClients the relay's client limit
     * @param handshakeTimeout the relay's handshake and hello deadline
     * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
     * @param hopCipher how the relay's Noise hop chooses its cipher ({@link HopCipher#AUTO} is the relay's default)
     * @return the running relay
     * @throws IOException if the child cannot start or does not report ready
     */
    public static RelayProcess start(int maxClients, Duration handshakeTimeout, String heap, HopCipher hopCipher)
            throws IOException {
        List<String> jvmOptions = hopCipher == HopCipher.AUTO ? List.of()
                : List.of("-D" + HopCipher.PROPERTY + "=" + hopCipher.propertyValue());
        return start(jvmOptions, heap, Integer.toString(maxClients), Long.toString(handshakeTimeout.toSeconds()));
    }

    /**
     * Starts the child JVM with a relay whose limits are all the defaults but its client limit: the relay an
     * abuse run attacks ({@link AbuseHarness}).
     *
     * @param maxClients the relay's client limit
     * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
     * @return the running relay
     * @throws IOException if the child cannot start or does not report ready
     */
    public static RelayProcess startWithDefaultLimits(int maxClients, String heap) throws IOException {
        return start(heap, Integer.toString(maxClients),
                Long.toString(RelayOptions.DEFAULT_HANDSHAKE_TIMEOUT.toSeconds()), DEFAULT_LIMITS);
    }

    /**
     * Starts the child JVM configured to hold many idle connections: every connection limit moved to
     * {@code connections} plus a margin (they all come from 127.0.0.1), and the hello deadline, ping interval and
     * idle timeout moved to an hour, so the relay keeps connections that complete the handshake and then stay
     * silent.
     *
     * @param connections how many connections the run will open
     * @param heap the child's {@code -Xmx}, e.g. {@code 2g}
     * @return the running relay
     * @throws IOException if the child cannot start or does not report ready
     */
    public static RelayProcess startForIdleConnections(int connections, String heap) throws IOException {
        return start(heap, "2", Long.toString(IDLE_DEADLINE.toSeconds()), Integer.toString(connections + 16),
                Long.toString(IDLE_DEADLINE.toSeconds()));
    }

    /**
     * Starts the child JVM configured to hold many admitted chat clients: as {@link #startForIdleConnections}, and
     * the client limit moved to {@code clients} plus a margin. The public room keeps its default member limit (256),
     * so most clients are online outside the room, as on any relay of this size.
     *
     * @param clients how many clients the run will admit
     * @param heap the child's {@code -Xmx}, e.g. {@code 2g}
     * @return the running relay
     * @throws IOException if the child cannot start or does not report ready
     */
    public static RelayProcess startForAdmittedClients(int clients, String heap) throws IOException {
        return start(heap, Integer.toString(clients + 16), Long.toString(IDLE_DEADLINE.toSeconds()),
                Integer.toString(clients + 16), Long.toString(IDLE_DEADLINE.toSeconds()));
    }

    /**
     * Starts the child JVM as one node of a relay cluster on Redis ({@code RedisRelayCluster} and
     * {@code RedisRelayStore} on the same server), with the load run's limits (as {@link #start(int, Duration,
     * String)}).
     *
     * @param maxClients the relay's client limit
     * @param handshakeTimeout the relay's handshake and hello deadline
     * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
     * @param redisUri the cluster's Redis
     * @param nodeId the node's id, unique in the cluster
     * @return the running node
     * @throws IOException if the child cannot start or does not report ready
     */
    public static RelayProcess startClusterNode(int maxClients, Duration handshakeTimeout, String heap,
            String redisUri, String nodeId) throws IOException {
        return start(heap, Integer.toString(maxClients), Long.toString(handshakeTimeout.toSeconds()), CLUSTER,
                redisUri, nodeId);
    }

    private static RelayProcess start(String heap, String... childArgs) throws IOException {
        return start(List.of(), heap, childArgs);
    }

    private static RelayProcess start(List<String> jvmOptions, String heap, String... childArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, COLLECTOR));
        command.addAll(jvmOptions);
        String extra = System.getenv(RELAY_JVM_OPTIONS_ENV);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayProcess.class.getName()));
        command.addAll(List.of(childArgs));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        // JVM options such as -XX:StartFlightRecording may print first.
        while (line != null && !line.startsWith("READY ") && line.startsWith("[")) {
            line = out.readLine();
        }
        if (line == null || !line.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("relay process did not start: " + line);
        }
        return new RelayProcess(process, out, in, Integer.parseInt(line.substring(6).trim()));
    }

    @Override
    public String name() {
        return "securecomm relay";
    }

    /**
     * Returns the relay's port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    @Override
    public Stats stats() throws IOException {
        in.println("STATS");
        String line = out.readLine();
        if (line == null || !line.startsWith("STATS ")) {
            throw new IOException("relay process answered " + line);
        }
        String[] parts = line.split(" ");
        return new Stats(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    @Override
    public ThreadCpu threadCpu() throws IOException {
        return ThreadCpu.of(List.of(process.pid()));
    }

    /**
     * The relay process's id.
     *
     * @return the child JVM's pid
     */
    long pid() {
        return process.pid();
    }

    /**
     * The relay process's CPU time so far, without the collections of {@link #stats()}: what an abuse run reads
     * around its phases.
     *
     * @return the process's CPU time (user + system)
     * @throws IOException if the child does not answer
     */
    public long cpuNanos() throws IOException {
        in.println("CPU");
        String line = out.readLine();
        if (line == null || !line.startsWith("CPU ")) {
            throw new IOException("relay process answered " + line);
        }
        return Long.parseLong(line.substring(4).trim());
    }

    @Override
    public void close() throws IOException {
        in.println("QUIT");
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The child's entry point.
     *
     * @param args max clients, handshake timeout in seconds; then either {@code default-limits}, or for idle
     *     connections the connection limit and the idle timeout in seconds, or {@code cluster}, the Redis URI and the
     *     node id
     * @throws IOException if the relay cannot listen
     */
    public static void main(String[] args) throws IOException {
        int maxClients = Integer.parseInt(args[0]);
        // A load test, not an open relay: every load client comes from 127.0.0.1 and sends flat out, so the
        // per-address connection limit, the per-client rate limit and the work limits (which would slow them) are
        // moved out of the way; the other limits keep their defaults. An abuse run keeps every default.
        boolean defaultLimits = args.length > 2 && args[2].equals(DEFAULT_LIMITS);
        RelayOptions.Builder builder = RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .maxClients(maxClients)
                .handshakeTimeout(Duration.ofSeconds(Long.parseLong(args[1])));
        if (!defaultLimits) {
            builder.maxConnectionsPerAddress(maxClients + 16)
                    .rateLimit(new RateLimit(RateLimit.MAX_MESSAGES, RateLimit.MAX_MESSAGES, RateLimit.MAX_MESSAGES,
                            RateLimit.DEFAULT_REJECTION_WINDOW))
                    .workLimit(WorkLimit.unlimitedForTesting());
        }
        boolean cluster = args.length > 2 && args[2].equals(CLUSTER);
        RedisRelayCluster node = null;
        RedisRelayStore store = null;
        if (cluster) {
            try {
                node = RedisRelayCluster.open(RedisClusterOptions.builder(args[3]).nodeId(args[4]).build());
                store = RedisRelayStore.open(args[3], RedisStoreOptions.builder().build());
            } catch (ClusterUnavailableException | StoreException e) {
                if (node != null) {
                    node.close();
                }
                throw new IOException("cannot join the cluster on " + args[3] + ": " + e.getMessage(), e);
            }
            builder.cluster(node).store(store);
        } else if (args.length > 3) {
            // Idle connections: thousands from one address that complete the handshake and then never answer a
            // Ping, so the connection limits and the keep-alive are moved out of the way too.
            int maxConnections = Integer.parseInt(args[2]);
            Duration idle = Duration.ofSeconds(Long.parseLong(args[3]));
            builder.maxConnections(maxConnections).maxConnectionsPerAddress(maxConnections)
                    .pingInterval(idle.dividedBy(2)).idleTimeout(idle);
        }
        RelayOptions options = builder.build();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (RelayServer relay = RelayServer.create(options).start()) {
            System.out.println("READY " + relay.localAddress().getPort());
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = commands.readLine()) != null && !command.equals("QUIT")) {
                if (command.equals("STATS")) {
                    long cpu = os.getProcessCpuTime();
                    System.gc();
                    System.gc();
                    System.out.println("STATS " + cpu + " " + memory.getHeapMemoryUsage().getUsed());
                    System.out.flush();
                } else if (command.equals("CPU")) {
                    System.out.println("CPU " + os.getProcessCpuTime());
                    System.out.flush();
                }
            }
        } finally {
            // A cluster node's membership, then its store, after the relay.
            if (node != null) {
                node.close();
            }
            if (store != null) {
                store.close();
            }
        }
    }
}
