package io.securecomm.examples;

import io.securecomm.crypto.Fingerprint;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.io.IOException;
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
                    printer.execute(() -> print("+ " + nickname + " (#" + clientId + ") joined, fingerprint "
                            + Fingerprint.of(identityKey).displayString()));
                }

                @Override
                public void onClientLeft(int clientId, String nickname, String reason) {
                    printer.execute(() -> print("- " + nickname + " (#" + clientId + ") " + reason));
                }
            };
            RelayServer relay = RelayServer.create(RelayOptions.builder()
                    .bindAddress(bind).port(port).identity(identity).listener(console)
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
            main.out.println("relay key: " + home.dir().resolve(Home.RELAY_KEY) + "   (press Ctrl-C to stop)");
            main.out.flush();
            stopped.await();
            return ExitCodes.OK;
        }
    }
}
