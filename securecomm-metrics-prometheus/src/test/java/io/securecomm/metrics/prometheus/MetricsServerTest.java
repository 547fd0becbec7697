package io.securecomm.metrics.prometheus;

import java.util.concurrent.ExecutionException;
import io.securecomm.relay.store.EnqueueResult;
import java.util.TreeSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.sqlite.SqliteRelayStore;
import io.securecomm.relay.store.sqlite.SqliteStoreOptions;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real relay with two chatting clients, scraped over HTTP: the expected metrics are there and move, and nothing
 * in them names a user or an address. And {@code /readyz} follows the relay and its store.
 */
@Timeout(120)
class MetricsServerTest {
    /** An HTTP answer (java.base's client: the module under test does not read java.net.http). */
    private record Response(int statusCode, String body, String contentType) {}
    /** A series line: name, optional labels, value. */
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @TempDir
    Path dir;

    private static Response get(MetricsServer server, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.address().getPort() + path)
                .toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        String.valueOf(c.getContentType()));
            }
        } finally {
            c.disconnect();
        }
    }

    /** Every series of an exposition, keyed by name and labels as written, with its value. */
    private static Map<String, Double> parse(String exposition) {
        Map<String, Double> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SERIES.matcher(line);
            assertTrue(m.matches(), () -> "not a Prometheus series line: " + line);
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(4)));
        }
        return out;
    }

    private static double value(Map<String, Double> series, String key) {
        Double v = series.get(key);
        assertNotNull(v, () -> "no series " + key + " in " + new TreeSet<>(series.keySet()));
        return v;
    }

    @Test
    @SuppressWarnings("try") // the relay is closed inside its try, to see /readyz change
    void aScrapeDuringAChatHasTheRelaysNumbersAndNoNicknameOrAddress() throws Exception {
        try (RelayMetrics metrics = RelayMetrics.create();
                RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                        .meter(metrics).build()).start();
                MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics,
                        List.of(MetricsServer.ReadinessCheck.accepting(relay)))) {
            RelayTrustStore trust = RelayTrustStore.knownKey(relay.identityPublicKey());
            LinkedBlockingQueue<ChatMessage> bobGot = new LinkedBlockingQueue<>();
            CompletableFuture<OnlineClient> aliceSawBob = new CompletableFuture<>();
            try (ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                            .nickname("AliceWonderland").trustStore(trust).build(), new ChatListener() {
                                @Override
                                public void onJoin(OnlineClient client) {
                                    aliceSawBob.complete(client);
                                }
                            });
                    ChatClient bob = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                            .nickname("BobTheBuilder").trustStore(trust).build(), new ChatListener() {
                                @Override
                                public void onMessage(ChatMessage message) {
                                    bobGot.add(message);
                                }
                            })) {
                alice.connect().get(10, TimeUnit.SECONDS);
                bob.connect().get(10, TimeUnit.SECONDS);
                aliceSawBob.get(10, TimeUnit.SECONDS);
                alice.sendPrivate("BobTheBuilder", "first").get(10, TimeUnit.SECONDS);
                assertEquals("first", bobGot.poll(10, TimeUnit.SECONDS).text());

                Response first = get(server, "/metrics");
                assertEquals(200, first.statusCode());
                assertTrue(first.contentType().startsWith("text/plain; version=0.0.4"), first.contentType());
                Map<String, Double> before = parse(first.body());

                for (int i = 0; i < 5; i++) {
                    alice.sendPrivate("BobTheBuilder", "more " + i).get(10, TimeUnit.SECONDS);
                }
                alice.sendPublic("to the room").get(10, TimeUnit.SECONDS);
                String text = get(server, "/metrics").body();
                Map<String, Double> after = parse(text);

                // The relay's numbers are there and move with the chat.
                assertEquals(2.0, value(after, "securecomm_relay_clients_online"));
                assertEquals(2.0, value(after, "securecomm_relay_connections_open"));
                assertEquals(2.0, value(after, "securecomm_relay_handshakes_seconds_count{result=\"completed\"}"));
                assertEquals(0.0, value(after, "securecomm_relay_handshakes_seconds_count{result=\"failed\"}"));
                assertEquals(2.0, value(after, "securecomm_relay_clients_admitted_total"));
                String pairwise = "securecomm_relay_messages_forwarded_total{kind=\"pairwise\",result=\"delivered\"}";
                assertTrue(value(after, pairwise) >= value(before, pairwise) + 5, pairwise);
                String room = "securecomm_relay_messages_forwarded_total{kind=\"room\",result=\"delivered\"}";
                assertTrue(value(after, room) >= 1, room);
                String latency = "securecomm_relay_delivery_latency_seconds_count{kind=\"pairwise\"}";
                assertTrue(value(after, latency) >= value(before, latency) + 5, latency);
                assertTrue(value(after, "securecomm_relay_received_bytes_total")
                        > value(before, "securecomm_relay_received_bytes_total"));
                assertTrue(value(after, "securecomm_relay_sent_bytes_total")
                        > value(before, "securecomm_relay_sent_bytes_total"));
                assertEquals(0.0, value(after,
                        "securecomm_relay_connections_refused_total{reason=\"max_connections\"}"));
                assertEquals(0.0, value(after,
                        "securecomm_relay_limit_disconnections_total{limit=\"rate_limited\"}"));
                assertEquals(0.0, value(after, "securecomm_relay_limit_disconnections_total{limit=\"slow_reader\"}"));
                assertTrue(text.contains("securecomm_relay_delivery_latency_seconds_bucket{kind=\"pairwise\",le="));
                assertTrue(text.contains("\njvm_memory_used_bytes{"), "JVM metrics");
                assertTrue(text.contains("\nnetty_allocator_memory_used"), "Netty allocator metrics");

                // Nothing that names anyone.
                String lower = text.toLowerCase();
                for (String forbidden : List.of("alicewonderland", "bobthebuilder", "alice", "bob", "127.0.0.1",
                        "localhost", ":" + relay.localAddress().getPort())) {
                    assertFalse(lower.contains(forbidden), () -> "/metrics contains '" + forbidden + "'");
                }
                // Every label of the relay's and the store's metrics is one of the meter's enums.
                Set<String> securecommLabels = Set.of("reason", "result", "kind", "limit", "le");
                for (String line : text.split("\n")) {
                    Matcher m = SERIES.matcher(line);
                    if (line.startsWith("securecomm_") && m.matches() && m.group(3) != null) {
                        Matcher l = LABEL.matcher(m.group(3));
                        while (l.find()) {
                            assertTrue(securecommLabels.contains(l.group(1)), line);
                            assertTrue(l.group(2).matches("[a-z_]+|[0-9.E+-]+|\\+Inf"), line);
                        }
                    }
                }
            }
            // The clients said goodbye; wait (bounded) until the relay has read both goodbyes, so that the departures
            // below are theirs and not the shutdown's.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (value(parse(get(server, "/metrics").body()), "securecomm_relay_clients_online") != 0.0) {
                assertTrue(System.nanoTime() < deadline, "the relay never saw the clients leave");
                Thread.sleep(20);
            }
            assertEquals(200, get(server, "/healthz").statusCode());
            Response ready = get(server, "/readyz");
            assertEquals(200, ready.statusCode(), ready.body());
            relay.close();
            Response closed = get(server, "/readyz");
            assertEquals(503, closed.statusCode());
            assertTrue(closed.body().contains("not accepting connections"), closed.body());
            assertEquals(200, get(server, "/healthz").statusCode(), "liveness does not follow readiness");
            Map<String, Double> end = parse(get(server, "/metrics").body());
            assertEquals(0.0, value(end, "securecomm_relay_clients_online"));
            assertEquals(2.0, value(end, "securecomm_relay_clients_departed_total{reason=\"left\"}"));
            assertEquals(404, get(server, "/other").statusCode());
        }
    }

    /** A store that fills its disk makes the relay not ready, and ready again once space is freed. */
    @Test
    void readyzTurnsNotReadyWhileTheStoreFails() throws Exception {
        try (RelayMetrics metrics = RelayMetrics.create();
                SqliteRelayStore store = SqliteRelayStore.open(dir.resolve("relay.db"), SqliteStoreOptions.builder()
                        .maxDatabaseSizeBytes(128 * 1024).recoveryProbeInterval(Duration.ofMillis(10))
                        .meter(metrics).build());
                MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics,
                        List.of(MetricsServer.ReadinessCheck.storeHealthy(store)))) {
            metrics.watchStore(store);
            assertEquals(200, get(server, "/readyz").statusCode());
            Map<String, Double> empty = parse(get(server, "/metrics").body());
            assertEquals(1.0, value(empty, "securecomm_store_healthy"));
            assertEquals(0.0, value(empty, "securecomm_store_queued_messages"));
            assertEquals(0.0, value(empty, "securecomm_store_queued_oldest_age_seconds"));

            await(store.accounts().register("bob", new byte[32]));
            byte[] big = new byte[3000];
            Arrays.fill(big, (byte) 'x');
            List<Long> ids = new ArrayList<>();
            StoreException full = null;
            for (int i = 0; i < 200 && full == null; i++) {
                try {
                    ids.add(((EnqueueResult.Stored) await(
                            store.messages().enqueue("bob", "alice", big))).messageId());
                } catch (ExecutionException e) {
                    full = (StoreException) e.getCause();
                }
            }
            assertNotNull(full, "128 KiB cannot hold 200 messages of 3000 bytes");
            assertEquals(StoreException.Reason.FULL, full.reason());

            Response notReady = get(server, "/readyz");
            assertEquals(503, notReady.statusCode());
            assertTrue(notReady.body().contains("the store is failing (FULL)"), notReady.body());
            Map<String, Double> failing = parse(get(server, "/metrics").body());
            assertEquals(0.0, value(failing, "securecomm_store_healthy"));
            assertTrue(value(failing, "securecomm_store_write_failures_total{reason=\"full\"}") >= 1);
            assertEquals(ids.size(), value(failing, "securecomm_store_queued_messages"));
            assertEquals(ids.size() * 3000.0, value(failing, "securecomm_store_queued_bytes"));
            assertTrue(value(failing, "securecomm_store_queued_oldest_age_seconds") >= 0);
            assertTrue(value(failing, "securecomm_store_commits_seconds_count") >= ids.size() / 10.0,
                    "every enqueue that went through was a commit (group commits may carry several)");

            await(store.messages().acknowledge("bob", ids));
            await(store.whenHealthy());
            assertEquals(200, get(server, "/readyz").statusCode());
            assertEquals(0.0, value(parse(get(server, "/metrics").body()), "securecomm_store_queued_messages"));
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
