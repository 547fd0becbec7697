package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * #16 over real sockets on 127.0.0.1: bob registers and leaves; alice sends three private messages, each reported as
 * stored; bob connects and receives all three, in order, each once, with their send times. And the account rule at
 * the socket: another key is refused bob's nickname in any letter case.
 */
@Timeout(60)
class OfflineDeliveryOverRelayTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).build()).start();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private static final class Inbox implements ChatListener {
        final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(ChatMessage message) {
            messages.add(message);
        }
    }

    private ChatClient connect(String nickname, ProtocolStore store, ChatListener listener) throws Exception {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).protocolStore(store)
                .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), listener);
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void threeMessagesToAnOfflineClientArriveInOrderOnceWhenItConnects() throws Exception {
        ProtocolStore bobStore = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
        connect("bob", bobStore, new Inbox()).close();
        Instant before = Instant.now();
        try (ChatClient alice = connect("alice", new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)),
                new Inbox())) {
            for (int i = 1; i <= 3; i++) {
                assertEquals(DeliveryStatus.STORED, alice.sendPrivate("bob", "while you were away " + i)
                        .get(10, TimeUnit.SECONDS));
            }
        }
        Inbox inbox = new Inbox();
        try (ChatClient bob = connect("bob", bobStore, inbox)) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ChatMessage m = inbox.messages.poll(10, TimeUnit.SECONDS);
                assertTrue(m != null, "only " + texts + " arrived");
                assertTrue(m.wasStored() && m.isPrivate() && m.senderNickname().equals("alice"), m.toString());
                assertTrue(!m.sentAt().orElseThrow().isBefore(before.minusSeconds(1)), m.sentAt().toString());
                texts.add(m.text());
            }
            assertEquals(List.of("while you were away 1", "while you were away 2", "while you were away 3"), texts);
            assertNull(inbox.messages.poll(500, TimeUnit.MILLISECONDS), "each once");
            assertTrue(bob.isConnected());
        }
        // Acknowledged: a later connection gets nothing again.
        Inbox later = new Inbox();
        try (ChatClient bob = connect("bob", bobStore, later)) {
            assertNull(later.messages.poll(500, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void theHolderReleasesItsAccountAndAnotherKeyTakesTheNickname() throws Exception {
        try (ChatClient bob = connect("bob", new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)),
                new Inbox())) {
            bob.releaseAccount().get(10, TimeUnit.SECONDS);
        }
        connect("Bob", new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)), new Inbox()).close();
    }

    @Test
    void anotherKeyIsRefusedTheNicknameInAnyCase() throws Exception {
        connect("bob", new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)), new Inbox()).close();
        for (String spelling : List.of("bob", "BOB")) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> connect(spelling, new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)), new Inbox()));
            NicknameRejectedException refused = assertInstanceOf(NicknameRejectedException.class, e.getCause());
            assertEquals(NicknameRejectedException.Reason.REGISTERED, refused.reason());
        }
    }
}
