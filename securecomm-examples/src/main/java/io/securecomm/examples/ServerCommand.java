package io.securecomm.examples;

import io.securecomm.crypto.Fingerprint;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.CipherSuite;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.WorkLimit;
import io.securecomm.relay.store.RelayStore;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code securecomm server [port]}: runs a relay until interrupted (Ctrl-C). */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run a relay. It prints its identity fingerprint, which clients pin on first connection.",
                "Stop it with Ctrl-C or SIGTERM: it stops accepting, delivers what it accepted, says goodbye to every"
                        + " client and exits 0 within the shutdown timeout.",
                "Every limit below protects the relay from hostile or broken clients; docs/SECURITY.md explains"
                        + " each."},
        subcommands = AccountsCommand.class,
        footer = ExitCodes.FOOTER)
final class ServerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT", defaultValue = "8080",
            description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--insecure-legacy-crypto", arity = "0..1", fallbackValue = "also", paramLabel = "also|only",
            description = "INSECURE, for teaching only: also accept the original toy's legacy suite (unauthenticated"
                    + " 32-bit Diffie-Hellman, XOR without integrity), which anyone on the network can read and"
                    + " rewrite; 'only' refuses Noise clients, as the toy did. Off by default.")
    String insecureLegacyCrypto;
    @Option(names = "--max-connections", paramLabel = "N",
            defaultValue = "" + RelayOptions.DEFAULT_MAX_CONNECTIONS,
            description = "Most open TCP connections, in any state (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N",
            defaultValue = "" + RelayOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "Most open connections from one IPv4 address or IPv6 /64 (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "" + RelayOptions.DEFAULT_MAX_CLIENTS,
            description = "Most clients online (handshake done, nickname admitted), 1 to " + RelayOptions.MAX_CLIENTS
                    + "; each also holds a connection (default: ${DEFAULT-VALUE}).")
    int maxClients;

    @Option(names = "--max-room-members", paramLabel = "N", defaultValue = "" + RelayOptions.DEFAULT_MAX_ROOM_MEMBERS,
            description = "Member limit of the public room, 1 to 256; clients admitted beyond it are online and"
                    + " listed but outside the room (default: ${DEFAULT-VALUE}).")
    int maxRoomMembers;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Time a new connection has for the Noise handshake and its hello"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--ping-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Silence after which the relay pings a client (default: ${DEFAULT-VALUE}).")
    Duration pingInterval;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Silence after which the relay disconnects a client; only complete messages count"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-frame-bytes", paramLabel = "BYTES",
            defaultValue = "" + RelayOptions.DEFAULT_MAX_FRAME_LENGTH_BYTES,
            description = "Largest frame accepted from a client, 1 to 65535; the largest legal v1 message needs"
                    + " 8223 (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--slow-reader-limit-bytes", paramLabel = "BYTES",
            defaultValue = "" + RelayOptions.DEFAULT_SLOW_READER_LIMIT_BYTES,
            description = "Most bytes queued for a client that does not read, at least 65536; at the limit it is"
                    + " disconnected as too slow (default: ${DEFAULT-VALUE}).")
    int slowReaderLimitBytes;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "" + RateLimit.DEFAULT_MESSAGES_PER_SECOND,
            description = "Messages per second each client may send; beyond it the relay reads from the client more"
                    + " slowly (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "" + RateLimit.DEFAULT_BURST_MESSAGES,
            description = "Messages a client may send at once after a quiet spell (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--disconnect-after-rejections", paramLabel = "N",
            defaultValue = "" + RateLimit.DEFAULT_DISCONNECT_AFTER_REJECTIONS,
            description = "Rate-limited messages tolerated within the rejection window before the client is"
                    + " disconnected (default: ${DEFAULT-VALUE}).")
    int disconnectAfterRejections;

    @Option(names = "--rejection-window", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Window over which rate-limited messages are counted (default: ${DEFAULT-VALUE}).")
    Duration rejectionWindow;

    @Option(names = "--connection-cpu-micros-per-second", paramLabel = "MICROS",
            defaultValue = "" + WorkLimit.DEFAULT_CONNECTION_MICROS_PER_SECOND,
            description = "Relay CPU one connection may use, sustained, in microseconds per second, by the relay's"
                    + " cost model; beyond it the relay reads from the connection more slowly (default:"
                    + " ${DEFAULT-VALUE}).")
    long connectionCpuMicrosPerSecond;

    @Option(names = "--connection-cpu-burst-micros", paramLabel = "MICROS",
            defaultValue = "" + WorkLimit.DEFAULT_CONNECTION_BURST_MICROS,
            description = "Relay CPU one connection may use at once after a quiet spell, in microseconds (default:"
                    + " ${DEFAULT-VALUE}).")
    long connectionCpuBurstMicros;

    @Option(names = "--address-cpu-micros-per-second", paramLabel = "MICROS",
            defaultValue = "" + WorkLimit.DEFAULT_ADDRESS_MICROS_PER_SECOND,
            description = "Relay CPU the connections of one IPv4 address or IPv6 /64 may use together, sustained, in"
                    + " microseconds per second (default: ${DEFAULT-VALUE}).")
    long addressCpuMicrosPerSecond;

    @Option(names = "--address-cpu-burst-micros", paramLabel = "MICROS",
            defaultValue = "" + WorkLimit.DEFAULT_ADDRESS_BURST_MICROS,
            description = "Relay CPU the connections of one address may use together at once, in microseconds"
                    + " (default: ${DEFAULT-VALUE}).")
    long addressCpuBurstMicros;

    @Option(names = "--uploads-per-minute", paramLabel = "N", defaultValue = "" + WorkLimit.DEFAULT_UPLOADS_PER_MINUTE,
            description = "Pre-key uploads a client may send per minute, sustained (default: ${DEFAULT-VALUE}).")
    int uploadsPerMinute;

    @Option(names = "--upload-burst", paramLabel = "N", defaultValue = "" + WorkLimit.DEFAULT_UPLOAD_BURST,
            description = "Pre-key uploads a client may send at once (default: ${DEFAULT-VALUE}).")
    int uploadBurst;

    @Option(names = "--store", paramLabel = "PATH|memory",
            description = "Where the relay keeps accounts, pre-keys and messages for offline clients: an SQLite file"
                    + " (default: relay.db in the home), or 'memory' (lost when the relay stops).")
    String store;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Longest a shutdown waits to deliver accepted messages and goodbyes (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    /**
     * The relay options the command line asks for.
     *
     * @throws IllegalArgumentException if a limit is out of range; {@link #call()} reports it as a usage error
     */
    RelayOptions.Builder relayOptions() {
        return RelayOptions.builder()
                .bindAddress(bind).port(port)
                .maxConnections(maxConnections).maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxClients(maxClients)
                .maxRoomMembers(maxRoomMembers)
                .handshakeTimeout(handshakeTimeout).pingInterval(pingInterval).idleTimeout(idleTimeout)
                .maxFrameLengthBytes(maxFrameBytes).slowReaderLimitBytes(slowReaderLimitBytes)
                .rateLimit(new RateLimit(rate, burst, disconnectAfterRejections, rejectionWindow))
                .workLimit(new WorkLimit(connectionCpuMicrosPerSecond, connectionCpuBurstMicros,
                        addressCpuMicrosPerSecond, addressCpuBurstMicros, uploadsPerMinute, uploadBurst))
                .shutdownTimeout(shutdownTimeout);
    }

    private void print(String line) {
        synchronized (main.out) {
            main.out.println(line);
            main.out.flush();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CliFailure(ExitCodes.USAGE, "the port must be 0 to 65535, got " + port, null);
        }
        InsecureLegacyMode legacyMode = legacyMode();
        Home home = Home.resolve(common.home, main.env);
        try (NoiseKeyPair identity = home.loadOrCreateKey(Home.RELAY_KEY, main.err::println)) {
            // Callbacks arrive on the relay's event loops: printing (and the fingerprint's hashing) is
            // handed to one thread so the loops never wait on the terminal.
            ExecutorService printer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "securecomm-relay-console");
                t.setDaemon(true);
                return t;
            });
            RelayListener console = new RelayListener() {
                @Override
                public void onClientJoined(int clientId, String nickname, byte[] identityKey) {
                    // A legacy client has no identity key; the relay lists its 4-byte DH public value instead.
                    printer.execute(() -> print("+ " + nickname + " (#" + clientId + ") joined, " + (legacyMode
                            != InsecureLegacyMode.OFF && identityKey.length == Integer.BYTES
                            ? "INSECURE legacy client: no identity key"
                            : "fingerprint " + Fingerprint.of(identityKey).displayString())));
                }

                @Override
                public void onSuiteSelected(SocketAddress remote, CipherSuite suite) {
                    printer.execute(() -> print(suite.isInsecure()
                            ? "! WARNING: connection from " + remote + " uses the INSECURE legacy suite "
                                    + suite.suiteName() + ": anyone on the network can read and change it"
                            : "~ connection from " + remote + " uses " + suite.suiteName()));
                }

                @Override
                public void onClientLeft(int clientId, String nickname, DepartureReason reason) {
                    printer.execute(() -> print("- " + nickname + " (#" + clientId + ") " + reason.description()));
                }
            };
            RelayOptions.Builder builder;
            try {
                // Both the limits and their combination are checked here, one usage error for either.
                builder = relayOptions().identity(identity).listener(console).insecureLegacyCrypto(legacyMode)
                        .serverInfo("securecomm-relay " + Main.Version.version());
                builder.build();
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage(), null);
            }
            RelayStore relayStore = RelayStores.open(store, home);
            RelayServer relay;
            try {
                relay = RelayServer.create(builder.store(relayStore).build());
            } catch (IllegalStateException e) {
                relayStore.close();
                throw new CliFailure(ExitCodes.STORE_UNUSABLE, e.getMessage(), e);
            }
            try {
                relay.start();
            } catch (IOException e) {
                relay.close();
                relayStore.close();
                throw new CliFailure(ExitCodes.CANNOT_LISTEN, e.getMessage(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            // SIGTERM and Ctrl-C run the shutdown hooks. close() is bounded by the shutdown timeout; then the hook
            // halts with 0, because a JVM ended by a signal would otherwise exit 143 and a supervisor would
            // report a clean, complete shutdown as a failure.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                relay.close();
                relayStore.close();
                main.out.println("relay stopped");
                main.out.flush();
                stopped.countDown();
                Runtime.getRuntime().halt(ExitCodes.OK);
            }, "securecomm-relay-shutdown"));
            main.out.println("securecomm relay listening on " + relay.localAddress().getHostString() + ":"
                    + relay.localAddress().getPort());
            main.out.println("relay fingerprint: " + Fingerprint.of(relay.identityPublicKey()).displayString());
            if (legacyMode != InsecureLegacyMode.OFF) {
                main.out.println("WARNING: the INSECURE legacy suite " + LegacySuite.NAME + " is enabled ("
                        + (legacyMode == InsecureLegacyMode.ONLY ? "legacy only" : "alongside Noise")
                        + "), for teaching only: it authenticates nobody and anyone on the network can read and"
                        + " rewrite those connections. Every connection's suite is announced below.");
            }
            main.out.println("relay store: " + RelayStores.file(store, home).map(Path::toString)
                    .orElse("memory only (--store memory): nothing survives a restart"));
            main.out.println("relay key: " + home.dir().resolve(Home.RELAY_KEY) + "   (press Ctrl-C to stop)");
            main.out.flush();
            stopped.await();
            return ExitCodes.OK;
        }
    }

    private InsecureLegacyMode legacyMode() {
        if (insecureLegacyCrypto == null) {
            return InsecureLegacyMode.OFF;
        }
        return switch (insecureLegacyCrypto) {
            case "also" -> InsecureLegacyMode.ALSO;
            case "only" -> InsecureLegacyMode.ONLY;
            default -> throw new CliFailure(ExitCodes.USAGE, "--insecure-legacy-crypto takes 'also' (the default) or"
                    + " 'only', got '" + insecureLegacyCrypto + "'", null);
        };
    }
}
