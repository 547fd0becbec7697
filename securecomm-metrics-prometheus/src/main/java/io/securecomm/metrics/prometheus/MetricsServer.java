package io.securecomm.metrics.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP endpoint for a relay's operators, on the JDK's own HTTP server (no dependency): {@code GET
 * /metrics} is {@link RelayMetrics#scrape()} in Prometheus' text format, {@code GET /healthz} answers 200 while
 * the process runs (liveness), and {@code GET /readyz} answers 200 when every {@link ReadinessCheck} passes and
 * 503, naming the first that fails, otherwise (readiness: take the relay out of a load balancer).
 *
 * <p>It has no authentication and no TLS: bind it to the loopback interface, or to an address only the
 * monitoring system can reach. It serves nothing that identifies a user (see {@link RelayMetrics}).
 *
 * <p>Requests are answered one at a time on one daemon thread. Thread-safe; {@link #close()} is idempotent.
 */
public final class MetricsServer implements AutoCloseable {
    /** The content type of Prometheus' text exposition format 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * One condition of readiness.
     */
    @FunctionalInterface
    public interface ReadinessCheck {
        /**
         * Checks the condition now; must not block for long (a probe waits for it).
         *
         * @return empty when ready, otherwise why not, in a few words for the operator
         */
        Optional<String> notReadyBecause();

        /**
         * Ready while the relay accepts connections ({@link RelayServer#isAccepting()}): not before it is
         * listening, nor once its shutdown has begun.
         *
         * @param relay the relay
         * @return the check
         */
        static ReadinessCheck accepting(RelayServer relay) {
            Objects.requireNonNull(relay, "relay");
            return () -> relay.isAccepting() ? Optional.empty()
                    : Optional.of("the relay is not accepting connections");
        }

        /**
         * Ready while the relay reaches its cluster's backend ({@link RelayServer#clusterHealth()}, docs/CLUSTER.md);
         * always ready for a relay without a cluster.
         *
         * @param relay the relay
         * @return the check
         */
        static ReadinessCheck clusterReachable(RelayServer relay) {
            Objects.requireNonNull(relay, "relay");
            return () -> relay.clusterHealth().reachable() ? Optional.empty()
                    : Optional.of("the relay cannot reach its cluster: " + relay.clusterHealth().detail());
        }

        /**
         * Ready while the store's last write went through ({@link RelayStore#health()}).
         *
         * @param store the relay's store
         * @return the check
         */
        static ReadinessCheck storeHealthy(RelayStore store) {
            Objects.requireNonNull(store, "store");
            return () -> {
                StoreHealth health = store.health();
                return health.failure().map(f -> "the store is failing (" + f.reason() + ") since " + health.since());
            };
        }
    }

    private final HttpServer server;
    private final ExecutorService thread;
    private final RelayMetrics metrics;
    private final List<ReadinessCheck> checks;

    private MetricsServer(HttpServer server, ExecutorService thread, RelayMetrics metrics,
            List<ReadinessCheck> checks) {
        this.server = server;
        this.thread = thread;
        this.metrics = metrics;
        this.checks = checks;
    }

    /**
     * Binds the endpoint and starts serving.
     *
     * @param address where to listen (port 0 for any free port); loopback unless the network is trusted
     * @param metrics what {@code /metrics} serves; its registry must be a Prometheus one
     *     ({@link RelayMetrics#create()})
     * @param checks what {@code /readyz} checks, in order; none means always ready
     * @return the running endpoint
     * @throws IOException if the address cannot be bound
     */
    public static MetricsServer start(InetSocketAddress address, RelayMetrics metrics, List<ReadinessCheck> checks)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(metrics, "metrics");
        List<ReadinessCheck> copy = List.copyOf(checks);
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "securecomm-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsServer endpoint = new MetricsServer(server, thread, metrics, copy);
        server.createContext("/", endpoint::handle);
        server.setExecutor(thread);
        server.start();
        return endpoint;
    }

    /**
     * The address the endpoint listens on, with the real port when port 0 was asked for.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving at once and releases the port. */
    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
                case "/healthz" -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
                case "/readyz" -> {
                    List<String> reasons = new ArrayList<>();
                    for (ReadinessCheck check : checks) {
                        check.notReadyBecause().ifPresent(reasons::add);
                    }
                    if (reasons.isEmpty()) {
                        respond(exchange, 200, "text/plain; charset=utf-8", "ready\n");
                    } else {
                        respond(exchange, 503, "text/plain; charset=utf-8",
                                "not ready: " + String.join("; ", reasons) + "\n");
                    }
                }
                default -> respond(exchange, 404, "text/plain; charset=utf-8",
                        "not found; this endpoint serves /metrics, /healthz and /readyz\n");
            }
        } catch (RuntimeException bug) {
            // The connection is closed by try-with-resources; the scraper sees the failure and retries.
            throw new IOException("metrics endpoint failed: " + bug, bug);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
