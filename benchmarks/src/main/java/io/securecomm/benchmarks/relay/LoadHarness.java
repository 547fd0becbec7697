package io.securecomm.benchmarks.relay;

import io.securecomm.internal.noise.HopCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The relay load harness: starts the securecomm relay in a child JVM (or uses a running mosquitto broker), connects
 * N clients on 127.0.0.1, drives a mix of public and private messages at a fixed offered rate or as fast as the
 * clients' windows allow, and reports delivered messages per second, end-to-end latency percentiles (HdrHistogram),
 * lost and duplicated messages, and the server's CPU and memory. Bounded in message count and in time. The server's
 * CPU is its processes' (every thread's) from {@code /proc} between the first measured send and the last delivery,
 * the headline; the line after it splits it by thread group ({@link ThreadCpu}: the relay's event loops, the JIT
 * compiler, the collector, other; and the part spent in the kernel), to explain it, not to replace it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.relay.LoadHarness [options]
 *   --peer securecomm|mosquitto   the server (default securecomm)
 *   --clients N                   clients (default 100)
 *   --mix public|private|both     which messages (default public)
 *   --messages N                  messages in total (default 2000)
 *   --warmup N                    messages sent first and not measured (default 1000)
 *   --size BYTES                  text bytes per message (default 64)
 *   --rate N                      offered messages per second, 0 = as fast as possible (default 0)
 *   --window N                    outstanding messages per client (default 8)
 *   --time-limit SECONDS          give up waiting after this long (default 120)
 *   --mqtt-port P, --mqtt-ca FILE, --mqtt-pid FILE   the broker started by benchmarks/mosquitto/run.sh
 *   --nodes N                     securecomm: a relay cluster of N nodes (child JVMs) on a redis-server the harness
 *                                 starts (appendfsync everysec), clients spread over the nodes in turn; also reports
 *                                 Redis' CPU (default 0: one relay on its own, no Redis)
 *   --relay-only                  securecomm: clients that forward pre-made envelopes (a client's work per message
 *                                 is the hop's record, like an MQTT client's), so the relay's own cost shows
 *   --noise-cipher auto|ChaChaPoly|AESGCM  how the hop chooses its Noise cipher (default auto, as the relay and
 *                                 the chat client: negotiated, AES-GCM where both JVMs use AES instructions); with
 *                                 --relay-only, ChaChaPoly or AESGCM sets one cipher on the relay's JVM and the
 *                                 clients alike, to measure it
 *   --idle-connections N          instead: hold N idle authenticated connections, report relay heap per connection
 *   --admitted-clients N          instead: hold N admitted chat clients (relay protocol only), report relay heap per
 *                                 client, admissions per second as the relay fills, and the time to list them all
 *                                 page by page (each process needs ulimit -n above N: docs/BENCHMARKS.md)
 *   --abuse [options]             instead: the abuse mode, honest latency without and with attacks (AbuseHarness)
 * </pre>
 *
 * Each text carries its sender, a sequence number and its intended send time ({@code System.nanoTime()}, the same
 * clock at both ends since everything runs in this JVM). At a fixed rate, latency counts from the time the message
 * was due, not when it was sent, so a stalled sender cannot hide its delay (no coordinated omission).
 */
public final class LoadHarness {
    private final LoadConfig config;
    private final Receiver receiver = this::onMessage;
    private volatile Tracker tracker;
    /** Each sender's next sequence number, across the warm-up and the measured run. */
    private final int[] sequence;
    /** When the whole run (warm-up, measured run, waiting for both) must end: {@code --time-limit} from the start. */
    private long deadline;
    /** Messages the last {@link #drive} sent: fewer than asked if the time limit came first. */
    private int sent;

    private LoadHarness(LoadConfig config) {
        this.config = config;
        this.sequence = new int[config.clients()];
        this.tracker = new Tracker(config.clients(), sequence);
    }

