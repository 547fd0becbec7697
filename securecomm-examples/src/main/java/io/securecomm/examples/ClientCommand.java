package io.securecomm.examples;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatFuture;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.InsecureSuiteRefusedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.RelayFullException;
import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.RelayUnreachableException;
import io.securecomm.client.RoomPolicy;
import io.securecomm.client.Session;
import io.securecomm.crypto.Fingerprint;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.e2e.FileProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code securecomm client <host:port> [--name NAME]}: the terminal chat client. */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Connect to a relay and chat. Type /help once connected.",
            "On a terminal, lines are edited with JLine and incoming messages appear above the prompt;"
                + " otherwise commands are read from standard input line by line, so the client can be scripted."},
        footer = ExitCodes.FOOTER)
final class ClientCommand implements Callable<Integer> {
    /** How many rounds over every node a lost client tries before it gives up. */
    static final int RECONNECT_ROUNDS = 6;
    private static final long RECONNECT_FIRST_PAUSE_MILLIS = 1000;
    private static final long RECONNECT_MAX_PAUSE_MILLIS = 16_000;

    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = {"The relay's address, for example 127.0.0.1:8080; for a relay of several nodes, each node's,"
                    + " separated by commas (relay1:8080,relay2:8080). The nodes are tried in order, and every address"
                    + " a name resolves to in turn; with several nodes, a lost connection is made again to the first"
                    + " node that answers."})
    String relay;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME",
            description = "The nickname to ask for (default: your user name).")
    String name;

    @Option(names = "--room-policy", paramLabel = "verified|everyone", defaultValue = "everyone",
            description = "Who gets your room key, and so can read your public messages: everyone the relay"
                    + " announces (each hand-out is shown with the member's fingerprint), or only members whose safety"
                    + " number you verified. Default: ${DEFAULT-VALUE}.")
    String roomPolicy;

    @Option(names = "--insecure-legacy-crypto",
            description = "INSECURE, for teaching only: speak the original toy's legacy suite (unauthenticated"
                    + " 32-bit Diffie-Hellman, XOR without integrity) instead of Noise; anyone on the network can"
                    + " read and rewrite the chat, and the relay's identity is not checked. Off by default.")
    boolean insecureLegacyCrypto;

    @Override
    public Integer call() throws Exception {
        List<InetSocketAddress> nodes = parseNodes(relay);
        String nickname = name != null ? name : defaultNickname();
        Home home = Home.resolve(common.home, main.env);
        boolean interactive = main.in == System.in && System.console() != null;
        ProtocolStore identity;
        try {
            // The end-to-end identity lives in the home folder (owner-only); its X25519 key is also the
            // Noise static key, so the relay authenticates the same key that peers trust.
            identity = FileProtocolStore.open(home.e2eStore(nickname), new SecureRandom());
        } catch (UncheckedIOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot open the key store in " + home.e2eStore(nickname) + ": "
                    + e.getMessage(), e);
        }
        return interactive ? runInteractive(nodes, nickname, home, identity)
                : runScripted(nodes, nickname, home, identity);
    }

    /**
     * Parses {@code HOST:PORT[,HOST:PORT...]}; an IPv6 literal goes in brackets ({@code [::1]:8080}).
     *
     * @param relay the argument
     * @return the nodes, unresolved, in order
     * @throws CliFailure with {@link ExitCodes#USAGE} if one is not {@code HOST:PORT}
     */
    static List<InetSocketAddress> parseNodes(String relay) {
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String node : relay.split(",", -1)) {
            String trimmed = node.strip();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new CliFailure(ExitCodes.USAGE, "expected HOST:PORT, got '" + trimmed + "'", null);
            }
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(trimmed.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new CliFailure(ExitCodes.USAGE, "the port in '" + trimmed + "' must be a number from 1 to 65535",
                        null);
            }
            nodes.add(InetSocketAddress.createUnresolved(host, port));
        }
        return nodes;
    }

    private RoomPolicy roomPolicy() {
        return switch (roomPolicy.toLowerCase(Locale.ROOT)) {
            case "verified" -> RoomPolicy.VERIFIED;
            case "everyone" -> RoomPolicy.EVERYONE;
            default -> throw new CliFailure(ExitCodes.USAGE, "--room-policy must be 'verified' or 'everyone', got '"
                    + roomPolicy + "'", null);
        };
    }

    private static String defaultNickname() {
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9_.-]", "");
        if (user.isEmpty() || user.chars().allMatch(Character::isDigit)) {
            return "guest";
        }
        return user.length() > 24 ? user.substring(0, 24) : user;
    }

    private int runScripted(List<InetSocketAddress> nodes, String nickname, Home home,
            ProtocolStore identity) throws Exception {
        Consumer<String> out = line -> {
            synchronized (main.out) {
                main.out.println(line);
                main.out.flush();
            }
        };
        BufferedReader lines = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8));
        return session(nodes, nickname, home, identity, out, console -> {
            String line;
            try {
                while ((line = lines.readLine()) != null) {
                    if (!console.handle(line)) {
                        return;
                    }
                }
            } catch (IOException e) {
                out.accept("! cannot read standard input: " + e.getMessage());
            }
        });
    }

    private int runInteractive(List<InetSocketAddress> nodes, String nickname, Home home, ProtocolStore identity)
            throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("securecomm").build();
            Consumer<String> out = reader::printAbove;
            return session(nodes, nickname, home, identity, out, console -> {
                while (true) {
                    String line;
                    try {
                        line = reader.readLine("> ");
                    } catch (UserInterruptException | EndOfFileException e) {
                        return;
                    }
                    if (!console.handle(line)) {
                        return;
                    }
                }
            });
        }
    }

    private int session(List<InetSocketAddress> nodes, String nickname, Home home, ProtocolStore identity,
            Consumer<String> out, Consumer<ChatConsole> inputLoop) throws Exception {
        ChatConsole console = new ChatConsole(out);
        ChatClientOptions options;
        try {
            ChatClientOptions.Builder builder = ChatClientOptions.builder(nodes.get(0).getHostString(),
                    nodes.get(0).getPort());
            for (InetSocketAddress node : nodes.subList(1, nodes.size())) {
                builder.alsoTry(node.getHostString(), node.getPort());
            }
            options = builder
                    .nickname(nickname)
                    .protocolStore(identity)
                    .trustStore(RelayTrustStore.knownRelaysFile(home.knownRelays()))
                    .roomPolicy(roomPolicy())
                    .insecureLegacyCrypto(insecureLegacyCrypto)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.NICKNAME_REFUSED, "invalid nickname: " + e.getMessage(), e);
        }
        if (insecureLegacyCrypto) {
            out.accept("! WARNING: --insecure-legacy-crypto: this client speaks the INSECURE legacy suite "
                    + LegacySuite.NAME + ", for teaching only; anyone on the network can read and rewrite the chat");
        }
        CompletableFuture<ChatClientException> disconnected = console.nextConnection();
        CompletableFuture<Void> inputDone;
        ChatClient client = ChatClient.create(options, console);
        try {
            Session session = connect(client, options);
            console.attach(client, session);
            if (session.trust() == RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY) {
                out.accept("! WARNING: connected to " + options.relayAddress() + " with the INSECURE legacy suite "
                        + LegacySuite.NAME + ": the relay was not authenticated, nothing is integrity-protected");
                out.accept("* connected to " + options.relayAddress() + " as " + session.nickname() + " (#"
                        + session.clientId() + "); type /help for commands");
                return lost(startInput(console, inputLoop), disconnected) ? ExitCodes.CONNECTION_LOST : ExitCodes.OK;
            }
            String fingerprint = Fingerprint.of(session.relayIdentityKey()).displayString();
            if (session.trust() == RelayKeyDecision.PINNED_ON_FIRST_USE) {
                out.accept("* first connection to " + options.relayAddress() + ": relay fingerprint " + fingerprint);
                out.accept("* pinned in " + home.knownRelays() + "; compare it with the fingerprint the relay printed");
            } else {
                out.accept("* relay fingerprint " + fingerprint + " (matches " + home.knownRelays() + ")");
            }
            out.accept("* connected to " + options.relayAddress() + " as " + session.nickname() + " (#"
                    + session.clientId() + "); type /help for commands");
            out.accept("* private and public messages are end-to-end encrypted; your identity fingerprint is "
                    + client.identityKey().fingerprint());
            console.roomNotice();
            out.accept(options.roomPolicy() == RoomPolicy.VERIFIED
                    ? "* your public messages are readable by members you verified only (--room-policy verified)"
                    : "* your public messages are readable by every member the relay announces; each one is shown as it"
                            + " gets your room key (--room-policy verified limits them to members you verified)");
            inputDone = startInput(console, inputLoop);
            if (!lost(inputDone, disconnected)) {
                return ExitCodes.OK;
            }
        } finally {
            client.close();
        }
        return reconnecting(options, console, inputDone, out);
    }

    /** Waits until the user leaves or the connection is lost, and says which: {@code true} if it was lost. */
    private static boolean lost(CompletableFuture<Void> inputDone,
            CompletableFuture<ChatClientException> disconnected) {
        CompletableFuture.anyOf(inputDone, disconnected).join();
        return disconnected.isDone() && !inputDone.isDone();
    }

    /**
     * After a lost connection: a relay of one node ends the client (exit 6), as does the INSECURE legacy suite. With
     * several nodes the client connects again, to the first node that answers, pausing 1 s, then 2, 4, up to 16 s
     * between rounds over every node; each new session receives what the relay stored meanwhile. It ends when the user
     * does, or when {@value #RECONNECT_ROUNDS} rounds in a row found no node.
     */
    private int reconnecting(ChatClientOptions options, ChatConsole console, CompletableFuture<Void> inputDone,
            Consumer<String> out) throws Exception {
        if (options.nodes().size() < 2 || options.insecureLegacyCrypto()) {
            return ExitCodes.CONNECTION_LOST;
        }
        for (int round = 0; round < RECONNECT_ROUNDS; round++) {
            long pause = Math.min(RECONNECT_MAX_PAUSE_MILLIS, RECONNECT_FIRST_PAUSE_MILLIS << round);
            out.accept("* reconnecting to " + options.relayAddress() + " in " + pause + " ms (attempt " + (round + 1)
                    + " of " + RECONNECT_ROUNDS + ")");
            try {
                inputDone.get(pause, TimeUnit.MILLISECONDS);
                return ExitCodes.OK; // the user left while the client waited
            } catch (TimeoutException waited) {
                // time to try again
            }
            CompletableFuture<ChatClientException> disconnected = console.nextConnection();
            ChatClient client = ChatClient.create(options, console);
            try {
                Session session;
                try {
                    session = connect(client, options);
                } catch (CliFailure e) {
                    if (e.exitCode() != ExitCodes.UNREACHABLE) {
                        throw e; // a node answered and refused (its key, the nickname): not a reason to retry
                    }
                    out.accept("! " + e.getMessage());
                    continue;
                }
                console.attach(client, session);
                out.accept("* reconnected to " + options.relayAddress() + " as " + session.nickname() + " (#"
                        + session.clientId() + ")");
                round = -1; // connected: a later loss starts again from the shortest pause
                if (!lost(inputDone, disconnected)) {
                    return ExitCodes.OK;
                }
            } finally {
                client.close();
            }
        }
        out.accept("! no node of " + options.relayAddress() + " answered in " + RECONNECT_ROUNDS + " rounds");
        return ExitCodes.CONNECTION_LOST;
    }

    private static CompletableFuture<Void> startInput(ChatConsole console, Consumer<ChatConsole> inputLoop) {
        CompletableFuture<Void> inputDone = new CompletableFuture<>();
        Thread input = new Thread(() -> {
            try {
                inputLoop.accept(console);
            } finally {
                inputDone.complete(null);
            }
        }, "securecomm-input");
        input.setDaemon(true);
        input.start();
        return inputDone;
    }

    private Session connect(ChatClient client, ChatClientOptions options) throws Exception {
        ChatFuture<Session> connecting;
        try {
            connecting = client.connect();
        } catch (IllegalStateException e) {
            // A -Dsecurecomm.noise.cipher that names no cipher: a usage error, one line.
            throw new CliFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
        try {
            return connecting.get(options.connectTimeout().plus(options.handshakeTimeout()).toSeconds() + 5,
                    TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RelayIdentityMismatchException m) {
                throw new CliFailure(ExitCodes.RELAY_KEY_CHANGED, m.getMessage()
                        + " (pinned fingerprint " + Fingerprint.of(m.pinnedKey()).displayString()
                        + ", presented " + Fingerprint.of(m.presentedKey()).displayString() + ")", m);
            }
            if (c instanceof RelayUnreachableException || c instanceof HandshakeFailedException
                    || c instanceof InsecureSuiteRefusedException || c instanceof RelayFullException) {
                throw new CliFailure(ExitCodes.UNREACHABLE, c.getMessage(), c);
            }
            if (c instanceof NicknameRejectedException) {
                throw new CliFailure(ExitCodes.NICKNAME_REFUSED, c.getMessage(), c);
            }
            throw new CliFailure(ExitCodes.CONNECTION_LOST, String.valueOf(c.getMessage()), c);
        }
    }
}
