package io.securecomm.benchmarks.relay;

import java.util.Locale;

/**
 * What one harness run measured.
 *
 * @param server the server's name
 * @param config the workload, as given
 * @param sent messages sent
 * @param expected deliveries expected (a public message reaches every other client, a private one its recipient)
 * @param delivered distinct deliveries received
 * @param duplicates deliveries received more than once
 * @param lost expected deliveries never received
 * @param seconds from the first send to the last delivery
 * @param p50Micros median end-to-end latency
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros the largest latency
 * @param serverCpuSeconds server CPU time spent during the run: the whole process's (every thread's), from
 *     {@code /proc} between the first send and the last delivery, so that neither the connects nor the collections
 *     the harness makes the relay run to read its heap count; the headline, compared with another server's
 * @param serverMemoryBytes server memory after the run (relay: heap after GC; broker: resident set)
 * @param serverMemoryPerClientBytes server memory growth from no clients to all connected, per client
 * @param redisCpuSeconds for a relay cluster, the Redis server's CPU time during the run (the relay nodes' is
 *     {@code serverCpuSeconds}, summed); negative without a cluster
 * @param serverThreads the same window's server CPU split by thread group (relay loops, JIT compiler, collector,
 *     other), which explains {@code serverCpuSeconds}; {@link ThreadCpu#NONE} if not read
 */
public record LoadReport(String server, LoadConfig config, long sent, long expected, long delivered,
        long duplicates, long lost, double seconds, long p50Micros, long p99Micros, long p999Micros,
        long maxMicros, double serverCpuSeconds, long serverMemoryBytes, long serverMemoryPerClientBytes,
        double redisCpuSeconds, ThreadCpu serverThreads) {

    /**
     * Returns deliveries per second.
     *
     * @return delivered divided by seconds
     */
    public double deliveredPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }

    /**
     * Returns the server's CPU time per delivery, the relay's headline cost.
     *
     * @return server CPU microseconds divided by distinct deliveries
     */
    public double serverMicrosPerDelivery() {
        return delivered > 0 ? serverCpuSeconds * 1e6 / delivered : 0;
    }

    /**
     * Returns the Redis server's CPU time per delivery, in a cluster run.
     *
     * @return Redis CPU microseconds divided by distinct deliveries, or 0 without a cluster
     */
    public double redisMicrosPerDelivery() {
        return delivered > 0 && redisCpuSeconds > 0 ? redisCpuSeconds * 1e6 / delivered : 0;
    }

    /**
     * Formats the report as the lines the harness prints.
     *
     * @return the report text
     */
    public String format() {
        return String.format(Locale.ROOT, """
                server            %s
                workload          %s
                sent              %d messages
                delivered         %d of %d expected in %.2f s = %.0f msg/s
                lost              %d
                duplicated        %d
                latency (us)      p50 %d  p99 %d  p99.9 %d  max %d
                server CPU        %.2f s (%.0f%% of one core), %.1f us per delivery
                server memory     %.1f MiB after the run, %.1f KiB per connected client
                """, server, config, sent, delivered, expected, seconds, deliveredPerSecond(), lost, duplicates,
                p50Micros, p99Micros, p999Micros, maxMicros, serverCpuSeconds,
                seconds > 0 ? 100 * serverCpuSeconds / seconds : 0, serverMicrosPerDelivery(),
                serverMemoryBytes / 1048576.0, serverMemoryPerClientBytes / 1024.0)
                + serverThreads.format(delivered)
                + (redisCpuSeconds < 0 ? "" : String.format(Locale.ROOT,
                        "Redis CPU         %.2f s (%.0f%% of one core), %.1f us per delivery\n", redisCpuSeconds,
                        seconds > 0 ? 100 * redisCpuSeconds / seconds : 0, redisMicrosPerDelivery()));
    }
}