    private void onMessage(int receiverIndex, String text) {
        tracker.onMessage(receiverIndex, text);
    }

    /**
     * Runs the harness from the command line; exits 1 if any message was lost or duplicated.
     *
     * @param args the options above
     * @throws Exception if the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--abuse")) {
            AbuseHarness.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        LoadConfig d = LoadConfig.defaults();
        String peer = d.peer();
        int clients = d.clients();
        LoadConfig.Mix mix = d.mix();
        int messages = d.messages();
        int size = d.payloadBytes();
        int rate = d.ratePerSecond();
        int window = d.window();
        int warmup = d.warmupMessages();
        Duration limit = d.timeLimit();
        int mqttPort = d.mqttPort();
        Path ca = d.mqttCaFile();
        Path pid = d.mqttPidFile();
        int idle = 0;
        boolean relayOnly = false;
        int admitted = 0;
        int nodes = 0;
        HopCipher noiseCipher = HopCipher.AUTO;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--peer" -> peer = value;
                case "--clients" -> clients = Integer.parseInt(value);
                case "--mix" -> mix = LoadConfig.Mix.valueOf(value.toUpperCase(Locale.ROOT));
                case "--messages" -> messages = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--window" -> window = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--time-limit" -> limit = Duration.ofSeconds(Long.parseLong(value));
                case "--mqtt-port" -> mqttPort = Integer.parseInt(value);
                case "--mqtt-ca" -> ca = Path.of(value);
                case "--mqtt-pid" -> pid = Path.of(value);
                case "--idle-connections" -> idle = Integer.parseInt(value);
                case "--relay-only" -> {
                    relayOnly = true;
                    i--; // takes no value
                }
                case "--admitted-clients" -> admitted = Integer.parseInt(value);
                case "--nodes" -> nodes = Integer.parseInt(value);
                case "--noise-cipher" -> noiseCipher = noiseCipher(value);
                default -> {
                    System.err.println("unknown option " + args[i] + "; see the class Javadoc of "
                            + LoadHarness.class.getName());
                    System.exit(2);
                }
            }
            i++;
        }
        if (admitted > 0) {
            System.out.print(AdmittedClients.run(admitted).format());
            return;
        }
        if (idle > 0) {
            System.out.print(IdleConnections.run(idle).format());
            return;
        }
        LoadReport report = run(new LoadConfig(peer, clients, mix, messages, warmup, size, rate, window, limit,
                mqttPort, ca, pid, relayOnly, nodes, noiseCipher));
        System.out.print(report.format());
        System.exit(report.lost() == 0 && report.duplicates() == 0 && report.sent() == report.config().messages()
                ? 0 : 1);
    }

    private static HopCipher noiseCipher(String specName) {
        HopCipher cipher = HopCipher.parse(specName);
        if (cipher == null) {
            throw new IllegalArgumentException("unknown --noise-cipher '" + specName
                    + "'; use auto, ChaChaPoly or AESGCM");
        }
        return cipher;
    }

    /**
     * Runs one workload.
     *
     * @param config the workload
     * @return what was measured
     * @throws Exception if the server or the clients cannot be set up
     */
    public static LoadReport run(LoadConfig config) throws Exception {
        return new LoadHarness(config).run();
    }

