package io.securecomm.examples.library;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An echo bot on an embedded relay, as the README shows it: it answers every message with the same text. */
public final class EchoBot {
    /**
     * Starts a relay and the bot, has alice say hello, and prints the echo.
     *
     * @param args ignored
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        try (RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).build())
                .start()) {
            RelayTrustStore trust = RelayTrustStore.knownKey(relay.identityPublicKey());
            ChatClient bot = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("echo")
                    .trustStore(trust).build(), new ChatListener() {
                        @Override
                        public void onMessage(ChatMessage message) {
                            message.reply(message.text()); // on the bot's event thread: send, never wait
                        }
                    });
            CompletableFuture<String> echoed = new CompletableFuture<>();
            ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("alice")
                    .trustStore(trust).build(), new ChatListener() {
                        @Override
                        public void onMessage(ChatMessage message) {
                            echoed.complete(message.senderNickname() + ": " + message.text());
                        }
                    });
            try (bot; alice) {
                bot.connect().await();   // throws the client's own checked exception if it fails
                alice.connect().await();
                alice.sendPrivate("echo", "hello, bot").await();
                System.out.println(echoed.get(10, TimeUnit.SECONDS));
            }
        }
    }

    private EchoBot() {}
}
