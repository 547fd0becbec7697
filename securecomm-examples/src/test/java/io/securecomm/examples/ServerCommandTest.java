package io.securecomm.examples;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import java.util.function.Function;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpClient;
import java.util.concurrent.CopyOnWriteArrayList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.RelayTrustStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

@Timeout(60)
class ServerCommandTest {
    @TempDir
    Path home;

    @Test
    void helpShowsEveryLimitWithItsDefault() {
        Cli r = Cli.run("", home, "server", "--help");
        assertEquals(0, r.exitCode, r::toString);
        String help = r.out.replaceAll("\\s+", " ");
        List<String> expected = List.of(
                "--max-connections=N Most open TCP connections, in any state (default: 10000)",
                "--max-connections-per-address=N", "(default: 64)",
                "--max-clients=N", "(default: 256)",
                "--handshake-timeout=DURATION", "(default: 10s)",
                "--ping-interval=DURATION", "(default: 30s)",
                "--idle-timeout=DURATION", "(default: 60s)",
                "--max-frame-bytes=BYTES", "(default: 16384)",
                "--slow-reader-limit-bytes=BYTES", "(default: 1048576)",
                "--rate=PER_SECOND", "(default: 20)",
                "--burst=N", "(default: 40)",
                "--disconnect-after-rejections=N", "(default: 100)",
                "--rejection-window=DURATION",
                "--connection-cpu-micros-per-second=MICROS", "(default: 20000)",
                "--connection-cpu-burst-micros=MICROS", "(default: 200000)",
                "--address-cpu-micros-per-second=MICROS", "(default: 100000)",
                "--address-cpu-burst-micros=MICROS", "(default: 500000)",
                "--uploads-per-minute=N", "(default: 6)",
                "--upload-burst=N", "(default: 5)",
                "--shutdown-timeout=DURATION", "(default: 5s)",
                "SIGTERM");
        for (String s : expected) {
            assertTrue(help.contains(s), () -> "server --help lacks '" + s + "':\n" + r.out);
        }
    }

