package io.securecomm.benchmarks.store;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.WorkLimit;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.sqlite.SqliteRelayStore;
import io.securecomm.relay.store.sqlite.SqliteStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offline delivery end to end, through a relay on 127.0.0.1 and real clients (#16): alice and bob have exchanged one
 * message each (so alice's are ratchet messages of about 200 bytes, not 1.9 KB PQXDH first messages); alice sends
 * messages to bob,
 * who is offline, with a window of sends in flight, until all are reported {@code STORED} (stored msg/s, end to end:
 * encryption, the wire, the relay, the store's commit); then bob connects and the relay drains them to him, in pages
 * within its window of unacknowledged messages, bob decrypting and acknowledging in batches (drained msg/s: from his
 * connect to the last message shown). Run against the SQLite store (group commit) and the in-memory store; the naive
 * one-transaction-per-message baseline is {@link StoreThroughput}'s.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.store.OfflineDelivery \
 *     [--messages 20000] [--window 256] [--dir PATH]
 * </pre>
 */
public final class OfflineDelivery {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OfflineDelivery() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --messages N}, {@code --window N}, {@code --dir PATH}
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        int messages = 20_000;
        int window = 256;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[i + 1]);
                case "--window" -> window = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        StoreLimits limits = StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(Math.max(1000, messages))
                .withMaxQueuedBytesPerRecipient(1L << 30);
        Path work = Files.createTempDirectory(dir, "offline-delivery");
        System.out.printf(Locale.ROOT, "%d messages of 100 characters, window %d, database in %s (%s)%n", messages,
                window, work, Files.getFileStore(work).type());
        try (SqliteRelayStore sqlite = SqliteRelayStore.open(work.resolve("relay.db"),
                SqliteStoreOptions.builder().limits(limits).build())) {
            run("SqliteRelayStore (group commit)", sqlite, messages, window);
        }
        run("InMemoryRelayStore", new InMemoryRelayStore(Clock.systemUTC(), limits), messages, window);
    }

    private static void run(String name, RelayStore store, int messages, int window) throws Exception {
        RelayOptions options = RelayOptions.builder().bindAddress("127.0.0.1").port(0).store(store)
                .rateLimit(new RateLimit(1_000_000, 1_000_000, 100, Duration.ofSeconds(10)))
                .workLimit(WorkLimit.unlimitedForTesting()).build();
        try (RelayServer relay = RelayServer.create(options).start()) {
            ProtocolStore bobStore = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
            ProtocolStore aliceStore = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
            // They have talked before: alice's messages are ratchet messages, not PQXDH first messages.
            CountDownLatch heard = new CountDownLatch(1);
            try (ChatClient alice = connect(relay, "alice", aliceStore, new ChatListener() {
                @Override
                public void onMessage(ChatMessage message) {
                    heard.countDown();
                }
            }); ChatClient bob = connect(relay, "bob", bobStore, new ChatListener() { })) {
                alice.sendPrivate("bob", "hello bob").get(30, TimeUnit.SECONDS);
                bob.sendPrivate("alice", "hello alice").get(30, TimeUnit.SECONDS);
                if (!heard.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("alice never heard from bob");
                }
            }
            double storedPerSecond;
            try (ChatClient alice = connect(relay, "alice", aliceStore, new ChatListener() { })) {
                String text = "x".repeat(100);
                Semaphore inFlight = new Semaphore(window);
                AtomicInteger notStored = new AtomicInteger();
                List<CompletableFuture<DeliveryStatus>> sends = new ArrayList<>(messages);
                long t0 = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    inFlight.acquire();
                    CompletableFuture<DeliveryStatus> f = alice.sendPrivate("bob", text);
                    f.whenComplete((s, e) -> {
                        if (s != DeliveryStatus.STORED) {
                            notStored.incrementAndGet();
                        }
                        inFlight.release();
                    });
                    sends.add(f);
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                storedPerSecond = messages / ((System.nanoTime() - t0) / 1e9);
                if (notStored.get() > 0) {
                    throw new IllegalStateException(notStored.get() + " messages were not reported STORED");
                }
            }
            CountDownLatch all = new CountDownLatch(messages);
            AtomicInteger shown = new AtomicInteger();
            long t1 = System.nanoTime();
            try (ChatClient bob = connect(relay, "bob", bobStore, new ChatListener() {
                @Override
                public void onMessage(ChatMessage message) {
                    shown.incrementAndGet();
                    all.countDown();
                }
            })) {
                if (!all.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("bob got " + shown.get() + " of " + messages);
                }
                double drainedPerSecond = messages / ((System.nanoTime() - t1) / 1e9);
                Thread.sleep(500);
                if (shown.get() != messages) {
                    throw new IllegalStateException("bob was shown " + shown.get() + " messages for " + messages);
                }
                System.out.printf(Locale.ROOT, "%-34s stored %,8.0f msg/s   drained %,8.0f msg/s%n", name,
                        storedPerSecond, drainedPerSecond);
            }
        }
    }

    private static ChatClient connect(RelayServer relay, String nickname, ProtocolStore store, ChatListener listener)
            throws Exception {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).protocolStore(store).pacing(1_000_000, 1_000_000)
                .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), listener);
        c.connect().get(30, TimeUnit.SECONDS);
        return c;
    }
}
