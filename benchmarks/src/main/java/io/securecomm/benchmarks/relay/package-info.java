/**
 * The relay load harness: {@link io.securecomm.benchmarks.relay.LoadHarness} starts a relay in a child JVM and N
 * chat clients on 127.0.0.1, drives public and private messages, and reports throughput, latency percentiles,
 * loss, duplicates, relay CPU and heap; with {@code --peer mosquitto} it drives the same workload through an MQTT
 * broker instead.
 */
package io.securecomm.benchmarks.relay;