    /** The command line's defaults are the library's: one source of truth, checked. */
    @Test
    void commandLineDefaultsAreTheLibraryDefaults() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs();
        RelayOptions cli = command.relayOptions().build();
        RelayOptions lib = RelayOptions.defaults();
        assertEquals(lib.port(), cli.port());
        assertEquals(lib.bindAddress(), cli.bindAddress());
        assertEquals(lib.maxConnections(), cli.maxConnections());
        assertEquals(lib.maxConnectionsPerAddress(), cli.maxConnectionsPerAddress());
        assertEquals(lib.maxClients(), cli.maxClients());
        assertEquals(lib.maxRoomMembers(), cli.maxRoomMembers());
        assertEquals(lib.handshakeTimeout(), cli.handshakeTimeout());
        assertEquals(lib.pingInterval(), cli.pingInterval());
        assertEquals(lib.idleTimeout(), cli.idleTimeout());
        assertEquals(lib.maxFrameLengthBytes(), cli.maxFrameLengthBytes());
        assertEquals(lib.slowReaderLimitBytes(), cli.slowReaderLimitBytes());
        assertEquals(lib.rateLimit(), cli.rateLimit());
        assertEquals(lib.workLimit(), cli.workLimit());
        assertEquals(lib.shutdownTimeout(), cli.shutdownTimeout());
    }

    @Test
    void limitsAreReadFromTheCommandLine() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs("--rate", "5", "--burst", "7", "--idle-timeout", "2m",
                "--ping-interval", "500ms", "--max-frame-bytes", "9000", "--uploads-per-minute", "2",
                "--address-cpu-micros-per-second", "100000");
        RelayOptions o = command.relayOptions().build();
        assertEquals(2, o.workLimit().uploadsPerMinute());
        assertEquals(100_000, o.workLimit().addressMicrosPerSecond());
        assertEquals(new RateLimit(5, 7, 100, Duration.ofSeconds(10)), o.rateLimit());
        assertEquals(Duration.ofMinutes(2), o.idleTimeout());
        assertEquals(Duration.ofMillis(500), o.pingInterval());
        assertEquals(9000, o.maxFrameLengthBytes());
    }

    @Test
    void impossibleLimitsAreAUsageError() {
        Cli r = Cli.run("", home, "server", "0", "--ping-interval", "2m", "--idle-timeout", "1m");
        assertEquals(ExitCodes.USAGE, r.exitCode, r::toString);
        assertTrue(r.err.contains("pingInterval"), r::toString);
        Cli unitless = Cli.run("", home, "server", "0", "--idle-timeout", "60");
        assertEquals(ExitCodes.USAGE, unitless.exitCode, unitless::toString);
    }

    /**
     * SIGTERM on a real process: the connected client is told the relay is shutting down, and the process exits
     * 0 well within its shutdown timeout.
     */
    @Test
    void sigtermSaysGoodbyeAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "0", "--bind", "127.0.0.1", "--shutdown-timeout", "3s");
        pb.environment().put(Home.ENV_VAR, home.toString());
        pb.redirectErrorStream(true);
        Process relay = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(),
                    StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            CompletableFuture<Integer> portFuture = new CompletableFuture<>();
            StringBuffer output = new StringBuffer();
            // One reader for the process's whole life: it finds the port, then keeps everything until the end.
            CompletableFuture<String> allOutput = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        output.append(line).append('\n');
                        Matcher m = listening.matcher(line);
                        if (m.find()) {
                            portFuture.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e.getMessage()).append(")\n");
                }
                portFuture.completeExceptionally(new IllegalStateException("the relay never listened:\n" + output));
                return output.toString();
            });
            int port = portFuture.get(30, TimeUnit.SECONDS);

            CompletableFuture<ChatClientException> ended = new CompletableFuture<>();
            try (ChatClient client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port)
                    .nickname("alice").trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(),
                    new ChatListener() {
                        @Override
                        public void onDisconnected(ChatClientException cause) {
                            ended.complete(cause);
                        }
                    })) {
                client.connect().get(10, TimeUnit.SECONDS);
                long start = System.nanoTime();
                // SIGTERM, through the handle: Process.destroy() would also close our end of its output.
                relay.toHandle().destroy();
                assertTrue(relay.waitFor(15, TimeUnit.SECONDS), "the relay did not exit after SIGTERM");
                assertEquals(0, relay.exitValue());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "shutdown took too long");
                ChatClientException cause = ended.get(10, TimeUnit.SECONDS);
                assertTrue(cause != null && cause.getMessage().contains("SERVER_SHUTDOWN"), String.valueOf(cause));
            }
            String all = allOutput.get(10, TimeUnit.SECONDS);
            assertTrue(all.contains("relay stopped"), all);
        } finally {
            relay.destroyForcibly();
        }
    }

    /**
     * A real relay process with {@code --metrics}, in each log format: two clients chat, {@code /metrics} has the
     * relay's numbers and no nickname or address, {@code /readyz} is 200, and every line the process writes is
     * a timestamped text line or a JSON object, with each operator event there once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void theServerLogsEachEventOnceAndServesMetricsWithoutNamingAnyone(String format) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "0", "--bind", "127.0.0.1", "--metrics", "127.0.0.1:0",
                "--log-format", format);
        pb.environment().put(Home.ENV_VAR, home.toString());
        pb.redirectErrorStream(true);
        Process relay = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(),
                    StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            Pattern metricsAt = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");
            CompletableFuture<Integer> relayPort = new CompletableFuture<>();
            CompletableFuture<Integer> metricsPort = new CompletableFuture<>();
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                        Matcher m = listening.matcher(line);
                        if (m.find()) {
                            relayPort.complete(Integer.parseInt(m.group(1)));
                        }
                        Matcher mm = metricsAt.matcher(line);
                        if (mm.find()) {
                            metricsPort.complete(Integer.parseInt(mm.group(1)));
                        }
                    }
                } catch (IOException e) {
                    lines.add("(output unreadable: " + e.getMessage() + ")");
                }
                relayPort.completeExceptionally(new IllegalStateException("the relay never listened: " + lines));
                metricsPort.completeExceptionally(new IllegalStateException("no metrics line: " + lines));
            });
            int port = relayPort.get(30, TimeUnit.SECONDS);
            int metrics = metricsPort.get(30, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            Function<String, HttpResponse<String>> get = path -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + metrics + path)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String scrape;
            CompletableFuture<String> bobGot = new CompletableFuture<>();
            CompletableFuture<Void> aliciaSawRoberto = new CompletableFuture<>();
            try (ChatClient alice = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port)
                            .nickname("alicia").trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(),
                            new ChatListener() {
                                @Override
                                public void onJoin(OnlineClient client) {
                                    aliciaSawRoberto.complete(null);
                                }
                            });
                    ChatClient bob = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port)
                            .nickname("roberto").trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(),
                            new ChatListener() {
                                @Override
                                public void onMessage(ChatMessage message) {
                                    bobGot.complete(message.text());
                                }
                            })) {
                alice.connect().get(10, TimeUnit.SECONDS);
                bob.connect().get(10, TimeUnit.SECONDS);
                aliciaSawRoberto.get(10, TimeUnit.SECONDS);
                alice.sendPrivate("roberto", "hola").get(10, TimeUnit.SECONDS);
                assertEquals("hola", bobGot.get(10, TimeUnit.SECONDS));
                assertEquals(200, get.apply("/readyz").statusCode());
                scrape = get.apply("/metrics").body();
            }
            assertTrue(scrape.contains("securecomm_relay_clients_online 2.0"), scrape);
            assertTrue(scrape.contains(
                    "securecomm_relay_messages_forwarded_total{kind=\"pairwise\",result=\"delivered\"}"), scrape);
            for (String forbidden : List.of("alicia", "roberto", "127.0.0.1")) {
                assertFalse(scrape.contains(forbidden), "/metrics names " + forbidden);
            }
            relay.toHandle().destroy();
            assertTrue(relay.waitFor(15, TimeUnit.SECONDS), "the relay did not exit after SIGTERM");
            assertEquals(0, relay.exitValue());
            ended.get(10, TimeUnit.SECONDS);

            Map<String, Integer> events = new HashMap<>();
            Pattern text = Pattern.compile(
                    "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR) \\S.*$");
            for (String line : lines) {
                if (format.equals("text")) {
                    assertTrue(text.matcher(line).matches(), () -> "not a timestamped line: " + line + "\n" + lines);
                    for (String[] e : new String[][] {{"start", "starting, home"}, {"listening", "listening on"},
                            {"fingerprint", "relay fingerprint: "}, {"metrics", "metrics on http"},
                            {"client_joined", "joined, fingerprint"}, {"shutdown", "relay shutting down"},
                            {"stopped", "relay stopped"}}) {
                        if (line.contains(e[1])) {
                            events.merge(e[0], 1, Integer::sum);
                        }
                    }
                } else {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    Instant.parse(o.get("time").getAsString());
                    assertTrue(List.of("INFO", "WARN", "ERROR").contains(o.get("level").getAsString()), line);
                    assertFalse(o.get("message").getAsString().isEmpty(), line);
                    events.merge(o.get("event").getAsString(), 1, Integer::sum);
                }
            }
            for (String event : List.of("start", "listening", "fingerprint", "metrics", "shutdown", "stopped")) {
                assertEquals(1, events.getOrDefault(event, 0), () -> event + " in " + lines);
            }
            assertEquals(2, events.getOrDefault("client_joined", 0), lines::toString);
        } finally {
            relay.destroyForcibly();
        }
    }

    @Test
    void aBadMetricsAddressOrLogFormatIsAUsageError() {
        Cli metrics = Cli.run("", home, "server", "0", "--metrics", "9100");
        assertEquals(ExitCodes.USAGE, metrics.exitCode, metrics::toString);
        assertTrue(metrics.err.contains("--metrics takes HOST:PORT"), metrics::toString);
        Cli format = Cli.run("", home, "server", "0", "--log-format", "xml");
        assertEquals(ExitCodes.USAGE, format.exitCode, format::toString);
        assertTrue(format.err.contains("--log-format takes 'text' or 'json'"), format::toString);
    }

    @Test
    void clusterOptionsThatClashOrAreMalformedAreAUsageError() {
        Cli nodeAlone = Cli.run("", home, "server", "0", "--node-id", "n1");
        assertEquals(ExitCodes.USAGE, nodeAlone.exitCode, nodeAlone::toString);
        assertTrue(nodeAlone.err.contains("--node-id needs --cluster URI"), nodeAlone::toString);
        Cli both = Cli.run("", home, "server", "0", "--cluster", "redis://127.0.0.1:6379", "--store", "memory");
        assertEquals(ExitCodes.USAGE, both.exitCode, both::toString);
        assertTrue(both.err.contains("--store and --cluster exclude each other"), both::toString);
        Cli badId = Cli.run("", home, "server", "0", "--cluster", "redis://127.0.0.1:6379", "--node-id", "a b");
        assertEquals(ExitCodes.USAGE, badId.exitCode, badId::toString);
        assertTrue(badId.err.contains("--node-id"), badId::toString);
        Cli badUri = Cli.run("", home, "server", "0", "--cluster", "http://127.0.0.1:6379");
        assertEquals(ExitCodes.USAGE, badUri.exitCode, badUri::toString);
        assertTrue(badUri.err.contains("--cluster"), badUri::toString);
        Cli expiryAlone = Cli.run("", home, "server", "0", "--presence-expiry", "2s");
        assertEquals(ExitCodes.USAGE, expiryAlone.exitCode, expiryAlone::toString);
        assertTrue(expiryAlone.err.contains("--presence-expiry needs --cluster URI"), expiryAlone::toString);
        Cli routeNotShorter = Cli.run("", home, "server", "0", "--cluster", "redis://127.0.0.1:6379",
                "--presence-expiry", "2s", "--route-timeout", "2s");
        assertEquals(ExitCodes.USAGE, routeNotShorter.exitCode, routeNotShorter::toString);
        assertTrue(routeNotShorter.err.contains("must be shorter than presenceExpiry"), routeNotShorter::toString);
    }

    @Test
    void aClusterWhoseRedisCannotBeReachedIsOneLineAndExitCodeEight() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Cli r = Cli.run("", home, "server", "0", "--bind", "127.0.0.1", "--cluster",
                "redis://127.0.0.1:" + closedPort);
        assertEquals(ExitCodes.STORE_UNUSABLE, r.exitCode, r::toString);
        assertTrue(r.err.contains("cannot join the cluster: Redis at 127.0.0.1:" + closedPort + " cannot be reached"),
                r::toString);
    }
}
