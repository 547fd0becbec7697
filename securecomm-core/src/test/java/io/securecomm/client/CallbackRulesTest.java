package io.securecomm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 21, points 3 to 5: replying from a callback without an {@code AtomicReference} to the client; waiting for a
 * client's future inside its callback fails fast, naming the rule, instead of hanging ({@code join()}) or timing out
 * ({@code get(timeout)}); and {@link ChatFuture#await()} throws the client's own checked exception.
 */
@Timeout(60)
class CallbackRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).build()).start();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private ChatClient client(String nickname, ChatListener listener) {
        return ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname(nickname)
                .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), listener);
    }

    @Test
    void aBotRepliesThroughTheMessageItGot() throws Exception {
        CompletableFuture<ChatMessage> echoed = new CompletableFuture<>();
        CompletableFuture<ChatMessage> echoedInRoom = new CompletableFuture<>();
        try (ChatClient bot = client("echo", new ChatListener() {
                    @Override
                    public void onMessage(ChatMessage m) {
                        m.reply("echo: " + m.text());
                    }
                });
                ChatClient alice = client("alice", new ChatListener() {
                    @Override
                    public void onMessage(ChatMessage m) {
                        (m.isPrivate() ? echoed : echoedInRoom).complete(m);
                    }
                })) {
            bot.connect().await(WAIT);
            alice.connect().await(WAIT);
            assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("echo", "hi").await(WAIT));
            ChatMessage back = echoed.get(10, TimeUnit.SECONDS);
            assertEquals("echo: hi", back.text());
            assertEquals("echo", back.senderNickname());
            assertTrue(back.isPrivate(), "a private message is answered privately");
            alice.sendPublic("hello room").await(WAIT);
            ChatMessage inRoom = echoedInRoom.get(10, TimeUnit.SECONDS);
            assertEquals("echo: hello room", inRoom.text());
            assertFalse(inRoom.isPrivate(), "a public message is answered in the room");
        }
    }

    @Test
    void waitingForAFutureInsideACallbackFailsFastNamingTheRule() throws Exception {
        Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (ChatClient bot = client("bot", new ChatListener() {
                    @Override
                    public void onMessage(ChatMessage m) {
                        try {
                            outcomes.put("get", thrown(() -> m.reply("1").get()));
                            outcomes.put("get(timeout)", thrown(() -> m.reply("2").get(5, TimeUnit.SECONDS)));
                            outcomes.put("join", thrown(() -> m.reply("3").join()));
                            outcomes.put("await", thrown(() -> m.reply("4").await()));
                            outcomes.put("dependent", thrown(() -> m.reply("5").thenApply(s -> s).join()));
                            // Chaining is the way: it completes later, on this same thread.
                            m.reply("6").whenComplete((s, e) -> done.complete(null));
                        } catch (RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    }
                });
                ChatClient alice = client("alice", new ChatListener() {})) {
            bot.connect().await(WAIT);
            alice.connect().await(WAIT);
            alice.sendPrivate("bot", "go").await(WAIT);
            done.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("await", "dependent", "get", "get(timeout)", "join"),
                outcomes.keySet().stream().sorted().toList());
        for (Map.Entry<String, Throwable> e : outcomes.entrySet()) {
            IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e.getValue(), e.getKey());
            assertTrue(refused.getMessage().contains("would wait forever"), refused.getMessage());
            assertTrue(refused.getMessage().contains("securecomm-client-events-"), refused.getMessage());
        }
    }

    @Test
    void awaitThrowsTheClientsOwnCheckedExceptionAndMayWaitOnAnyOtherThread() throws Exception {
        try (ChatClient alice = client("alice", new ChatListener() {})) {
            alice.connect().await(WAIT);
            UnknownRecipientException e = assertThrows(UnknownRecipientException.class,
                    () -> alice.sendPrivate("nobody", "hi").await());
            assertEquals("nobody", e.recipient());
            ExecutionException wrapped = assertThrows(ExecutionException.class,
                    () -> alice.sendPrivate("nobody", "hi").get(10, TimeUnit.SECONDS));
            assertInstanceOf(UnknownRecipientException.class, wrapped.getCause());
        }
        ChatFuture<String> done = new ChatFuture<>(() -> true);
        done.complete("x");
        assertSame("x", done.await(), "a future already done never blocks, on any thread");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Throwable thrown(Call call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
