package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.RelayTrustStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay tells its {@link RelayMeter} what happens, over real sockets on 127.0.0.1. */
@Timeout(60)
class RelayMeterTest {
    /** Counts every call by name and argument: "handshakeEnded:COMPLETED", "bytesRead" (the sum), ... */
    static final class CountingMeter implements RelayMeter {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        long get(String key) {
            AtomicLong n = counts.get(key);
            return n == null ? 0 : n.get();
        }

        private void add(String key, long n) {
            counts.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
            synchronized (this) {
                notifyAll();
            }
        }

        /** Waits until {@code condition} holds, woken by each count; fails after 10 s. */
        synchronized void await(BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, () -> "timed out waiting; counts: " + counts);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public void connectionOpened() {
            add("connectionOpened", 1);
        }

        @Override
        public void connectionClosed() {
            add("connectionClosed", 1);
        }

        @Override
        public void connectionRefused(ConnectionRefusal reason) {
            add("connectionRefused:" + reason, 1);
        }

        @Override
        public void handshakeEnded(HandshakeResult result, Duration duration) {
            assertTrue(!duration.isNegative(), duration::toString);
            add("handshakeEnded:" + result, 1);
        }

        @Override
        public void clientAdmitted() {
            add("clientAdmitted", 1);
        }

        @Override
        public void clientRefused(AdmissionRefusal reason) {
            add("clientRefused:" + reason, 1);
        }

        @Override
        public void clientDeparted(DepartureReason reason) {
            add("clientDeparted:" + reason, 1);
        }

        @Override
        public void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {
            add("messageForwarded:" + kind + ":" + result, 1);
        }

        @Override
        public void limitDisconnected(LimitDisconnect limit) {
            add("limitDisconnected:" + limit, 1);
        }

        @Override
        public void bytesRead(long bytes) {
            add("bytesRead", bytes);
        }

        @Override
        public void bytesWritten(long bytes) {
            add("bytesWritten", bytes);
        }
    }

    private static ChatClient client(RelayServer relay, String nickname) {
        return client(relay, nickname, new RecordingListener());
    }

    private static ChatClient client(RelayServer relay, String nickname, RecordingListener listener) {
        return ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(),
                listener);
    }

    @Test
    void aChatIsCountedFromConnectionToDeparture() throws Exception {
        CountingMeter meter = new CountingMeter();
        try (RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .meter(meter).build()).start()) {
            RecordingListener aliceEvents = new RecordingListener();
            try (ChatClient alice = client(relay, "alice", aliceEvents); ChatClient bob = client(relay, "bob")) {
                alice.connect().get(10, TimeUnit.SECONDS);
                bob.connect().get(10, TimeUnit.SECONDS);
                aliceEvents.next("join"); // alice knows bob is online
                alice.sendPrivate("bob", "hello bob").get(10, TimeUnit.SECONDS);
                alice.sendPublic("hello room").get(10, TimeUnit.SECONDS);
                try (ChatClient taken = client(relay, "ALICE")) {
                    taken.connect().handle((s, e) -> null).get(10, TimeUnit.SECONDS);
                }
            }
            meter.await(() -> meter.get("connectionClosed") == 3);
            assertEquals(3, meter.get("connectionOpened"), meter.counts::toString);
            assertEquals(3, meter.get("handshakeEnded:COMPLETED"), meter.counts::toString);
            assertEquals(2, meter.get("clientAdmitted"), meter.counts::toString);
            assertEquals(1, meter.get("clientRefused:NICKNAME_TAKEN"), meter.counts::toString);
            meter.await(() -> meter.get("clientDeparted:LEFT") == 2);
            // The private message, the session start before it, and the pre-key traffic are pairwise envelopes.
            assertTrue(meter.get("messageForwarded:PAIRWISE:DELIVERED") >= 1, meter.counts::toString);
            assertTrue(meter.get("messageForwarded:ROOM:DELIVERED") >= 1, meter.counts::toString);
            assertTrue(meter.get("bytesRead") > 1000, meter.counts::toString);
            assertTrue(meter.get("bytesWritten") > 1000, meter.counts::toString);
        }
    }

    @Test
    void refusedConnectionsAndFailedHandshakesAreCountedByReason() throws Exception {
        CountingMeter meter = new CountingMeter();
        try (RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .maxConnections(2).maxConnectionsPerAddress(2).handshakeTimeout(Duration.ofMillis(300))
                .meter(meter).build()).start()) {
            int port = relay.localAddress().getPort();
            // Silent until the handshake timeout.
            try (Socket silent = new Socket("127.0.0.1", port)) {
                meter.await(() -> meter.get("handshakeEnded:TIMED_OUT") == 1);
                assertEquals(-1, read(silent), "the relay closes a connection whose handshake timed out");
            }
            // A first handshake message of three bytes, where XX's carries a 32-byte key.
            try (Socket garbage = new Socket("127.0.0.1", port)) {
                OutputStream out = garbage.getOutputStream();
                out.write(new byte[] {0, 3, 1, 2, 3});
                out.flush();
                meter.await(() -> meter.get("handshakeEnded:FAILED") == 1);
            }
            // Gone before saying anything.
            new Socket("127.0.0.1", port).close();
            meter.await(() -> meter.get("handshakeEnded:ABANDONED") == 1);
            meter.await(() -> meter.get("connectionClosed") == 3);

            try (Socket first = new Socket("127.0.0.1", port); Socket second = new Socket("127.0.0.1", port)) {
                meter.await(() -> meter.get("connectionOpened") == 5);
                try (Socket third = new Socket("127.0.0.1", port)) {
                    assertEquals(-1, read(third), "a connection beyond the limit is closed at once");
                }
                meter.await(() -> meter.get("connectionRefused:MAX_CONNECTIONS") == 1);
            }
            meter.await(() -> meter.get("connectionClosed") == 5);
            assertEquals(0, meter.get("clientAdmitted"), meter.counts::toString);
        }
    }

    @Test
    void aMeterThatThrowsBreaksNothing() throws Exception {
        RelayMeter broken = new RelayMeter() {
            @Override
            public void handshakeEnded(HandshakeResult result, Duration duration) {
                throw new IllegalStateException("broken meter");
            }

            @Override
            public void bytesRead(long bytes) {
                throw new IllegalStateException("broken meter");
            }

            @Override
            public void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {
                throw new IllegalStateException("broken meter");
            }
        };
        RecordingListener aliceEvents = new RecordingListener();
        try (RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .meter(broken).build()).start();
                ChatClient alice = client(relay, "alice", aliceEvents); ChatClient bob = client(relay, "bob")) {
            alice.connect().get(10, TimeUnit.SECONDS);
            bob.connect().get(10, TimeUnit.SECONDS);
            aliceEvents.next("join");
            alice.sendPrivate("bob", "still works").get(10, TimeUnit.SECONDS);
        }
    }

    private static int read(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        return in.read();
    }
}
