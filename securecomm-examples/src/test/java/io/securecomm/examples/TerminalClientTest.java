package io.securecomm.examples;

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
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.store.InMemoryRelayStore;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The terminal client driven through standard input against a real relay on 127.0.0.1. */
@Timeout(60)
class TerminalClientTest {
    @TempDir
    Path home;

    private RelayServer relay;
    private String address;

    /** The relay's store, so a test can release an account as the operator does (#16). */
    private InMemoryRelayStore store;

    @BeforeEach
    void startRelay() throws Exception {
        store = new InMemoryRelayStore();
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).store(store).build())
                .start();
        address = "127.0.0.1:" + relay.localAddress().getPort();
    }

    @AfterEach
    void stopRelay() {
        relay.close();
    }

    /** An API client that records what it receives. */
    private static final class Bob implements ChatListener, AutoCloseable {
        final BlockingQueue<ChatMessage> received = new LinkedBlockingQueue<>();
        final BlockingQueue<OnlineClient> joined = new LinkedBlockingQueue<>();
        final ChatClient client;

        Bob(RelayServer relay) throws Exception {
            this(relay, "bob");
        }

        Bob(RelayServer relay, String nickname) throws Exception {
            client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                    .nickname(nickname).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), this);
            client.connect().get(10, TimeUnit.SECONDS);
        }

        @Override
        public void onMessage(ChatMessage message) {
            received.add(message);
        }

        @Override
        public void onJoin(OnlineClient client) {
            joined.add(client);
        }

        ChatMessage next() throws InterruptedException {
            ChatMessage m = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "bob received nothing within 10 s");
            return m;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    @Test
    void scriptedSessionRunsEveryCommand() throws Exception {
        try (Bob bob = new Bob(relay)) {
            String script = String.join("\n",
                    "/help",
                    "/list",
                    "hello everyone",
                    "/msg bob just for you",
                    "/msg nobody hi",
                    "/msg bob",
                    "/frobnicate",
                    "x".repeat(5000),
                    "/exit",
                    "never sent") + "\n";
            Cli r = Cli.run(script, home, "client", address, "--name", "alice");
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.out.contains("* first connection to " + address + ": relay fingerprint "), r::toString);
            assertTrue(r.out.contains("* connected to " + address + " as alice (#2)"), r::toString);
            assertTrue(r.out.contains("/msg <client> <message>"), "help printed: " + r);
            assertTrue(r.out.contains("online (2):"), r::toString);
            // /list shows each end-to-end identity's fingerprint, the very one /verify shows.
            String bobsFingerprint = bob.client.identityKey().fingerprint();
            assertTrue(r.out.matches("(?s).*#1 +bob +" + bobsFingerprint + " \\(not verified\\)\\R.*"), r::toString);
            assertTrue(r.out.matches("(?s).*#2 +alice +([0-9a-f]{4} ){7}[0-9a-f]{4} \\(you\\)\\R.*"), r::toString);
            assertTrue(r.out.contains("[to bob] just for you"), r::toString);
            assertTrue(r.out.contains("! not sent: no client 'nobody' is online at the relay, and no account of that"
                    + " name"), r::toString);
            assertTrue(r.out.contains("! usage: /msg <client> <message>"), r::toString);
            assertTrue(r.out.contains("! unknown command /frobnicate; type /help"), r::toString);
            assertTrue(r.out.contains("! not sent: the message has 5000 bytes in UTF-8; the limit is 4096"),
                    r::toString);
            assertEquals("", r.err, r::toString);

            ChatMessage pub = bob.next();
            assertEquals("hello everyone", pub.text());
            assertFalse(pub.isPrivate());
            ChatMessage priv = bob.next();
            assertEquals("just for you", priv.text());
            assertTrue(priv.isPrivate());
            assertEquals("alice", priv.senderNickname());
            assertTrue(bob.received.isEmpty(), "nothing after /exit was sent");
        }
    }

    /**
     * #16: a private message to a registered client who is offline says "queued" in one line; the recipient, when it
     * connects, sees it with the time it was sent.
     */
    @Test
    void aMessageToAnOfflineClientIsQueuedAndShownWithItsSendTimeWhenItConnects() throws Exception {
        Path bobsHome = Files.createDirectories(home.resolve("bob-home"));
        Cli registers = Cli.run("/exit\n", bobsHome, "client", address, "--name", "bob");
        assertEquals(0, registers.exitCode, registers::toString);
        Cli alice = Cli.run("/msg bob are you there?\n/msg bob second\n/exit\n", home, "client", address, "--name",
                "alice");
        assertEquals(0, alice.exitCode, alice::toString);
        assertTrue(alice.out.contains("[to bob] are you there?\nqueued: bob is offline; the relay delivers it when bob"
                + " connects"), alice::toString);
        Cli bob = Cli.run("/list\n/exit\n", bobsHome, "client", address, "--name", "bob");
        assertEquals(0, bob.exitCode, bob::toString);
        Matcher first = Pattern.compile(
                "\\[sent (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) UTC\\] \\[private\\] <alice> are you there\\?")
                .matcher(bob.out);
        assertTrue(first.find(), bob::toString);
        LocalDateTime sent = LocalDateTime.parse(first.group(1).replace(' ', 'T'));
        assertTrue(Math.abs(Duration.between(sent, LocalDateTime.now(ZoneOffset.UTC))
                .toMinutes()) < 5, "the send time, in UTC: " + sent);
        int second = bob.out.indexOf("[private] <alice> second");
        assertTrue(second > first.end(), "in order: " + bob);
        assertEquals(-1, bob.out.indexOf("[private] <alice> second", second + 1), "once: " + bob);
    }

    @Test
    void verifyAndTrustCommands() throws Exception {
        try (Bob bob = new Bob(relay)) {
            String script = String.join("\n", "/verify bob", "/verify bob yes", "/verify bob", "/trust bob",
                    "/trust bob 12345", "/trust bob " + "0".repeat(60), "/reject bob", "/reject",
                    "/verify nobody", "/verify", "/help", "/exit") + "\n";
            Cli r = Cli.run(script, home, "client", address, "--name", "alice");
            assertEquals(0, r.exitCode, r::toString);
            String expected = bob.client.peerIdentity("alice").get(10, TimeUnit.SECONDS).safetyNumber().formatted();
            assertTrue(r.out.contains("* safety number with bob (the same on both sides):"), r::toString);
            assertTrue(r.out.contains("    " + expected), "alice prints the number bob computes: " + r);
            assertTrue(r.out.contains("(not verified)"), r::toString);
            assertTrue(r.out.contains("* session with bob: post-quantum protected (PQXDH: X25519 and ML-KEM-1024)"),
                    "/verify shows the session's post-quantum protection: " + r);
            assertTrue(r.out.contains("* bob is marked as verified"), r::toString);
            assertTrue(r.out.contains("(verified)"), r::toString);
            assertTrue(r.out.contains("! usage: /trust <client> <safety number>"), r::toString);
            assertTrue(r.out.contains("! '12345' is not a safety number"), r::toString);
            assertEquals(2, r.out.split("\\* no identity change is pending for bob", -1).length - 1,
                    "/trust and /reject with nothing pending: " + r);
            assertTrue(r.out.contains("! usage: /reject <client>"), r::toString);
            assertTrue(r.out.contains("! cannot verify nobody: no client 'nobody' is online"), r::toString);
            assertTrue(r.out.contains("! usage: /verify <client> [yes]"), r::toString);
            assertTrue(r.out.contains("/trust <client> <number>"), "help mentions /trust: " + r);
            assertTrue(r.out.contains("/reject <client>"), "help mentions /reject: " + r);
        }
    }

    @Test
    void aClientInAFullRoomIsToldSoAndListsPageByPage() throws Exception {
        try (RelayServer small = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .maxRoomMembers(1).build()).start();
                Bob bob = new Bob(small)) {
            Cli r = Cli.run(String.join("\n", "/list", "/list more", "/list Bob", "/exit") + "\n", home, "client",
                    "127.0.0.1:" + small.localAddress().getPort(), "--name", "alice");
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.out.contains("* the room is full (1 of 1 members): you are online and listed, but outside the"
                    + " room"), r::toString);
            assertTrue(r.out.contains("online (2; the room has 1 of at most 1 members):"), r::toString);
            assertTrue(r.out.contains(" alice "), r::toString);
            assertTrue(r.out.contains("(you, outside the room)"), r::toString);
            assertTrue(r.out.contains("! nothing more to list; /list starts again from the top"), r::toString);
            // "/list Bob" starts at bob, so the page after it holds bob only: alice sorts before.
            String afterJump = r.out.substring(r.out.indexOf("! nothing more to list"));
            assertTrue(afterJump.contains(" bob "), r::toString);
            assertFalse(afterJump.contains(" alice "), r::toString);
            assertTrue(bob.joined.isEmpty(), "bob, in the room, never heard of alice outside it");
        }
    }

    @Test
    void listStartsAtANameJustBelowIt() {
        assertEquals("boa~", ChatConsole.startingAt("Bob"));
        assertEquals("boa~", ChatConsole.startingAt("#bob"));
        assertEquals("a", "a".compareTo(ChatConsole.startingAt("a")) > 0 ? "a" : "not above");
        assertEquals("", ChatConsole.startingAt("#"));
    }

    @Test
    void theVerifiedRoomPolicyWithholdsTheRoomKeyFromUnverifiedMembers() throws Exception {
        try (Bob bob = new Bob(relay)) {
            Cli r = Cli.run(String.join("\n", "/list", "/exit") + "\n", home, "client", address, "--name", "alice",
                    "--room-policy", "verified");
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.out.contains("* your public messages are readable by members you verified only"), r::toString);
            assertTrue(r.out.contains("* bob cannot read your public messages: bob is not verified"), r::toString);
            assertFalse(r.out.contains("bob can now read"), r::toString);
        }
        Cli wrong = Cli.run("/exit\n", home, "client", address, "--name", "alice", "--room-policy", "friends");
        assertEquals(ExitCodes.USAGE, wrong.exitCode, wrong::toString);
        assertTrue(wrong.err.contains("--room-policy must be 'verified' or 'everyone'"), wrong::toString);
    }

    @Test
    void aLegacySuiteClientSaysItHasNothingToVerifyAndCarriesOn() throws Exception {
        try (RelayServer legacy = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .insecureLegacyCrypto(InsecureLegacyMode.ONLY).build()).start()) {
            String script = String.join("\n", "/verify bob", "/trust bob " + "0".repeat(60), "/list", "/help",
                    "/exit") + "\n";
            Cli r = Cli.run(script, home, "client", "127.0.0.1:" + legacy.localAddress().getPort(), "--name", "alice",
                    "--insecure-legacy-crypto");
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.out.contains("! cannot verify bob: this client uses the INSECURE legacy suite"), r::toString);
            assertTrue(r.out.contains("! cannot trust bob: this client uses the INSECURE legacy suite"), r::toString);
            assertTrue(r.out.contains("online (1):"), "the session went on: " + r);
            assertTrue(r.out.contains("alice" + " ".repeat(19) + " (no identity: INSECURE legacy suite)"), r::toString);
            assertTrue(r.out.contains(ChatConsole.LEGACY_HELP_NOTE), r::toString);
            assertFalse(r.out.contains("are end-to-end encrypted"), "the legacy help claims no protection: " + r);
        }
    }

    @Test
    void incomingMessagesArePrintedAsLines() throws Exception {
        try (Bob bob = new Bob(relay);
                PipedOutputStream typing = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(typing)) {
            CompletableFuture<Void> printed = new CompletableFuture<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public synchronized void write(byte[] b, int off, int len) {
                    super.write(b, off, len);
                    String sofar = toString(StandardCharsets.UTF_8);
                    if (sofar.contains("[private] <bob> psst") && sofar.contains("<bob> hi all")) {
                        printed.complete(null);
                    }
                }
            };
            CompletableFuture<Cli> run = CompletableFuture.supplyAsync(
                    () -> Cli.run(stdin, out, home, "client", address, "--name", "alice"));
            // Bob learns alice joined once her client is admitted; then he writes to her.
            awaitAlice(bob);
            bob.client.sendPrivate("alice", "psst").get(10, TimeUnit.SECONDS);
            bob.client.sendPublic("hi all").get(10, TimeUnit.SECONDS);
            // Decryption happens on alice's event thread: exit only once both lines are on her screen.
            printed.get(10, TimeUnit.SECONDS);
            typing.write("/exit\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Cli r = run.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.out.contains("[private] <bob> psst"), r::toString);
            assertTrue(r.out.contains("<bob> hi all"), r::toString);
        }
    }

    @Test
    void relayGoneMidSessionIsOneLineAndExitSix() throws Exception {
        try (PipedOutputStream typing = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(typing)) {
            CompletableFuture<Cli> run = CompletableFuture.supplyAsync(
                    () -> Cli.run(stdin, home, "client", address, "--name", "alice"));
            try (Bob bob = new Bob(relay)) {
                // Standard input is read only once alice is connected: her message proves it.
                typing.write("ready\n".getBytes(StandardCharsets.UTF_8));
                typing.flush();
                assertEquals("ready", bob.next().text());
            }
            relay.close();
            Cli r = run.get(30, TimeUnit.SECONDS);
            assertEquals(ExitCodes.CONNECTION_LOST, r.exitCode, r::toString);
            assertTrue(r.out.contains("* disconnected: the relay ended the session (SERVER_SHUTDOWN)"), r::toString);
            assertFalse(r.out.contains("\tat ") || r.err.contains("\tat "), r::toString);
        }
    }

    /**
     * #17: a client given two nodes of one relay (the same relay key, the same store, as a cluster's nodes share them)
     * connects to the first; when that node goes, it says so, connects to the other by itself, and gets there what was
     * sent to it meanwhile. A relay of one node ends the client instead
     * ({@link #relayGoneMidSessionIsOneLineAndExitSix}).
     */
    @Test
    void aClientOfSeveralNodesReconnectsToTheNextWhenItsNodeGoes() throws Exception {
        NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
        RelayOptions nodeOptions = RelayOptions.builder().bindAddress("127.0.0.1").port(0).identity(relayKey)
                .store(store).build();
        Screen screen = new Screen();
        try (RelayServer first = RelayServer.create(nodeOptions).start();
                RelayServer second = RelayServer.create(nodeOptions).start();
                PipedOutputStream typing = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(typing)) {
            String nodes = "127.0.0.1:" + first.localAddress().getPort() + ",127.0.0.1:"
                    + second.localAddress().getPort();
            CompletableFuture<Cli> run = CompletableFuture.supplyAsync(
                    () -> Cli.run(stdin, screen, home, "client", nodes, "--name", "alice"));
            screen.await("* connected to " + nodes + " as alice");
            assertEquals(1, first.onlineClients());

            first.close();
            screen.await("* disconnected: ");
            screen.await("* reconnecting to " + nodes + " in 1000 ms (attempt 1 of " + ClientCommand.RECONNECT_ROUNDS
                    + ")");
            try (Bob bob = new Bob(second)) {
                // Sent while alice is between nodes or just back: stored for her account, or delivered live.
                bob.client.sendPrivate("alice", "after the failover").get(20, TimeUnit.SECONDS);
                screen.await("* reconnected to " + nodes + " as alice");
                screen.await("[private] <bob> after the failover");
                type(typing, "/msg bob thanks");
                assertEquals("thanks", bob.next().text());
            }
            type(typing, "/exit");
            Cli r = run.get(30, TimeUnit.SECONDS);
            assertEquals(ExitCodes.OK, r.exitCode, r::toString);
            assertEquals(1, r.out.split(Pattern.quote("[private] <bob> after the failover"), -1).length - 1,
                    "shown once: " + r);
        }
    }

    @Test
    void severalNodesAreParsedInOrderAndAMalformedOneIsAUsageError() {
        assertEquals(List.of(InetSocketAddress.createUnresolved("relay1", 8080),
                InetSocketAddress.createUnresolved("::1", 8081), InetSocketAddress.createUnresolved("10.0.0.2", 9)),
                ClientCommand.parseNodes("relay1:8080, [::1]:8081,10.0.0.2:9"));
        for (String bad : new String[] {"relay1:8080,", "relay1:8080,relay2", "relay1:8080,relay2:0", ",relay:1"}) {
            Cli r = Cli.run("/exit\n", home, "client", bad, "--name", "alice");
            assertEquals(ExitCodes.USAGE, r.exitCode, bad + ": " + r);
        }
    }

    /** A terminal's standard output that tests can wait on while the client runs. */
    private static final class Screen extends ByteArrayOutputStream {
        private record Awaited(String text, int times, CompletableFuture<Void> shown) {}

        private final List<Awaited> awaited = new ArrayList<>();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            check();
        }

        /** Waits up to 10 s until the output contains {@code text} at least {@code times} times. */
        void await(String text, int times) throws Exception {
            CompletableFuture<Void> shown = new CompletableFuture<>();
            synchronized (this) {
                awaited.add(new Awaited(text, times, shown));
                check();
            }
            try {
                shown.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the terminal did not show '" + text + "' " + times + " time(s) within 10 s:\n"
                        + this, e);
            }
        }

        void await(String text) throws Exception {
            await(text, 1);
        }

        private void check() {
            String sofar = toString(StandardCharsets.UTF_8);
            for (Iterator<Awaited> it = awaited.iterator(); it.hasNext(); ) {
                Awaited a = it.next();
                if (sofar.split(Pattern.quote(a.text()), -1).length - 1 >= a.times()) {
                    a.shown().complete(null);
                    it.remove();
                }
            }
        }

        @Override
        public synchronized String toString() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private static void type(PipedOutputStream typing, String line) throws Exception {
        typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        typing.flush();
    }

    @Test
    void aVerifiedPeersNameInAnotherCaseDoesNotReachTheNewcomer() throws Exception {
        try (PipedOutputStream typing = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(typing)) {
            Screen screen = new Screen();
            CompletableFuture<Cli> run;
            try (Bob bob = new Bob(relay)) {
                run = CompletableFuture.supplyAsync(() -> Cli.run(stdin, screen, home, "client", address, "--name",
                        "alice"));
                awaitAlice(bob);
                type(typing, "/verify bob");
                screen.await("* safety number with bob");
                type(typing, "/verify bob yes");
                screen.await("* bob is marked as verified");
            }
            screen.await("* bob left");
            // While the verified bob is offline, a newcomer takes his name in another letter case (on a relay whose
            // operator released bob's account, #16, or a hostile one).
            store.accounts().releaseByOperator("bob").toCompletableFuture().join();
            try (Bob impostor = new Bob(relay, "Bob")) {
                screen.await("Bob joined");
                String[] names = {"bob", "Bob"};
                for (int i = 0; i < names.length; i++) {
                    type(typing, "/msg " + names[i] + " are you there?");
                    screen.await("! not sent: WARNING: bob's identity key changed", i + 1);
                }
                type(typing, "/verify bob");
                screen.await("!!! safety number under that key: ");
                type(typing, "/reject Bob");
                screen.await("* rejected Bob's new identity key; the key you had stays trusted");
                type(typing, "/exit");
                Cli r = run.get(30, TimeUnit.SECONDS);
                assertEquals(0, r.exitCode, r::toString);
                assertFalse(r.out.contains("[to "), "nothing was sent: " + r);
                assertTrue(impostor.received.isEmpty(), "the newcomer received " + impostor.received);
            }
        }
    }

    /** Waits until alice is online: bob either saw her join, or she was there before him. */
    private static void awaitAlice(Bob bob) throws Exception {
        boolean alreadyThere = bob.client.list().get(10, TimeUnit.SECONDS).stream()
                .anyMatch(c -> c.nickname().equals("alice"));
        if (!alreadyThere) {
            OnlineClient c = bob.joined.poll(20, TimeUnit.SECONDS);
            assertNotNull(c, "alice did not join within 20 s");
            assertEquals("alice", c.nickname());
        }
    }

    @Test
    void relayPinningFirstUseMatchMismatch() throws Exception {
        Cli first = Cli.run("/exit\n", home, "client", address, "--name", "alice");
        assertEquals(0, first.exitCode, first::toString);
        assertTrue(first.out.contains("* first connection to " + address), first::toString);
        Path knownRelays = home.resolve("known_relays");
        assertTrue(Files.readString(knownRelays).startsWith(address + " "));

        Cli match = Cli.run("/exit\n", home, "client", address, "--name", "alice");
        assertEquals(0, match.exitCode, match::toString);
        assertTrue(match.out.contains("(matches " + knownRelays + ")"), match::toString);

        // Another relay on the same address: a different key.
        int port = relay.localAddress().getPort();
        relay.close();
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(port).build()).start();
        Cli mismatch = Cli.run("/exit\n", home, "client", address, "--name", "alice");
        assertEquals(ExitCodes.RELAY_KEY_CHANGED, mismatch.exitCode, mismatch::toString);
        assertTrue(mismatch.err.contains("has CHANGED"), mismatch::toString);
        assertTrue(mismatch.err.contains(knownRelays + " line 1"), "names the file to edit: " + mismatch);
        assertEquals(1, mismatch.err.lines().count(), "one line: " + mismatch);
        assertEquals(0, relay.onlineClients());
    }

    @Test
    void failuresAreOneLineWithTheirExitCodes() throws Exception {
        Cli invalid = Cli.run("/exit\n", home, "client", address, "--name", "bad name");
        assertEquals(ExitCodes.NICKNAME_REFUSED, invalid.exitCode, invalid::toString);
        assertEquals(1, invalid.err.lines().count(), invalid::toString);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        Cli unreachable = Cli.run("/exit\n", home, "client", "127.0.0.1:" + closedPort, "--name", "alice");
        assertEquals(ExitCodes.UNREACHABLE, unreachable.exitCode, unreachable::toString);
        assertTrue(unreachable.err.contains("connection refused"), unreachable::toString);
        assertEquals(1, unreachable.err.lines().count(), unreachable::toString);
    }
}
