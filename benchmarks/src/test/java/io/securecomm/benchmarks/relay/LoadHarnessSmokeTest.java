package io.securecomm.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness runs a tiny configuration end to end (a relay in a child JVM, three clients, both kinds of message)
 * and accounts for every delivery. This checks the harness, not performance: nothing here measures.
 */
class LoadHarnessSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tinyRunDeliversEveryMessageExactlyOnce() throws Exception {
        LoadConfig config = new LoadConfig("securecomm", 3, LoadConfig.Mix.BOTH, 20, 4, 64, 0, 4,
                Duration.ofSeconds(10), 0, Path.of("unused"), Path.of("unused"));

        LoadReport report = LoadHarness.run(config);

        // 10 public messages reach 2 clients each, 10 private messages 1 each.
        assertEquals(30, report.expected());
        assertEquals(30, report.delivered());
        assertEquals(0, report.lost());
        assertEquals(0, report.duplicates());
        assertTrue(report.p99Micros() > 0, "latencies were recorded");
        assertTrue(report.format().contains("lost              0"), report.format());
    }

    @Test
    void configRefusesPayloadsTooSmallForTheHeader() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadConfig("securecomm", 3, LoadConfig.Mix.PUBLIC, 1, 0, LoadConfig.MIN_PAYLOAD_BYTES - 1,
                        0, 1, Duration.ofSeconds(1), 0, Path.of("x"), Path.of("x")));
    }
}