    private LoadReport run() throws Exception {
        ServerUnderTest server;
        int port;
        List<Integer> ports = null;
        ClusterUnderTest cluster = null;
        if (config.peer().equals("securecomm") && config.nodes() > 0) {
            cluster = ClusterUnderTest.start(config.nodes(), Math.max(config.clients(), 2), Duration.ofSeconds(30),
                    "1g");
            server = cluster;
            ports = cluster.ports();
            port = ports.get(0);
        } else if (config.peer().equals("securecomm")) {
            RelayProcess relay = RelayProcess.start(Math.max(config.clients(), 2), Duration.ofSeconds(30), "1g",
                    config.noiseCipher());
            server = relay;
            port = relay.port();
            ports = List.of(port);
        } else if (config.peer().equals("mosquitto")) {
            if (!Files.isRegularFile(config.mqttPidFile())) {
                throw new IllegalStateException("no mosquitto pid file at " + config.mqttPidFile()
                        + ": start the broker with benchmarks/mosquitto/run.sh start");
            }
            server = new MosquittoProcess(Long.parseLong(Files.readString(config.mqttPidFile()).trim()));
            port = config.mqttPort();
        } else {
            throw new IllegalArgumentException("unknown peer " + config.peer() + "; use securecomm or mosquitto");
        }
        try (server) {
            ServerUnderTest.Stats empty = server.stats();
            List<LoadClient> clients = !config.peer().equals("securecomm")
                    ? MqttClients.connect(port, config.mqttCaFile(), config.clients(), receiver)
                    : config.relayOnly() ? RelayOnlyClients.connect(ports, config.clients(), receiver,
                            config.noiseCipher())
                    : SecurecommClients.connect(ports, config.clients(), receiver);
            try {
                ServerUnderTest.Stats connected = server.stats();
                ServerUnderTest.Stats redisBefore = cluster == null ? null : cluster.redisStats();
                // One time limit for the warm-up and the measured run together, so --time-limit bounds the run.
                deadline = System.nanoTime() + config.timeLimit().toNanos();
                if (config.warmupMessages() > 0) {
                    // Warm the JIT of relay and clients; the warm-up tracker is dropped once all has arrived.
                    long warmStart = System.nanoTime();
                    long warmExpected = drive(clients, warmStart, config.warmupMessages());
                    awaitDeliveries(warmExpected);
                    // The measured run's numbers follow the warm-up's: a warm-up message that arrives late is
                    // ignored, not counted as a measured one (nor its measured namesake as a duplicate).
                    tracker = new Tracker(config.clients(), sequence);
                    connected = server.stats();
                    redisBefore = cluster == null ? null : cluster.redisStats();
                }
                // The measured window's CPU, read from /proc without disturbing the server: after the collection
                // that stats() makes the relay run, before the next.
                ThreadCpu threadsBefore = server.threadCpu();
                long start = System.nanoTime();
                long expected = drive(clients, start, config.messages());
                awaitDeliveries(expected);
                long end = tracker.lastDelivery.get();
                ThreadCpu threads = server.threadCpu().minus(threadsBefore);
                ServerUnderTest.Stats redisAfter = cluster == null ? null : cluster.redisStats();
                ServerUnderTest.Stats after = server.stats();
                // A short quiet period, so that late duplicates are still counted.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                Histogram h = tracker.latencies();
                long distinct = tracker.distinct.sum();
                if (sent < config.messages()) {
                    System.err.println("sent " + sent + " of " + config.messages() + " measured messages");
                }
                return new LoadReport(server.name(), config, sent, expected, distinct,
                        tracker.duplicates.sum(), Math.max(0, expected - distinct),
                        Math.max(1, end - start) / 1e9, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                        h.getValueAtPercentile(99.9), h.getMaxValue(),
                        (threads.totalNanos() > 0 ? threads.totalNanos() : after.cpuNanos() - connected.cpuNanos())
                                / 1e9,
                        after.memoryBytes(), (connected.memoryBytes() - empty.memoryBytes()) / config.clients(),
                        redisAfter == null ? -1 : (redisAfter.cpuNanos() - redisBefore.cpuNanos()) / 1e9, threads);
            } finally {
                for (LoadClient c : clients) {
                    c.close();
                }
            }
        }
    }

