package io.securecomm.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every mode of the harness runs a tiny configuration end to end (a relay in a child JVM, three clients) and
 * accounts for every delivery: public, private and both mixes, flat out and at a fixed rate, with end-to-end and
 * with relay-only clients, idle connections,
 * and mosquitto when its broker is running. A mode that breaks (as the idle-connection mode once did, stopped by a
 * relay limit) fails the build instead of a recorded run. This checks the harness, not performance: nothing here
 * measures.
 */
class LoadHarnessSmokeTest {
    private static LoadConfig tiny(String peer, LoadConfig.Mix mix, int ratePerSecond) {
        LoadConfig d = LoadConfig.defaults();
        return new LoadConfig(peer, 3, mix, 20, 4, 64, ratePerSecond, 4, Duration.ofSeconds(10), d.mqttPort(),
                fromRoot(d.mqttCaFile()), fromRoot(d.mqttPidFile()));
    }

    /** The harness's default paths are from the repository root; Maven runs the tests from the module directory. */
    private static Path fromRoot(Path path) {
        return Files.exists(path) ? path : Path.of("..").resolve(path);
    }

    private static void assertEveryDeliveryOnce(LoadReport report, long expected) {
        assertEquals(expected, report.expected());
        assertEquals(expected, report.delivered());
        assertEquals(0, report.lost());
        assertEquals(0, report.duplicates());
        assertTrue(report.p99Micros() > 0, "latencies were recorded");
        assertTrue(report.format().contains("lost              0"), report.format());
    }

    @ParameterizedTest
    @EnumSource(LoadConfig.Mix.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMixDeliversEveryMessageExactlyOnce(LoadConfig.Mix mix) throws Exception {
        // 20 messages among 3 clients: a public one reaches 2 clients, a private one 1; BOTH alternates.
        long expected = switch (mix) {
            case PUBLIC -> 40;
            case PRIVATE -> 20;
            case BOTH -> 30;
        };
        assertEveryDeliveryOnce(LoadHarness.run(tiny("securecomm", mix, 0)), expected);
    }

    @ParameterizedTest
    @EnumSource(LoadConfig.Mix.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyMixWithRelayOnlyClientsDeliversEveryMessageExactlyOnce(LoadConfig.Mix mix) throws Exception {
        long expected = switch (mix) {
            case PUBLIC -> 40;
            case PRIVATE -> 20;
            case BOTH -> 30;
        };
        LoadReport report = LoadHarness.run(tiny("securecomm", mix, 0).withRelayOnly(true));
        assertEveryDeliveryOnce(report, expected);
        assertTrue(report.format().contains("relay-only clients"), report.format());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFixedRateRunDeliversEveryMessageExactlyOnce() throws Exception {
        assertEveryDeliveryOnce(LoadHarness.run(tiny("securecomm", LoadConfig.Mix.BOTH, 200)), 30);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void idleConnectionsAreAllOpenedAndMeasured() throws Exception {
        // More than the 18 connections that the relay's per-address limit once allowed this mode.
        IdleConnections.Result result = IdleConnections.run(40);
        assertEquals(null, result.firstFailure(), result.format());
        assertEquals(40, result.opened(), result.format());
        assertTrue(result.heapAfterBytes() > 0 && result.heapBeforeBytes() > 0, result.format());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void admittedClientsAreAllAdmittedAndListedPageByPage() throws Exception {
        // More than one page and more than the room, so that the walk crosses pages and most clients are outside.
        AdmittedClients.Result result = AdmittedClients.run(300, 0);
        assertEquals(null, result.firstFailure(), result.format());
        assertEquals(300, result.admitted(), result.format());
        assertEquals(301, result.listed(), "everyone and the lister, once each: " + result.format());
        assertEquals(2, result.pages(), result.format());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mosquittoRunDeliversEveryMessageExactlyOnce() throws Exception {
        LoadConfig config = tiny("mosquitto", LoadConfig.Mix.BOTH, 0);
        Assumptions.assumeTrue(brokerRunning(config.mqttPidFile()),
                "no mosquitto broker from benchmarks/mosquitto/run.sh is running: start it to smoke-test this mode");
        assertEveryDeliveryOnce(LoadHarness.run(config), 30);
    }

    private static boolean brokerRunning(Path pid) throws IOException {
        return Files.isRegularFile(pid)
                && ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).map(ProcessHandle::isAlive)
                        .orElse(false);
    }

    @Test
    void configRefusesPayloadsTooSmallForTheHeader() {
        Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadConfig("securecomm", 3, LoadConfig.Mix.PUBLIC, 1, 0, LoadConfig.MIN_PAYLOAD_BYTES - 1,
                        0, 1, Duration.ofSeconds(1), 0, Path.of("x"), Path.of("x")));
    }
}
