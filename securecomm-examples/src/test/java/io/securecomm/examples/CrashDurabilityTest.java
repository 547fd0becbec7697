package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * #16, crash durability with a real process: the relay runs as a child process on its SQLite store (the
 * {@code server} command's default), and is killed with SIGKILL. A message it reported as stored is delivered after
 * a restart on the same home; a message delivered but not yet acknowledged when it is killed is delivered again and
 * shown once.
 */
@Timeout(120)
class CrashDurabilityTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path home;

    private Process relay;
    private final RelayTrustStore trust = RelayTrustStore.trustOnFirstUseInMemory();

    @AfterEach
    void killRelay() {
        if (relay != null) {
            relay.destroyForcibly();
        }
    }

    /** Starts the relay on the test's home and returns its port. */
    private int startRelay() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "0", "--bind", "127.0.0.1");
        pb.environment().put(Home.ENV_VAR, home.toString());
        pb.redirectErrorStream(true);
        relay = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                output.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
            port.completeExceptionally(new IllegalStateException("the relay never listened:\n" + output));
        }, "relay-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(30, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook, no goodbye, nothing flushed that was not already durable. */
    private void killWithSigkill() throws Exception {
        relay.destroyForcibly(); // SIGKILL on Linux and macOS
        assertTrue(relay.waitFor(15, TimeUnit.SECONDS), "the relay did not die");
        assertEquals(137, relay.exitValue(), "killed by signal 9");
    }

    private ChatClient connect(int port, String nickname, ProtocolStore store, ChatListener listener) throws Exception {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port).nickname(nickname)
                .protocolStore(store).trustStore(trust).build(), listener);
        c.connect().get(20, TimeUnit.SECONDS);
        return c;
    }

    /** Records what a client shows, and runs an action on each message, on the client's thread. */
    private static final class Screen implements ChatListener {
        final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
        final List<UndecryptableMessageException> undecryptable = new CopyOnWriteArrayList<>();
        volatile Consumer<ChatMessage> onEach = m -> { };

        @Override
        public void onMessage(ChatMessage message) {
            messages.add(message);
            onEach.accept(message);
        }

        @Override
        public void onUndecryptable(UndecryptableMessageException error) {
            undecryptable.add(error);
        }
    }

    @Test
    void aMessageReportedStoredSurvivesSigkillAndOneDeliveredButNotAcknowledgedIsShownOnce() throws Exception {
        ProtocolStore bobStore = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
        ProtocolStore aliceStore = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
        int port = startRelay();
        connect(port, "bob", bobStore, new Screen()).close(); // registers, publishes pre-keys, leaves
        try (ChatClient alice = connect(port, "alice", aliceStore, new Screen())) {
            assertEquals(DeliveryStatus.STORED, alice.sendPrivate("bob", "survives the crash").get(20,
                    TimeUnit.SECONDS));
        }
        killWithSigkill();

        // Restarted on the same home (relay.db, relay.key): the stored message is there.
        port = startRelay();
        Screen bobScreen = new Screen();
        // bob shows the message, and the relay is killed before his acknowledgement can leave: it goes out from
        // this same thread after the callback returns (StoredAcks.ACK_DELAY later).
        bobScreen.onEach = m -> {
            try {
                killWithSigkill();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        ChatClient bob = connect(port, "bob", bobStore, bobScreen);
        ChatMessage first = bobScreen.messages.poll(20, TimeUnit.SECONDS);
        assertTrue(first != null && first.text().equals("survives the crash") && first.wasStored(),
                String.valueOf(first));
        bob.close();

        // Restarted again: the relay delivers the unacknowledged message again; bob drops it by its used key.
        bobScreen.onEach = m -> { };
        port = startRelay();
        Screen again = new Screen();
        try (ChatClient bob2 = connect(port, "bob", bobStore, again);
                ChatClient alice = connect(port, "alice", aliceStore, new Screen())) {
            // A marker after it: once it arrives, the redelivered message has been processed before it.
            assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("bob", "marker").get(20, TimeUnit.SECONDS));
            ChatMessage next = again.messages.poll(20, TimeUnit.SECONDS);
            assertTrue(next != null && next.text().equals("marker"), "shown once, then the marker: " + next
                    + " " + again.messages);
            assertTrue(again.undecryptable.isEmpty(), again.undecryptable::toString);
            assertTrue(bob2.isConnected());
        }
    }
}
