/**
 * Operator metrics for a securecomm relay on Micrometer and Prometheus: {@link
 * io.securecomm.metrics.prometheus.RelayMetrics} turns what the relay and its store report (their
 * {@link io.securecomm.relay.RelayMeter} and {@link io.securecomm.relay.store.StoreMeter}) into meters, beside
 * JVM and Netty allocator metrics, and {@link io.securecomm.metrics.prometheus.MetricsServer} serves them as
 * Prometheus text at {@code /metrics}, with {@code /healthz} and {@code /readyz}.
 *
 * <p>No metric has a label or value that identifies a user: no nickname, client id, address or size of one
 * message. The relay's meter is never told any of these, and the labels are the meter's enums only. The list of
 * metrics is in docs/OPERATIONS.md.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.metrics.prometheus;
