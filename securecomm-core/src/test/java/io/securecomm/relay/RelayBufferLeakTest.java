package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's write path (a fanned-out message encoded once and shared by reference count, records sealed into
 * pooled buffers, flushes batched) leaks no buffer: a real relay and real clients over loopback, with Netty's leak
 * detector at {@code PARANOID} (every buffer tracked) and a listener on it. A buffer dropped on purpose first proves
 * that the detector reports here; then a fan-out, private messages and the departures must report nothing.
 */
class RelayBufferLeakTest {
    private static final int MESSAGES = 20;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theRelaysWritePathLeaksNoBuffer() throws Exception {
        ResourceLeakDetector<ByteBuf> detector = byteBufLeakDetector();
        List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            dropOnPurpose();
            collect(leaks, true);
            assertFalse(leaks.isEmpty(), "the detector reports a buffer dropped on purpose: it is listening");
            leaks.clear();

            chat();
            collect(leaks, false);
            assertEquals(List.of(), leaks, "buffers leaked by the relay or its clients");
        } finally {
            ResourceLeakDetector.setLevel(level);
            detector.setLeakListener(null);
        }
    }

    private static void dropOnPurpose() {
        ByteBuf dropped = ByteBufAllocator.DEFAULT.heapBuffer(64);
        dropped.writeLong(1);
    }

    /** A fan-out to two recipients, private messages, and every departure; waits until each message arrived. */
    private static void chat() throws Exception {
        RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build()).start();
        List<ChatClient> clients = new ArrayList<>();
        try {
            RecordingListener alice = new RecordingListener();
            RecordingListener bob = new RecordingListener();
            RecordingListener carol = new RecordingListener();
            ChatClient a = client(relay, "alice", alice, clients);
            ChatClient b = client(relay, "bob", bob, clients);
            ChatClient c = client(relay, "carol", carol, clients);
            a.connect().get(20, TimeUnit.SECONDS);
            b.connect().get(20, TimeUnit.SECONDS);
            c.connect().get(20, TimeUnit.SECONDS);
            // A public message goes to the members its sender knows of: alice waits until she has seen both.
            assertEquals("bob", ((OnlineClient) alice.next("join").value()).nickname());
            assertEquals("carol", ((OnlineClient) alice.next("join").value()).nickname());
            for (int i = 0; i < MESSAGES; i++) {
                a.sendPublic("public " + i).get(20, TimeUnit.SECONDS);
                b.sendPrivate("carol", "private " + i).get(20, TimeUnit.SECONDS);
            }
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals("public " + i, nextFrom(bob, "alice").text());
            }
            List<String> atCarol = new ArrayList<>();
            for (int i = 0; i < 2 * MESSAGES; i++) {
                atCarol.add(carol.nextMessage().text());
            }
            assertTrue(atCarol.contains("public " + (MESSAGES - 1)) && atCarol.contains("private " + (MESSAGES - 1)),
                    atCarol.toString());
        } finally {
            clients.forEach(ChatClient::close);
            relay.close();
        }
    }

    private static ChatMessage nextFrom(RecordingListener events, String sender) throws InterruptedException {
        while (true) {
            ChatMessage m = events.nextMessage();
            if (m.senderNickname().equals(sender)) {
                return m;
            }
        }
    }

    private static ChatClient client(RelayServer relay, String nickname, RecordingListener listener,
            List<ChatClient> clients) {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(),
                listener);
        clients.add(c);
        return c;
    }

    /**
     * Lets the collector find unreachable tracked buffers, then makes the detector look at them: it reports leaks
     * when it tracks a new buffer. Each round waits until a sentinel's weak reference is enqueued, which tells that
     * the collection ran and its references were processed (the tracked buffers' among them). Stops early once a
     * leak is in, if one is expected.
     */
    private static void collect(List<String> leaks, boolean expectOne) throws InterruptedException {
        for (int round = 0; round < 20 && !(expectOne && !leaks.isEmpty()); round++) {
            ReferenceQueue<Object> processed = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), processed);
            System.gc();
            assertSame(sentinel, processed.remove(TimeUnit.SECONDS.toMillis(10)), "a collection ran");
            for (int i = 0; i < 10; i++) {
                ByteBufAllocator.DEFAULT.heapBuffer(8).release();
            }
        }
    }

    /** The detector every Netty buffer reports to; package-private in Netty, so reached by reflection. */
    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufLeakDetector() throws ReflectiveOperationException {
        Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);
        return (ResourceLeakDetector<ByteBuf>) field.get(null);
    }
}
