package io.securecomm.metrics.prometheus;

import java.util.function.ToLongFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.store.QueueTotals;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A relay's and its store's operational numbers as Micrometer meters: pass it to
 * {@code RelayOptions.Builder.meter} and {@code SqliteStoreOptions.Builder.meter}, and {@link #watchStore} the
 * store for its queue gauges. {@link #create()} makes one on its own Prometheus registry, with JVM and Netty
 * allocator metrics; {@link MetricsServer} serves it.
 *
 * <pre>{@code
 * try (RelayMetrics metrics = RelayMetrics.create();
 *         RelayServer relay = RelayServer.create(RelayOptions.builder().meter(metrics).build()).start();
 *         MetricsServer endpoint = MetricsServer.start(new InetSocketAddress("127.0.0.1", 9100), metrics,
 *                 List.of(MetricsServer.ReadinessCheck.accepting(relay)))) {
 *     relay.awaitClose();
 * }
 * }</pre>
 *
 * <p><b>Privacy.</b> Every label is one of {@link RelayMeter}'s or {@link StoreException.Reason}'s enum
 * constants, in lower case: nothing that names a user, an address, or one message's size. The byte counters only
 * ever add up. docs/OPERATIONS.md lists every metric.
 *
 * <p>Thread-safe: the relay's event loops and the store's writer call it concurrently; counters and timers are
 * created once, up front, so every label combination is exported from the start (at zero).
 */
public final class RelayMetrics implements RelayMeter, StoreMeter, AutoCloseable {
    /** How long a scrape waits for the store's queue totals before it shows the previous ones. */
    private static final Duration STORE_TOTALS_TIMEOUT = Duration.ofSeconds(2);

    private final MeterRegistry registry;
    private final Clock clock;
    private final JvmGcMetrics gcMetrics;

    private final Counter accepted;
    private final AtomicLong open = new AtomicLong();
    private final EnumMap<ConnectionRefusal, Counter> refused = new EnumMap<>(ConnectionRefusal.class);
    private final EnumMap<HandshakeResult, Timer> handshakes = new EnumMap<>(HandshakeResult.class);
    private final Counter admitted;
    private final AtomicLong online = new AtomicLong();
    private final EnumMap<AdmissionRefusal, Counter> admissionRefused = new EnumMap<>(AdmissionRefusal.class);
    private final EnumMap<DepartureReason, Counter> departed = new EnumMap<>(DepartureReason.class);
    private final EnumMap<MessageKind, EnumMap<DeliveryResult, Counter>> forwarded = new EnumMap<>(MessageKind.class);
    private final EnumMap<MessageKind, Timer> deliveryLatency = new EnumMap<>(MessageKind.class);
    private final EnumMap<LimitDisconnect, Counter> limitDisconnections = new EnumMap<>(LimitDisconnect.class);
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Timer commits;
    private final EnumMap<StoreException.Reason, Counter> writeFailures = new EnumMap<>(StoreException.Reason.class);

    private final AtomicReference<RelayStore> store = new AtomicReference<>();
    private final AtomicReference<QueueTotals> lastTotals = new AtomicReference<>();

    private RelayMetrics(MeterRegistry registry, Clock clock, boolean bindJvmAndNetty) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = clock;
        accepted = Counter.builder("securecomm.relay.connections.accepted")
                .description("TCP connections accepted within the connection limits").register(registry);
        Gauge.builder("securecomm.relay.connections.open", open, AtomicLong::get)
                .description("TCP connections open now, in any state").register(registry);
        for (ConnectionRefusal r : ConnectionRefusal.values()) {
            refused.put(r, Counter.builder("securecomm.relay.connections.refused").tag("reason", label(r))
                    .description("TCP connections closed at once by a connection limit").register(registry));
        }
        for (HandshakeResult r : HandshakeResult.values()) {
            handshakes.put(r, Timer.builder("securecomm.relay.handshakes").tag("result", label(r))
                    .description("Handshakes by result, and their time from the connection's acceptance")
                    .serviceLevelObjectives(millis(1), millis(2), millis(5), millis(10), millis(25), millis(50),
                            millis(100), millis(250), millis(500), millis(1000), millis(2500), millis(5000),
                            millis(10_000))
                    .register(registry));
        }
        admitted = Counter.builder("securecomm.relay.clients.admitted")
                .description("Clients admitted after their handshake and hello").register(registry);
        Gauge.builder("securecomm.relay.clients.online", online, AtomicLong::get)
                .description("Clients online now").register(registry);
        for (AdmissionRefusal r : AdmissionRefusal.values()) {
            admissionRefused.put(r, Counter.builder("securecomm.relay.clients.refused").tag("reason", label(r))
                    .description("Clients refused admission, by reason").register(registry));
        }
        for (DepartureReason r : DepartureReason.values()) {
            departed.put(r, Counter.builder("securecomm.relay.clients.departed").tag("reason", label(r))
                    .description("Admitted clients that left, by reason").register(registry));
        }
        for (MessageKind k : MessageKind.values()) {
            EnumMap<DeliveryResult, Counter> byResult = new EnumMap<>(DeliveryResult.class);
            for (DeliveryResult r : DeliveryResult.values()) {
                byResult.put(r, Counter.builder("securecomm.relay.messages.forwarded").tag("kind", label(k))
                        .tag("result", label(r))
                        .description("Messages forwarded to one recipient each, by kind and outcome")
                        .register(registry));
            }
            forwarded.put(k, byResult);
            deliveryLatency.put(k, Timer.builder("securecomm.relay.delivery.latency").tag("kind", label(k))
                    .description("From the relay reading a message to its write to a recipient completing")
                    .serviceLevelObjectives(micros(100), micros(250), micros(500), millis(1), millis(2), millis(5),
                            millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
                            millis(1000), millis(2500), millis(5000))
                    .register(registry));
        }
        for (LimitDisconnect l : LimitDisconnect.values()) {
            limitDisconnections.put(l, Counter.builder("securecomm.relay.limit.disconnections").tag("limit", label(l))
                    .description("Connections a limit ended: slow readers, rate-limited and idle clients")
                    .register(registry));
        }
        bytesReceived = Counter.builder("securecomm.relay.received").baseUnit("bytes")
                .description("Bytes read from clients' sockets").register(registry);
        bytesSent = Counter.builder("securecomm.relay.sent").baseUnit("bytes")
                .description("Bytes written to clients' sockets").register(registry);
        commits = Timer.builder("securecomm.store.commits")
                .description("Store transactions committed (a group commit carries many operations), and their time")
                .serviceLevelObjectives(micros(250), micros(500), millis(1), millis(2), millis(5), millis(10),
                        millis(25), millis(50), millis(100), millis(250), millis(500), millis(1000))
                .register(registry);
        for (StoreException.Reason r : StoreException.Reason.values()) {
            writeFailures.put(r, Counter.builder("securecomm.store.write.failures").tag("reason", label(r))
                    .description("Store transactions that failed and were rolled back, by reason")
                    .register(registry));
        }
        if (bindJvmAndNetty) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(registry);
            // The allocator the relay's connections use: Netty's default (adaptive in Netty 4.2).
            if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
                new NettyAllocatorMetrics(provider).bindTo(registry);
            }
        } else {
            gcMetrics = null;
        }
    }

    /**
     * Creates the metrics on a new Prometheus registry, with JVM (memory, garbage collection, threads, classes,
     * CPU, uptime, file descriptors) and Netty allocator metrics beside the relay's.
     *
     * @return the metrics; {@link #scrape()} renders them
     */
    public static RelayMetrics create() {
        return new RelayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), true);
    }

    /**
     * Creates only the relay's and the store's meters on a registry the application owns (which then chooses
     * its own JVM metrics and exporter).
     *
     * @param registry where to register the meters
     * @return the metrics
     */
    public static RelayMetrics on(MeterRegistry registry) {
        return new RelayMetrics(registry, Clock.systemUTC(), false);
    }

    /**
     * The registry the meters are in.
     *
     * @return the registry
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Adds the store's gauges: whether it is healthy, and (if it measures them, {@code QueueTotals}) how many
     * messages and bytes wait in its queues and the age of the oldest. They are read at each {@link #scrape()}.
     *
     * @param relayStore the relay's store
     * @throws IllegalStateException if a store is watched already
     */
    public void watchStore(RelayStore relayStore) {
        Objects.requireNonNull(relayStore, "relayStore");
        if (!store.compareAndSet(null, relayStore)) {
            throw new IllegalStateException("a store is watched already");
        }
        Gauge.builder("securecomm.store.healthy", relayStore, s -> s.health().healthy() ? 1 : 0)
                .description("1 while the store's last write went through, 0 while it fails").register(registry);
        Gauge.builder("securecomm.store.queued.messages", lastTotals, t -> totalsOrNaN(t, QueueTotals::messages))
                .description("Messages waiting in every recipient's queue together").register(registry);
        Gauge.builder("securecomm.store.queued", lastTotals, t -> totalsOrNaN(t, QueueTotals::bytes)).baseUnit("bytes")
                .description("Bytes of the messages waiting in every queue together").register(registry);
        Gauge.builder("securecomm.store.queued.oldest.age", lastTotals, t -> oldestAgeSeconds(t.get()))
                .baseUnit("seconds").description("Age of the oldest waiting message; 0 when none waits")
                .register(registry);
    }

    /**
     * Reads the watched store's queue totals now (waiting up to two seconds; the previous values stay if it
     * takes longer or fails). {@link #scrape()} calls it; an application exporting the {@link #registry()}
     * some other way calls it before each export.
     */
    public void refreshStoreTotals() {
        RelayStore s = store.get();
        if (s == null) {
            return;
        }
        try {
            Optional<QueueTotals> totals = s.messages().totals().toCompletableFuture()
                    .get(STORE_TOTALS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            totals.ifPresent(lastTotals::set);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception storeUnavailable) {
            // The health gauge says so; the queue gauges keep their last values.
        }
    }

    /**
     * Renders every meter in Prometheus' text exposition format (version 0.0.4), after refreshing the store's
     * totals.
     *
     * @return the exposition
     * @throws IllegalStateException if the registry is not a Prometheus registry (see {@link #on})
     */
    public String scrape() {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            throw new IllegalStateException("not a Prometheus registry: " + registry.getClass().getName());
        }
        refreshStoreTotals();
        return prometheus.scrape();
    }

    /** Stops the garbage collection metrics' notifications; the meters stay registered. */
    @Override
    public void close() {
        if (gcMetrics != null) {
            gcMetrics.close();
        }
    }

    // ---------------------------------------------------------------- RelayMeter

    @Override
    public void connectionOpened() {
        accepted.increment();
        open.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
        open.decrementAndGet();
    }

    @Override
    public void connectionRefused(ConnectionRefusal reason) {
        refused.get(reason).increment();
    }

    @Override
    public void handshakeEnded(HandshakeResult result, Duration duration) {
        handshakes.get(result).record(duration);
    }

    @Override
    public void clientAdmitted() {
        admitted.increment();
        online.incrementAndGet();
    }

    @Override
    public void clientRefused(AdmissionRefusal reason) {
        admissionRefused.get(reason).increment();
    }

    @Override
    public void clientDeparted(DepartureReason reason) {
        departed.get(reason).increment();
        online.decrementAndGet();
    }

    @Override
    public void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {
        forwarded.get(kind).get(result).increment();
        if (result == DeliveryResult.DELIVERED) {
            deliveryLatency.get(kind).record(latency);
        }
    }

    @Override
    public void limitDisconnected(LimitDisconnect limit) {
        limitDisconnections.get(limit).increment();
    }

    @Override
    public void bytesRead(long bytes) {
        bytesReceived.increment(bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        bytesSent.increment(bytes);
    }

    // ---------------------------------------------------------------- StoreMeter

    @Override
    public void committed(int operations, Duration duration) {
        commits.record(duration);
    }

    @Override
    public void writeFailed(StoreException.Reason reason) {
        writeFailures.get(reason).increment();
    }

    // ---------------------------------------------------------------- helpers

    private double oldestAgeSeconds(QueueTotals totals) {
        if (totals == null) {
            return Double.NaN;
        }
        return totals.oldestSentAt()
                .map(oldest -> Math.max(0, Duration.between(oldest, Instant.now(clock)).toMillis() / 1000.0))
                .orElse(0.0);
    }

    private static double totalsOrNaN(AtomicReference<QueueTotals> ref,
            ToLongFunction<QueueTotals> field) {
        QueueTotals t = ref.get();
        return t == null ? Double.NaN : field.applyAsLong(t);
    }

    private static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    private static Duration micros(long us) {
        return Duration.ofNanos(us * 1000);
    }

    /** A label value: the constant's name in lower case, the only kind of label value this class uses. */
    static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

}
