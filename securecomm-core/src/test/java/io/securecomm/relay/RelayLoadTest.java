package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.UndecryptableMessageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load test of the delivery guarantee (docs/PROTOCOL.md, "Delivery guarantee"): {@value #CLIENTS} clients on
 * 127.0.0.1 send public and private messages, end-to-end encrypted, all at once. Every message must reach each
 * recipient exactly once, in its sender's order within its conversation (the room, or the pair): zero loss,
 * zero duplicates. Every client sends to the room, so every pair sets up sessions (X3DH) during the run. It prints the
 * throughput and the latency percentiles (under the burst, and then of single messages with everyone connected), and is
 * bounded in count (about 120,000 deliveries) and time.
 */
@Timeout(120)
class RelayLoadTest {
    private static final int CLIENTS = 48;
    private static final int PUBLIC_PER_CLIENT = 3;
    private static final int PRIVATE_PER_CLIENT = 17;

    /** What one client received: per sender, the sequence numbers in arrival order. */
    private static final class Receiver implements ChatListener {
        final int index;
        final int[][] seqs = new int[CLIENTS][PUBLIC_PER_CLIENT + PRIVATE_PER_CLIENT];
        final int[] counts = new int[CLIENTS];
        final long[] latencies;
        int received;
        final CountDownLatch done;

        Receiver(int index, int expected) {
            this.index = index;
            this.latencies = new long[expected];
            this.done = new CountDownLatch(expected);
        }

        @Override
        public synchronized void onMessage(ChatMessage m) {
            long now = System.nanoTime();
            // "<sender index> <sequence> <send time>"
            String[] parts = m.text().split(" ");
            int sender = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            if (counts[sender] < seqs[sender].length) {
                seqs[sender][counts[sender]] = seq;
            }
            counts[sender]++;
            if (received < latencies.length) {
                latencies[received] = now - Long.parseLong(parts[2]);
            }
            received++;
            done.countDown();
        }

        /** The nicknames of the clients that joined after this one, in order. */
        final BlockingQueue<String> joins = new LinkedBlockingQueue<>();

        @Override
        public void onJoin(OnlineClient client) {
            joins.add(client.nickname());
        }

        /** Anything that went wrong end to end: a message it could not read, a key that did not get out. */
        final List<String> problems = new ArrayList<>();

        @Override
        public synchronized void onUndecryptable(UndecryptableMessageException e) {
            problems.add(e.getMessage());
        }

        @Override
        public synchronized void onError(ChatClientException e) {
            problems.add(e.getMessage());
        }
    }

    @Test
    void hundredsOfClientsLoseDuplicateAndReorderNothing() throws Exception {
        RelayOptions options = RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                // Every load client comes from 127.0.0.1; the other limits stay at their defaults.
                .maxConnectionsPerAddress(CLIENTS + 10)
                .build();
        Random random = new Random(2026);
        // Plan first, so every receiver knows what it must get: each client's messages, in order, with a
        // sequence number per sender; a private message's recipient is any other client.
        boolean[][] isPublic = new boolean[CLIENTS][PUBLIC_PER_CLIENT + PRIVATE_PER_CLIENT];
        int[][] recipient = new int[CLIENTS][PUBLIC_PER_CLIENT + PRIVATE_PER_CLIENT];
        int[] expected = new int[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            List<Boolean> kinds = new ArrayList<>();
            for (int i = 0; i < PUBLIC_PER_CLIENT; i++) {
                kinds.add(true);
            }
            for (int i = 0; i < PRIVATE_PER_CLIENT; i++) {
                kinds.add(false);
            }
            Collections.shuffle(kinds, random);
            for (int s = 0; s < kinds.size(); s++) {
                isPublic[c][s] = kinds.get(s);
                if (kinds.get(s)) {
                    for (int r = 0; r < CLIENTS; r++) {
                        expected[r] += r == c ? 0 : 1;
                    }
                } else {
                    int r = random.nextInt(CLIENTS - 1);
                    recipient[c][s] = r >= c ? r + 1 : r;
                    expected[recipient[c][s]]++;
                }
            }
        }

        try (RelayServer relay = RelayServer.create(options).start()) {
            int port = relay.localAddress().getPort();
            Receiver[] receivers = new Receiver[CLIENTS];
            ChatClient[] clients = new ChatClient[CLIENTS];
            int[] ids = new int[CLIENTS];
            try {
                // One at a time, each known to everyone before the next: a public message goes to the members
                // its sender knows of, so a member still unknown to a sender would (rightly) not get it.
                for (int c = 0; c < CLIENTS; c++) {
                    receivers[c] = new Receiver(c, expected[c]);
                    clients[c] = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port)
                            .nickname("load" + c).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey()))
                            .build(), receivers[c]);
                    ids[c] = clients[c].connect().get(60, TimeUnit.SECONDS).clientId();
                    for (int earlier = 0; earlier < c; earlier++) {
                        assertEquals("load" + c, receivers[earlier].joins.poll(60, TimeUnit.SECONDS),
                                "client " + earlier + " learns that client " + c + " joined");
                    }
                }
                assertEquals(CLIENTS, relay.onlineClients());

                long start = System.nanoTime();
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int s = 0; s < PUBLIC_PER_CLIENT + PRIVATE_PER_CLIENT; s++) {
                    for (int c = 0; c < CLIENTS; c++) {
                        String text = c + " " + s + " " + System.nanoTime();
                        sends.add(isPublic[c][s] ? clients[c].sendPublic(text)
                                : clients[c].sendPrivate(ids[recipient[c][s]], text));
                    }
                }
                for (CompletableFuture<?> f : sends) {
                    f.get(60, TimeUnit.SECONDS); // every message accepted and delivered: no explicit failure
                }
                for (Receiver r : receivers) {
                    assertTrue(r.done.await(60, TimeUnit.SECONDS), "client " + r.index + " is missing messages");
                }
                double seconds = (System.nanoTime() - start) / 1e9;

                long deliveries = 0;
                List<long[]> allLatencies = new ArrayList<>();
                for (Receiver r : receivers) {
                    synchronized (r) {
                        assertEquals(List.of(), r.problems, "client " + r.index);
                        assertEquals(expected[r.index], r.received, "client " + r.index + ": duplicates");
                        for (int sender = 0; sender < CLIENTS; sender++) {
                            int[] got = Arrays.copyOf(r.seqs[sender], r.counts[sender]);
                            int[] want = expectedFrom(sender, r.index, isPublic, recipient);
                            // In order per conversation: the room's messages among themselves, and the private
                            // ones among themselves (the two are separate end-to-end streams, as in any messenger).
                            for (boolean room : new boolean[] {true, false}) {
                                int[] gotHere = only(got, isPublic[sender], room);
                                int[] wantHere = only(want, isPublic[sender], room);
                                assertTrue(Arrays.equals(wantHere, gotHere), "client " + r.index + " from " + sender
                                        + (room ? " (room)" : " (private)") + ": got " + Arrays.toString(gotHere)
                                        + ", want " + Arrays.toString(wantHere));
                            }
                        }
                        deliveries += r.received;
                        allLatencies.add(r.latencies);
                    }
                }
                long[] latency = allLatencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                System.out.printf("relay load: %d clients, %d sends, %d deliveries in %.2f s: %.0f deliveries/s;"
                                + " latency under the all-at-once burst (queueing included) p50 %.1f ms, p99 %.1f ms,"
                                + " max %.1f ms%n",
                        CLIENTS, sends.size(), deliveries, seconds, deliveries / seconds,
                        percentile(latency, 0.50), percentile(latency, 0.99), latency[latency.length - 1] / 1e6);

                // Then the latency one message sees with all the clients still connected but the burst over: a
                // private message's round trip to Delivered, one at a time, between random pairs.
                long[] roundTrips = new long[200];
                for (int k = 0; k < roundTrips.length; k++) {
                    int from = random.nextInt(CLIENTS);
                    int to = (from + 1 + random.nextInt(CLIENTS - 1)) % CLIENTS;
                    long sent = System.nanoTime();
                    clients[from].sendPrivate(ids[to], from + " " + (1000 + k) + " " + sent).get(10, TimeUnit.SECONDS);
                    roundTrips[k] = System.nanoTime() - sent;
                }
                Arrays.sort(roundTrips);
                System.out.printf("relay load: %d clients connected, one private message at a time: round trip to"
                                + " Delivered p50 %.2f ms, p99 %.2f ms%n",
                        CLIENTS, percentile(roundTrips, 0.50), percentile(roundTrips, 0.99));
            } finally {
                for (ChatClient c : clients) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    /** The sequence numbers one receiver must get from one sender, in order. */
    private static int[] expectedFrom(int sender, int receiver, boolean[][] isPublic, int[][] recipient) {
        if (sender == receiver) {
            return new int[0];
        }
        List<Integer> want = new ArrayList<>();
        for (int s = 0; s < isPublic[sender].length; s++) {
            if (isPublic[sender][s] || recipient[sender][s] == receiver) {
                want.add(s);
            }
        }
        return want.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The sequence numbers of one conversation: the room's, or the private ones. */
    private static int[] only(int[] seqs, boolean[] isPublic, boolean room) {
        return Arrays.stream(seqs).filter(seq -> isPublic[seq] == room).toArray();
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
