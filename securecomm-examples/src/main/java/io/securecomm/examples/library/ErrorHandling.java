package io.securecomm.examples.library;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayFullException;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Errors as a program meets them, as the client's Javadoc describes: a caller's mistake is thrown at once, unchecked;
 * what the relay or a peer causes fails the call's future with a specific checked exception, several with a reason
 * to switch on; and the end of a session comes to the listener with its reason.
 */
public final class ErrorHandling {
    /**
     * Runs the example and prints each error as it is handled.
     *
     * @param args ignored
     * @throws Exception if anything unexpected fails
     */
    public static void main(String[] args) throws Exception {
        RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).maxClients(2)
                .build()).start();
        RelayTrustStore trust = RelayTrustStore.knownKey(relay.identityPublicKey());

        // A caller's mistake: thrown by the builder, before anything reaches the relay.
        try {
            ChatClientOptions.builder(relay.localAddress()).nickname("not a nickname!");
        } catch (IllegalArgumentException e) {
            System.out.println("mistake: " + e.getMessage());
        }

        CompletableFuture<ChatClientException> aliceEnd = new CompletableFuture<>();
        try (ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("alice")
                        .trustStore(trust).build(), new ChatListener() {
                            @Override
                            public void onDisconnected(ChatClientException cause) {
                                aliceEnd.complete(cause);
                            }
                        });
                ChatClient impostor = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                        .nickname("ALICE").trustStore(trust).build(), new ChatListener() {});
                ChatClient bob = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("bob")
                        .trustStore(trust).build(), new ChatListener() {});
                ChatClient carol = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("carol")
                        .trustStore(trust).build(), new ChatListener() {})) {
            alice.connect().await();
            try {
                impostor.connect().await();
            } catch (NicknameRejectedException e) {
                switch (e.reason()) {
                    case TAKEN -> System.out.println("taken: " + e.nickname() + " (or a look-alike) is online");
                    case INVALID -> System.out.println("invalid: " + e.getMessage());
                    case REGISTERED -> System.out.println("registered: " + e.nickname()
                            + " belongs to another identity key");
                }
            }
            bob.connect().await();
            try {
                carol.connect().await();
            } catch (RelayFullException e) {
                System.out.println("full: try again later");
            }
            try {
                alice.sendPrivate("dave", "are you there?").await();
            } catch (UnknownRecipientException e) {
                System.out.println("unknown: " + e.recipient() + " is not online and has no account");
            }
            relay.close(); // the relay shuts down: alice's session ends, and the listener says why
            if (aliceEnd.get(10, TimeUnit.SECONDS) instanceof RelayClosedException closed) {
                switch (closed.reason()) {
                    case RELAY_SHUTTING_DOWN -> System.out.println("closed: the relay shut down; reconnect later");
                    case TOO_SLOW, RATE_LIMITED, IDLE_TIMEOUT -> System.out.println("closed: " + closed.reason());
                    default -> System.out.println("closed: " + closed.getMessage());
                }
            }
        } finally {
            relay.close();
        }
    }

    private ErrorHandling() {}
}