    private void awaitDeliveries(long expected) {
        while (tracker.distinct.sum() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Sends {@code messages} messages; returns the number of deliveries they should produce. */
    private long drive(List<LoadClient> clients, long start, int messages) throws InterruptedException {
        int n = clients.size();
        Semaphore[] windows = new Semaphore[n];
        for (int i = 0; i < n; i++) {
            windows[i] = new Semaphore(config.window());
        }
        long period = config.ratePerSecond() == 0 ? 0 : 1_000_000_000L / config.ratePerSecond();
        long expected = 0;
        sent = 0;
        StringBuilder padding = new StringBuilder();
        while (padding.length() < config.payloadBytes()) {
            padding.append('x');
        }
        for (int k = 0; k < messages; k++) {
            int sender = k % n;
            long due;
            if (period > 0) {
                due = start + k * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!acquire(windows[sender])) {
                    break;
                }
            } else {
                if (!acquire(windows[sender])) {
                    break;
                }
                due = System.nanoTime();
            }
            int seq = sequence[sender]++;
            String head = sender + ":" + seq + ":" + due + ":";
            String text = head + padding.substring(0, config.payloadBytes() - head.length());
            sent++;
            boolean isPublic = config.mix() == LoadConfig.Mix.PUBLIC
                    || (config.mix() == LoadConfig.Mix.BOTH && k % 2 == 0);
            Semaphore w = windows[sender];
            if (isPublic) {
                expected += n - 1;
                clients.get(sender).sendPublic(text).whenComplete((ok, failure) -> release(w, failure));
            } else {
                expected += 1;
                int recipient = (sender + 1 + seq % (n - 1)) % n;
                clients.get(sender).sendPrivate(recipient, text).whenComplete((ok, failure) -> release(w, failure));
            }
        }
        return expected;
    }

    /** Takes a place in a sender's window, unless the run's time limit comes first (then nothing more is sent). */
    private boolean acquire(Semaphore window) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0 && window.tryAcquire(left, TimeUnit.NANOSECONDS)) {
            return true;
        }
        System.err.println("time limit of " + config.timeLimit().toSeconds() + " s reached while sending");
        return false;
    }

    private static void release(Semaphore window, Throwable failure) {
        if (failure != null) {
            System.err.println("send failed: " + failure);
        }
        window.release();
    }

    /** Per-receiver bookkeeping, touched only by that receiver's callback thread until the run ends. */
    private static final class Tracker {
        final LongAdder distinct = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final AtomicLong lastDelivery = new AtomicLong();
        private final Histogram[] histograms;
        private final BitSet[][] seen;
        /** Each sender's first sequence number of this phase: earlier ones are the warm-up's, arriving late. */
        private final int[] first;

        Tracker(int clients, int[] nextSequence) {
            first = nextSequence.clone();
            histograms = new Histogram[clients];
            seen = new BitSet[clients][clients];
            for (int i = 0; i < clients; i++) {
                histograms[i] = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
                for (int j = 0; j < clients; j++) {
                    seen[i][j] = new BitSet();
                }
            }
        }

        void onMessage(int receiver, String text) {
            long now = System.nanoTime();
            int a = text.indexOf(':');
            int b = text.indexOf(':', a + 1);
            int c = text.indexOf(':', b + 1);
            int sender = Integer.parseInt(text, 0, a, 10);
            if (sender == receiver) {
                return; // MQTT echoes public messages to their sender; securecomm does not.
            }
            int seq = Integer.parseInt(text, a + 1, b, 10);
            if (seq < first[sender]) {
                return; // a warm-up message, late
            }
            long due = Long.parseLong(text, b + 1, c, 10);
            synchronized (seen[receiver]) {
                BitSet s = seen[receiver][sender];
                if (s.get(seq)) {
                    duplicates.increment();
                    return;
                }
                s.set(seq);
                histograms[receiver].recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(now - due),
                        histograms[receiver].getHighestTrackableValue()));
            }
            lastDelivery.accumulateAndGet(now, Math::max);
            distinct.increment();
        }

        Histogram latencies() {
            Histogram all = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
            for (int i = 0; i < histograms.length; i++) {
                synchronized (seen[i]) {
                    all.add(histograms[i]);
                }
            }
            return all;
        }
    }
}
