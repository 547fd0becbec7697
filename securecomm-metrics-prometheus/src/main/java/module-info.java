/**
 * Operator metrics for a securecomm relay: {@link io.securecomm.metrics.prometheus.RelayMetrics} (the relay's and
 * the store's meters on Micrometer, with JVM and Netty allocator metrics) and
 * {@link io.securecomm.metrics.prometheus.MetricsServer} ({@code /metrics}, {@code /healthz}, {@code /readyz} on the
 * JDK's HTTP server). No metric names a user; docs/OPERATIONS.md lists them all.
 */
// Micrometer's jars are automatic modules; its MeterRegistry is part of RelayMetrics' API, hence transitive.
@SuppressWarnings("requires-transitive-automatic")
module io.securecomm.metrics.prometheus {
    requires transitive io.securecomm.core;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;
    requires io.netty.buffer;
    requires jdk.httpserver;

    exports io.securecomm.metrics.prometheus;
}
