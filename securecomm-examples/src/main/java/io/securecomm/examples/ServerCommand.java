package io.securecomm.examples;

import io.securecomm.crypto.Fingerprint;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.io.IOException;
import java.net.SocketAddress;
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
        description = "Run a relay. It prints its identity fingerprint, which clients pin on first connection."
                + " Stop it with Ctrl-C: connected clients get a goodbye.",
        footer = ExitCodes.FOOTER)
final class ServerCommand implements Callable<Integer>, Main.HasDebugOption {
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

    @Override
    public boolean debug() {
        return common.debug;
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
                public void onSuiteSelected(SocketAddress remote, String suiteName, boolean insecure) {
                    printer.execute(() -> print(insecure
                            ? "! WARNING: connection from " + remote + " uses the INSECURE legacy suite " + suiteName
                                    + ": anyone on the network can read and change it"
                            : "~ connection from " + remote + " uses " + suiteName));
                }

                @Override
                public void onClientLeft(int clientId, String nickname, String reason) {
                    printer.execute(() -> print("- " + nickname + " (#" + clientId + ") " + reason));
                }
            };
            RelayServer relay = RelayServer.create(RelayOptions.builder()
                    .bindAddress(bind).port(port).identity(identity).listener(console).insecureLegacyCrypto(legacyMode)
                    .serverInfo("securecomm-relay " + Main.Version.version()).build());
            try {
                relay.start();
            } catch (IOException e) {
                relay.close();
                throw new CliFailure(ExitCodes.CANNOT_LISTEN, e.getMessage(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                relay.close();
                main.out.println("relay stopped");
                main.out.flush();
                stopped.countDown();
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
