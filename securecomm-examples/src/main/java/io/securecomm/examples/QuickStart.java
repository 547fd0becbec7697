package io.securecomm.examples;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The README's library quick start, compiled and run by the test suite so the README cannot drift from
 * the API: a relay and two clients exchange one message.
 */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Runs the quick start.
     *
     * @param args ignored
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        // A relay on an ephemeral port of the loopback interface, with a fresh identity key.
        try (RelayServer relay = RelayServer.create(
                RelayOptions.builder().bindAddress("127.0.0.1").port(0).build()).start()) {
            // The clients trust exactly this relay's key, which we have: nothing is trusted on first use.
            RelayTrustStore relayKey = RelayTrustStore.knownKey(relay.identityPublicKey());

            // Bob prints what he receives; listener callbacks run on Bob's event thread.
            CompletableFuture<ChatMessage> received = new CompletableFuture<>();
            ChatListener bobListener = new ChatListener() {
                @Override
                public void onMessage(ChatMessage message) {
                    System.out.println("bob got from " + message.senderNickname() + ": " + message.text());
                    received.complete(message);
                }
            };

            try (ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                            .nickname("alice").trustStore(relayKey).build(), new ChatListener() {});
                    ChatClient bob = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                            .nickname("bob").trustStore(relayKey).build(), bobListener)) {
                alice.connect().await();   // Noise handshake, then hello; throws the client's own exception
                bob.connect().await();

                // Completes once the relay has written the message to Bob's connection.
                alice.sendPrivate("bob", "Hello, Bob!").await();
                received.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
