package io.securecomm.examples;

import io.securecomm.cluster.redis.RedisClusterOptions;
import io.securecomm.cluster.redis.RedisRelayCluster;
import io.securecomm.crypto.Fingerprint;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.metrics.prometheus.MetricsServer;
import io.securecomm.metrics.prometheus.RelayMetrics;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.CipherSuite;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.WorkLimit;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreMeter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--event-loops", paramLabel = "N", defaultValue = "" + RelayOptions.DEFAULT_EVENT_LOOPS,
            description = "Event loop threads serving the connections; 0 for one per processor (default: "
                    + "${DEFAULT-VALUE}). 1 costs the least CPU per private message but uses one processor at most.")
    int eventLoops;

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

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics, with /healthz and /readyz (for"
                    + " example 127.0.0.1:9100; no authentication, so keep it on loopback or a monitoring network)."
                    + " Off by default.")
    String metrics;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "How the log lines on standard output look: 'text' (timestamp, level, message) or 'json'"
                    + " (one object per line, for log shippers) (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--store", paramLabel = "PATH|memory",
            description = "Where the relay keeps accounts, pre-keys and messages for offline clients: an SQLite file"
                    + " (default: relay.db in the home), or 'memory' (lost when the relay stops).")
    String store;

    @Option(names = "--cluster", paramLabel = "URI",
            description = "Run as one node of a relay cluster on this Redis: redis://HOST:PORT,"
                    + " rediss://HOST:PORT (TLS) or redis://:PASSWORD@HOST:PORT. Accounts, pre-keys, stored messages,"
                    + " presence and the routing of live messages are shared with every node on the same Redis"
                    + " (--store is then not used). Every node must load the same relay.key: copy it into each"
                    + " node's home (docs/CLUSTER.md). Off by default.")
    String cluster;

    @Option(names = "--node-id", paramLabel = "ID",
            description = "This node's id in the cluster (with --cluster): 1 to 64 letters, digits, '.', '_' or '-',"
                    + " unique among the nodes (default: the host name and a random suffix, new at each start).")
    String nodeId;

    @Option(names = "--presence-expiry", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --cluster: how long this node's clients stay listed on the other nodes after its last"
                    + " heartbeat, so how soon a dead node's clients are dropped (at least 300ms; default: 10s).")
    Duration presenceExpiry;

    @Option(names = "--route-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --cluster: how long a message routed to another node waits for its outcome before"
                    + " it is reported not delivered (or stored); shorter than --presence-expiry (default: 3s).")
    Duration routeTimeout;

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
                .eventLoops(eventLoops)
                .maxClients(maxClients)
                .maxRoomMembers(maxRoomMembers)
                .handshakeTimeout(handshakeTimeout).pingInterval(pingInterval).idleTimeout(idleTimeout)
                .maxFrameLengthBytes(maxFrameBytes).slowReaderLimitBytes(slowReaderLimitBytes)
                .rateLimit(new RateLimit(rate, burst, disconnectAfterRejections, rejectionWindow))
                .workLimit(new WorkLimit(connectionCpuMicrosPerSecond, connectionCpuBurstMicros,
                        addressCpuMicrosPerSecond, addressCpuBurstMicros, uploadsPerMinute, uploadBurst))
                .shutdownTimeout(shutdownTimeout);
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CliFailure(ExitCodes.USAGE, "the port must be 0 to 65535, got " + port, null);
        }
        InsecureLegacyMode legacyMode = legacyMode();
        OperatorLog.Format format = logFormat();
        InetSocketAddress metricsAddress = metricsAddress();
        RedisClusterOptions clusterOptions = clusterOptions();
        OperatorLog log = new OperatorLog(main.out, format, Clock.systemUTC());
        log.captureLibraryLog();
        Home home = Home.resolve(common.home, main.env);
        log.info("start", "securecomm relay " + Main.Version.version() + " starting, home " + home.dir(),
                "version", Main.Version.version(), "home", home.dir().toString());
        try (NoiseKeyPair identity = home.loadOrCreateKey(Home.RELAY_KEY,
                warning -> log.warn("relay_key", warning))) {
            // Callbacks arrive on the relay's event loops: writing the log (and the fingerprint's hashing) is
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
                    printer.execute(() -> {
                        boolean legacy = legacyMode != InsecureLegacyMode.OFF && identityKey.length == Integer.BYTES;
                        String fingerprint = legacy ? "none" : Fingerprint.of(identityKey).displayString();
                        log.info("client_joined", "+ " + nickname + " (#" + clientId + ") joined, " + (legacy
                                ? "INSECURE legacy client: no identity key" : "fingerprint " + fingerprint),
                                "client_id", Integer.toString(clientId), "nickname", nickname,
                                "fingerprint", fingerprint);
                    });
                }

                @Override
                public void onSuiteSelected(SocketAddress remote, CipherSuite suite) {
                    printer.execute(() -> {
                        if (suite.isInsecure()) {
                            log.warn("connection_suite", "! WARNING: connection from " + remote + " uses the"
                                    + " INSECURE legacy suite " + suite.suiteName() + ": anyone on the network can"
                                    + " read and change it", "remote", String.valueOf(remote),
                                    "suite", suite.suiteName());
                        } else {
                            log.info("connection_suite", "~ connection from " + remote + " uses "
                                    + suite.suiteName(), "remote", String.valueOf(remote), "suite", suite.suiteName());
                        }
                    });
                }

                @Override
                public void onClientLeft(int clientId, String nickname, DepartureReason reason) {
                    printer.execute(() -> log.info("client_left", "- " + nickname + " (#" + clientId + ") "
                            + reason.description(), "client_id", Integer.toString(clientId), "nickname", nickname,
                            "reason", reason.name().toLowerCase(Locale.ROOT)));
                }
            };
            RelayMetrics relayMetrics = metricsAddress == null ? null : RelayMetrics.create();
            RelayOptions.Builder builder;
            try {
                // Both the limits and their combination are checked here, one usage error for either.
                builder = relayOptions().identity(identity).listener(console).insecureLegacyCrypto(legacyMode)
                        .serverInfo("securecomm-relay " + Main.Version.version())
                        .meter(new LoggingMeter(relayMetrics == null ? RelayMeter.NONE : relayMetrics, log, printer,
                                System::nanoTime, maxConnections, maxConnectionsPerAddress));
                builder.build();
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage(), null);
            }
            StoreMeter storeMeter = relayMetrics == null ? StoreMeter.NONE : relayMetrics;
            ClusterMembership membership = clusterOptions == null ? null
                    : ClusterMembership.open(clusterOptions, identity.publicKey(), storeMeter);
            RelayStore relayStore = membership == null ? RelayStores.open(store, home, storeMeter)
                    : membership.store();
            // Closes what this node holds besides the relay: its cluster membership (leaving the cluster at once)
            // and its store.
            Runnable closeBackends = membership == null ? relayStore::close : membership::close;
            if (membership != null) {
                builder.cluster(membership.cluster());
            }
            RelayServer relay;
            try {
                relay = RelayServer.create(builder.store(relayStore).build());
            } catch (IllegalStateException e) {
                closeBackends.run();
                throw new CliFailure(ExitCodes.STORE_UNUSABLE, e.getMessage(), e);
            }
            try {
                relay.start();
            } catch (IOException e) {
                relay.close();
                closeBackends.run();
                throw new CliFailure(ExitCodes.CANNOT_LISTEN, e.getMessage(), e);
            } catch (IllegalStateException e) {
                // A -Dsecurecomm.noise.cipher that names no cipher: a usage error, one line.
                relay.close();
                closeBackends.run();
                throw new CliFailure(ExitCodes.USAGE, e.getMessage(), e);
            }
            MetricsServer endpoint = null;
            if (relayMetrics != null) {
                try {
                    relayMetrics.watchStore(relayStore);
                    endpoint = MetricsServer.start(metricsAddress, relayMetrics,
                            List.of(MetricsServer.ReadinessCheck.accepting(relay),
                                    MetricsServer.ReadinessCheck.storeHealthy(relayStore),
                                    MetricsServer.ReadinessCheck.clusterReachable(relay)));
                } catch (IOException e) {
                    relay.close();
                    closeBackends.run();
                    throw new CliFailure(ExitCodes.CANNOT_LISTEN, "cannot serve metrics on "
                            + metricsAddress.getHostString() + ":" + metricsAddress.getPort() + ": " + e.getMessage(),
                            e);
                }
            }
            MetricsServer metricsEndpoint = endpoint;
            CountDownLatch stopped = new CountDownLatch(1);
            // SIGTERM and Ctrl-C run the shutdown hooks. close() is bounded by the shutdown timeout; then the hook
            // halts with 0, because a JVM ended by a signal would otherwise exit 143 and a supervisor would
            // report a clean, complete shutdown as a failure.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("shutdown", "relay shutting down: saying goodbye to " + relay.onlineClients()
                        + " clients", "clients", Integer.toString(relay.onlineClients()));
                relay.close();
                closeBackends.run();
                if (metricsEndpoint != null) {
                    metricsEndpoint.close();
                }
                log.info("stopped", "relay stopped");
                stopped.countDown();
                Runtime.getRuntime().halt(ExitCodes.OK);
            }, "securecomm-relay-shutdown"));
            String address = relay.localAddress().getHostString() + ":" + relay.localAddress().getPort();
            log.info("listening", "securecomm relay listening on " + address, "address", address);
            String fingerprint = Fingerprint.of(relay.identityPublicKey()).displayString();
            log.info("fingerprint", "relay fingerprint: " + fingerprint, "fingerprint", fingerprint);
            if (legacyMode != InsecureLegacyMode.OFF) {
                log.warn("insecure_legacy_suite", "WARNING: the INSECURE legacy suite " + LegacySuite.NAME
                        + " is enabled (" + (legacyMode == InsecureLegacyMode.ONLY ? "legacy only" : "alongside Noise")
                        + "), for teaching only: it authenticates nobody and anyone on the network can read and"
                        + " rewrite those connections. Every connection's suite is announced below.");
            }
            String storeWhere = membership != null ? membership.store().where() + " (shared by the cluster)"
                    : RelayStores.file(store, home).map(Path::toString)
                            .orElse("memory only (--store memory): nothing survives a restart");
            log.info("store", "relay store: " + storeWhere, "store", storeWhere);
            if (membership != null) {
                RedisRelayCluster node = membership.cluster();
                log.info("cluster", "cluster node " + node.nodeId() + " on " + node.where() + " (presence expiry "
                        + node.presenceExpiry().toMillis() + " ms, route timeout " + node.routeTimeout().toMillis()
                        + " ms)", "node_id", node.nodeId(), "redis", node.where());
            }
            log.info("relay_key", "relay key: " + home.dir().resolve(Home.RELAY_KEY) + "   (press Ctrl-C to stop)",
                    "path", home.dir().resolve(Home.RELAY_KEY).toString());
            if (metricsEndpoint != null) {
                String at = metricsEndpoint.address().getHostString() + ":" + metricsEndpoint.address().getPort();
                log.info("metrics", "metrics on http://" + at + "/metrics (and /healthz, /readyz)", "address", at);
            }
            stopped.await();
            return ExitCodes.OK;
        }
    }

    /** The --cluster options, or null without it; a usage error if they are malformed or clash. */
    private RedisClusterOptions clusterOptions() {
        if (cluster == null) {
            if (nodeId != null || presenceExpiry != null || routeTimeout != null) {
                throw new CliFailure(ExitCodes.USAGE, (nodeId != null ? "--node-id" : presenceExpiry != null
                        ? "--presence-expiry" : "--route-timeout") + " needs --cluster URI", null);
            }
            return null;
        }
        if (store != null) {
            throw new CliFailure(ExitCodes.USAGE, "--store and --cluster exclude each other: a cluster's store is its"
                    + " Redis", null);
        }
        return ClusterMembership.options(cluster, nodeId, presenceExpiry, routeTimeout);
    }

    private OperatorLog.Format logFormat() {
        return switch (logFormat) {
            case "text" -> OperatorLog.Format.TEXT;
            case "json" -> OperatorLog.Format.JSON;
            default -> throw new CliFailure(ExitCodes.USAGE, "--log-format takes 'text' or 'json', got '" + logFormat
                    + "'", null);
        };
    }

    /** The --metrics address, or null without it; a usage error if it is not HOST:PORT. */
    private InetSocketAddress metricsAddress() {
        if (metrics == null) {
            return null;
        }
        int colon = metrics.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            String host = metrics.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int p = Integer.parseInt(metrics.substring(colon + 1));
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, p);
        } catch (NumberFormatException e) {
            throw new CliFailure(ExitCodes.USAGE, "--metrics takes HOST:PORT, such as 127.0.0.1:9100, got '"
                    + metrics + "'", null);
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
