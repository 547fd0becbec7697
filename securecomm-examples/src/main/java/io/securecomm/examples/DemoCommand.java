package io.securecomm.examples;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.crypto.Fingerprint;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.wire.LeaveReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code securecomm demo}: a relay on an ephemeral port of 127.0.0.1 and three scripted clients that
 * chat publicly and privately; prints the transcript and exits 0. Uses fresh keys and touches no files.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Start a relay and three scripted clients (alice, bob, carol) that chat publicly and"
                + " privately, end-to-end encrypted, over Noise-encrypted connections; print the transcript and exit.",
        footer = ExitCodes.FOOTER)
final class DemoCommand implements Callable<Integer> {
    private static final long WAIT_SECONDS = 10;

    @ParentCommand
    Main main;

    @Mixin
    DebugOption debugOption;

    /** Records what one client sees, so each step waits for its deliveries before the next. */
    private final class Watcher implements ChatListener {
        final String name;
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        Watcher(String name) {
            this.name = name;
        }

        @Override
        public void onMessage(ChatMessage m) {
            seen.add((m.isPrivate() ? "[private] " : "") + "<" + m.senderNickname() + "> " + m.text());
        }

        @Override
        public void onJoin(OnlineClient c) {
            seen.add("* " + c.nickname() + " joined");
        }

        @Override
        public void onRoomKeyChanged(OnlineClient member) {
            roomKeys.countDown();
        }

        @Override
        public void onLeave(OnlineClient c, LeaveReason reason) {
            seen.add("* " + c.nickname() + " " + reason.description());
        }

        void expect(String line) throws InterruptedException {
            String got = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!line.equals(got)) {
                throw new IllegalStateException(name + " expected \"" + line + "\" but saw " + (got == null
                        ? "nothing within " + WAIT_SECONDS + " s" : "\"" + got + "\""));
            }
            print(String.format("  %-6s sees  %s", name, got));
        }
    }

    /** Three members, each receiving the room key of the two others. */
    private final CountDownLatch roomKeys = new CountDownLatch(6);
    private final AtomicLong envelopes = new AtomicLong();
    private final AtomicLong envelopeBytes = new AtomicLong();

    /** Prints what the relay handled since the last call: only sizes of ciphertext, since that is all it has. */
    private void relaySaw() {
        long n = envelopes.getAndSet(0);
        long bytes = envelopeBytes.getAndSet(0);
        print(String.format("  relay  saw   %d end-to-end envelope%s, %d bytes of ciphertext it cannot decrypt",
                n, n == 1 ? "" : "s", bytes));
    }

    private void print(String line) {
        main.out.println(line);
        main.out.flush();
    }

    @Override
    public Integer call() throws Exception {
        RelayListener counter = new RelayListener() {
            @Override
            public void onEnvelopeForwarded(int senderId, boolean toRoom, int ciphertextBytes) {
                envelopes.incrementAndGet();
                envelopeBytes.addAndGet(ciphertextBytes);
            }
        };
        try (RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .listener(counter).build()).start()) {
            int port = relay.localAddress().getPort();
            print("relay listening on 127.0.0.1:" + port);
            print("relay fingerprint: " + Fingerprint.of(relay.identityPublicKey()).displayString());
            List<ChatClient> clients = new ArrayList<>();
            try {
                Watcher alice = new Watcher("alice");
                Watcher bob = new Watcher("bob");
                Watcher carol = new Watcher("carol");
                ChatClient a = join(clients, alice, relay);
                ChatClient b = join(clients, bob, relay);
                alice.expect("* bob joined");
                ChatClient c = join(clients, carol, relay);
                alice.expect("* carol joined");
                bob.expect("* carol joined");

                // Each member sends its room key to the others through their pairwise sessions when it joins.
                if (!roomKeys.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the room keys were not exchanged within " + WAIT_SECONDS + " s");
                }
                print("  (room keys exchanged through the pairwise sessions: " + envelopes.getAndSet(0)
                        + " envelopes, " + envelopeBytes.getAndSet(0) + " bytes)");
                print("carol: /list");
                // The fingerprint of each end-to-end identity, as /list and /verify show it in the terminal client.
                for (OnlineClient o : c.list().get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    String identity = o.nickname().equals("carol") ? c.identityKey().fingerprint() + " (you)"
                            : c.peerIdentity(o.nickname()).get(WAIT_SECONDS, TimeUnit.SECONDS).fingerprint()
                                    + " (not verified)";
                    print(String.format("  #%d %-6s %s", o.clientId(), o.nickname(), identity));
                }

                print("alice: Hello everyone!");
                a.sendPublic("Hello everyone!").get(WAIT_SECONDS, TimeUnit.SECONDS);
                bob.expect("<alice> Hello everyone!");
                carol.expect("<alice> Hello everyone!");
                relaySaw();

                print("bob: /msg alice Hi Alice, this is just for you.");
                b.sendPrivate("alice", "Hi Alice, this is just for you.").get(WAIT_SECONDS, TimeUnit.SECONDS);
                alice.expect("[private] <bob> Hi Alice, this is just for you.");
                relaySaw();

                print("carol: /msg dave Are you there?");
                try {
                    c.sendPrivate("dave", "Are you there?").get(WAIT_SECONDS, TimeUnit.SECONDS);
                    throw new IllegalStateException("a message to an unknown client was delivered");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownRecipientException u)) {
                        throw e;
                    }
                    print("  carol  gets  ! not sent: " + u.getMessage());
                }

                print("carol: Bye for now!");
                c.sendPublic("Bye for now!").get(WAIT_SECONDS, TimeUnit.SECONDS);
                alice.expect("<carol> Bye for now!");
                bob.expect("<carol> Bye for now!");
                relaySaw();
                print("carol: /exit");
                c.close();
                alice.expect("* carol left");
                bob.expect("* carol left");
                if (!carol.seen.isEmpty() || !alice.seen.isEmpty() || !bob.seen.isEmpty()) {
                    throw new IllegalStateException("a client saw a message it should not have");
                }
                print("demo finished: each client ran a Noise handshake with the relay, and every chat message was"
                        + " encrypted end to end (X3DH + Double Ratchet for private, sender keys for public): the"
                        + " relay forwarded ciphertext only");
            } finally {
                clients.forEach(ChatClient::close);
            }
        }
        return ExitCodes.OK;
    }

    /** Connects one scripted client; it trusts the relay's key, which the demo has (nothing on first use). */
    private ChatClient join(List<ChatClient> clients, Watcher watcher, RelayServer relay) throws Exception {
        ChatClient client = ChatClient.create(
                ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort()).nickname(watcher.name)
                        .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), watcher);
        clients.add(client);
        var session = client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        print(watcher.name + " connected as #" + session.clientId());
        return client;
    }
}
