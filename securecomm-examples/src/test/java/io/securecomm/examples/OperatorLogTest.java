package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.securecomm.relay.RelayMeter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class OperatorLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T07:40:00.123456Z"), ZoneOffset.UTC);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void textLinesHaveATimestampALevelAndOneLineOfMessage() {
        OperatorLog log = new OperatorLog(out, OperatorLog.Format.TEXT, CLOCK);
        log.info("listening", "securecomm relay listening on 127.0.0.1:8080", "address", "127.0.0.1:8080");
        log.warn("relay_key", "a forged\nsecond line");
        assertEquals(List.of("2026-12-05T07:40:00.123Z INFO  securecomm relay listening on 127.0.0.1:8080",
                "2026-12-05T07:40:00.123Z WARN  a forged\\nsecond line"), lines());
    }

    @Test
    void jsonLinesParseWhateverTheyCarry() {
        OperatorLog log = new OperatorLog(out, OperatorLog.Format.JSON, CLOCK);
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 line sep \u2028 é 🔑";
        log.info("client_joined", nasty, "nickname", nasty, "client_id", "7");
        List<String> lines = lines();
        assertEquals(1, lines.size(), "one line, whatever the message holds");
        JsonObject o = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("2026-12-05T07:40:00.123Z", o.get("time").getAsString());
        assertEquals("INFO", o.get("level").getAsString());
        assertEquals("client_joined", o.get("event").getAsString());
        assertEquals(nasty, o.get("message").getAsString());
        assertEquals(nasty, o.get("nickname").getAsString());
        assertEquals("7", o.get("client_id").getAsString());
    }

    @Test
    void theLibrarysWarningsJoinTheLogButNotTheRelaysOwnLifecycle() {
        OperatorLog log = new OperatorLog(out, OperatorLog.Format.JSON, CLOCK);
        Logger jul = Logger.getLogger("io.securecomm");
        Handler handler = log.captureLibraryLog();
        try {
            System.getLogger("io.securecomm.relay").log(System.Logger.Level.INFO, "relay listening on {0}", "x");
            System.getLogger("io.securecomm.relay.store.sqlite").log(System.Logger.Level.WARNING,
                    "relay store {0} is failing ({1}): {2}", "/var/lib/relay.db", "FULL", "the disk is full");
            System.getLogger("io.securecomm.relay").log(System.Logger.Level.DEBUG, "connection refused");
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(true);
        }
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines::toString);
        JsonObject o = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("WARN", o.get("level").getAsString());
        assertEquals("library", o.get("event").getAsString());
        assertEquals("io.securecomm.relay.store.sqlite", o.get("logger").getAsString());
        assertEquals("relay store /var/lib/relay.db is failing (FULL): the disk is full",
                o.get("message").getAsString());
    }

    @Test
    void refusedConnectionsAreLoggedAtMostOncePerIntervalWithTheirCount() {
        OperatorLog log = new OperatorLog(out, OperatorLog.Format.TEXT, CLOCK);
        AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
        LoggingMeter meter = new LoggingMeter(RelayMeter.NONE, log, Runnable::run, now::get, 10_000, 64);
        RelayMeter.ConnectionRefusal perAddress = RelayMeter.ConnectionRefusal.MAX_CONNECTIONS_PER_ADDRESS;
        meter.connectionRefused(perAddress);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        meter.connectionRefused(perAddress);
        meter.connectionRefused(perAddress);
        meter.connectionRefused(RelayMeter.ConnectionRefusal.MAX_CONNECTIONS);
        now.addAndGet(LoggingMeter.REFUSAL_LOG_INTERVAL.toNanos());
        meter.connectionRefused(perAddress);
        List<String> lines = lines();
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith("WARN  refused a connection: one address has its maximum of 64 connections"
                + " (--max-connections-per-address)"), lines.get(0));
        assertTrue(lines.get(1).contains("refused a connection: the relay has its maximum of 10000 connections"),
                lines.get(1));
        assertTrue(lines.get(2).contains("refused 3 connections: one address"), lines.get(2));
    }
}
