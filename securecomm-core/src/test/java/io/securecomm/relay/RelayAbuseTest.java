package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.RoomPolicy;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.netty.NettyRelayServer;
import io.securecomm.testing.MutableClock;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.UploadPreKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22's attacks on the relay by clients it admitted, on 127.0.0.1 with default options, written as the attack:
 * raw hostile clients from 127.0.0.2 and 127.0.0.3 (up to the 64 connections each address may open) next to two
 * honest default {@link ChatClient}s, alice and bob. Each test measures what the honest clients see, without and with
 * the attack.
 *
 * <p>The latency bound (docs/SECURITY.md, "Fairness"): during the attack the median latency of alice's private
 * messages to bob stays within {@value #LATENCY_RATIO} times the median of the same probe without it, where a median
 * under {@value #LATENCY_FLOOR_MILLIS} ms counts as {@value #LATENCY_FLOOR_MILLIS} ms (a loaded machine's noise); and
 * no honest request is refused. Each phase is bounded (a fixed number of probes, a fixed pace), the whole test well
 * under 30 s.
 */
@Timeout(60)
class RelayAbuseTest {
    /** The bound on the ratio of the honest median latency with and without the attack. */
    static final int LATENCY_RATIO = 5;
    /** A median latency below this counts as this, so that a sub-millisecond baseline does not make noise fail. */
    static final long LATENCY_FLOOR_MILLIS = 10;

    private static final int PROBES = 20;
    private static final long PROBE_PERIOD_MILLIS = 150;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * The most of a flood to bob that may reach him before another sender's envelope sent after it: the relay's
     * window (32 KiB) and what the sockets hold (a 256 KiB send buffer, doubled by the kernel), with a margin; the
     * flood is 1600 KiB. Measured: 408 KiB; before the fair queue, all 1600 KiB.
     */
    static final long FLOOD_AHEAD_BOUND_BYTES = 1024 * 1024;
    /**
     * The most of a flood from the connections of one address that may be taken for a recipient that does not read:
     * what the sockets and the window hold (about 400 KiB, as above) and one sender's share of its queue (128 KiB),
     * with a margin. With a share per connection, eight connections had about 1400 KiB taken.
     */
    static final long ONE_ADDRESS_TAKEN_BOUND_BYTES = 1024 * 1024;

    private final SecureRandom random = new SecureRandom();
    private final List<ChatClient> clients = new ArrayList<>();
    private final List<HostileClient> hostile = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private RelayServer relay;
    private ChatClient alice;
    private ChatClient bob;
    private final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        timer.shutdownNow();
        pool.shutdownNow();
        synchronized (hostile) {
            for (HostileClient h : hostile) {
                h.close();
            }
        }
        clients.forEach(ChatClient::close);
        if (relay != null) {
            relay.close();
        }
    }

    private void startRelay(RelayServer server) throws Exception {
        relay = server.start();
    }

    private ChatClient honest(String nickname, RoomPolicy policy, ChatListener listener) {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey()))
                .roomPolicy(policy).build(), listener);
        clients.add(c);
        return c;
    }

    /** Connects alice and bob; bob's listener times the arrival of each of alice's probes. */
    private void connectHonestClients(RoomPolicy policy) throws Exception {
        alice = honest("alice", policy, new ChatListener() {});
        bob = honest("bob", policy, new ChatListener() {
            @Override
            public void onMessage(ChatMessage message) {
                arrivals.computeIfAbsent(message.text(), t -> new CompletableFuture<>()).complete(System.nanoTime());
            }
        });
        alice.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        bob.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Sends {@link #PROBES} private messages from alice to bob, one every {@link #PROBE_PERIOD_MILLIS} ms, and
     * returns each one's latency in nanoseconds, from the send to bob's listener. Fails if any is refused or lost.
     */
    private List<Long> probe(String phase) throws Exception {
        List<CompletableFuture<Long>> latencies = new ArrayList<>();
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<?>> sends = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < PROBES; i++) {
            latencies.add(new CompletableFuture<>());
        }
        ScheduledFuture<?> pacer = timer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= PROBES) {
                allSent.complete(null);
                return;
            }
            String text = phase + " " + i;
            long sentAt = System.nanoTime();
            arrivals.computeIfAbsent(text, t -> new CompletableFuture<>())
                    .thenAccept(at -> latencies.get(i).complete(at - sentAt));
            sends.add(alice.sendPrivate("bob", text));
        }, 0, PROBE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        try {
            allSent.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } finally {
            pacer.cancel(false);
        }
        for (CompletableFuture<?> s : sends) {
            s.get(WAIT.toSeconds(), TimeUnit.SECONDS); // refused: throws, and fails the test
        }
        List<Long> out = new ArrayList<>();
        for (CompletableFuture<Long> l : latencies) {
            out.add(l.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return out;
    }

    private static long medianMillis(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return TimeUnit.NANOSECONDS.toMillis(sorted.get(sorted.size() / 2));
    }

    private static void assertLatencyKept(List<Long> quiet, List<Long> attacked, String attack) {
        long before = medianMillis(quiet);
        long during = medianMillis(attacked);
        long bound = LATENCY_RATIO * Math.max(before, LATENCY_FLOOR_MILLIS);
        System.out.println("RelayAbuseTest " + attack + ": honest median " + before + " ms without, " + during
                + " ms with the attack (bound " + bound + " ms)");
        assertTrue(during <= bound, attack + ": honest median latency " + during + " ms with the attack, " + before
                + " ms without; the bound is " + LATENCY_RATIO + "x (" + bound + " ms)");
    }

    /** Opens {@code count} hostile connections, half from each attacker address, in parallel. */
    private List<HostileClient> hostileClients(int count, String prefix, List<IdentityKeyPair> identities)
            throws Exception {
        List<Future<HostileClient>> joins = new ArrayList<>();
        InetSocketAddress address = relay.localAddress();
        for (int i = 0; i < count; i++) {
            String from = i % 2 == 0 ? HostileClient.ATTACKER_ADDRESS : HostileClient.SECOND_ATTACKER_ADDRESS;
            IdentityKeyPair id = identities.get(i);
            String nickname = prefix + i;
            joins.add(pool.submit(() -> {
                HostileClient h = new HostileClient(address, from);
                hostile.add(h);
                return h.join(nickname, id.noiseStaticKeyPair());
            }));
        }
        List<HostileClient> out = new ArrayList<>();
        for (Future<HostileClient> j : joins) {
            out.add(j.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS));
        }
        return out;
    }

    /**
     * Point 1: 128 admitted connections each upload valid pre-keys 19 times a second (under the request rate
     * limit), cycling through four signed pre-keys each. The relay used to verify every upload's signature (about a
     * millisecond each, 2.4 CPU-seconds per second in all): it fell behind, honest latency grew without bound, and it
     * then refused honest clients as RATE_LIMITED. Now uploads have their own allowance, a repeated signed pre-key is
     * not verified again, and work is paced per connection and per address.
     */
    @Test
    void anUploadFloodOfManyConnectionsLeavesHonestLatencyAndRefusesNoHonestRequest() throws Exception {
        startRelay(RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).build()));
        // Under the verified room policy the honest clients do not hand their room key to the 128 newcomers: their
        // own pace would delay the probes (a client-side matter, issue 22 point 9), and this test is about the relay.
        connectHonestClients(RoomPolicy.VERIFIED);

        int connections = 128;
        List<IdentityKeyPair> identities = new ArrayList<>();
        List<List<byte[]>> uploads = new ArrayList<>();
        MutableClock clock = new MutableClock();
        for (int i = 0; i < connections; i++) {
            IdentityKeyPair id = IdentityKeyPair.generate(random);
            InMemoryProtocolStore store = new InMemoryProtocolStore(id);
            List<byte[]> mine = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                clock.advance(PreKeys.SIGNED_PRE_KEY_ROTATION.plusMinutes(1)); // a new signed pre-key each time
                mine.add(PreKeys.prepareUpload(store, 0, 0, clock, random).encode());
            }
            identities.add(id);
            uploads.add(mine);
        }
        List<HostileClient> attackers = hostileClients(connections, "up", identities);
        // The baseline with the same members online, idle.
        List<Long> quiet = probe("quiet");
        List<ScheduledFuture<?>> floods = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            HostileClient h = attackers.get(i);
            List<byte[]> mine = uploads.get(i);
            AtomicInteger n = new AtomicInteger();
            floods.add(timer.scheduleAtFixedRate(() -> {
                int k = n.incrementAndGet();
                try {
                    h.send(new UploadPreKeys(k, mine.get(k % mine.size())));
                } catch (IOException closed) {
                    throw new IllegalStateException("the relay closed an attacker's connection", closed);
                }
            }, random.nextInt(52), 52, TimeUnit.MILLISECONDS));
        }
        // Let the flood reach its steady state (the relay had fallen behind within a second), then measure.
        CompletableFuture<Void> warm = new CompletableFuture<>();
        timer.schedule(() -> warm.complete(null), 1500, TimeUnit.MILLISECONDS);
        warm.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Long> attacked = probe("attacked");
        assertLatencyKept(quiet, attacked, "128 connections uploading pre-keys 19 times a second");
        for (ScheduledFuture<?> f : floods) {
            assertTrue(!f.isDone(), "an attacker's connection was closed: the relay throttles, it does not cut");
            f.cancel(false);
        }
    }

    /**
     * Point 1, fairness across senders, as bytes rather than time (the load harness measures the time, and a timed
     * version of this was decided by the shared machine's load): bob stops reading while a flooder sends him 200
     * envelopes of 8 KiB (1600 KiB, under his limit, raised to 4 MiB), then alice sends him one. Bob reads again.
     * The relay used to queue everything for bob in one queue, so alice's envelope came after all 1600 KiB of the
     * flood (measured); now bob's
     * queue is fair across senders ({@code FairQueue}): the flooder's share is bounded (the rest is refused to it as
     * RECIPIENT_TOO_SLOW), and alice's envelope, from a sender with nothing queued, goes next after what the socket
     * already holds. Nothing is lost: every flood envelope is delivered to bob or refused to the flooder, and bob is
     * not cut off.
     */
    @Test
    void aFloodToOneRecipientQueuesBehindAnotherSendersMessageAndNothingIsLost() throws Exception {
        // A slow-reader limit above the flood, so that the relay before the fix queued all of it rather than cut bob.
        startRelay(RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .slowReaderLimitBytes(4 << 20)
                .rateLimit(new RateLimit(10_000, 10_000, 10_000, Duration.ofSeconds(1))).build()));
        InetSocketAddress address = relay.localAddress();
        HostileClient bob = new HostileClient(address, 4096, "127.0.0.4");
        hostile.add(bob);
        int bobId = bob.join("bob", IdentityKeyPair.generate(random).noiseStaticKeyPair()).welcome.clientId();
        HostileClient flooder = new HostileClient(address, HostileClient.ATTACKER_ADDRESS);
        hostile.add(flooder);
        flooder.join("flooder", IdentityKeyPair.generate(random).noiseStaticKeyPair());
        HostileClient alice = new HostileClient(address, "127.0.0.1");
        hostile.add(alice);
        int aliceId = alice.join("alice", IdentityKeyPair.generate(random).noiseStaticKeyPair()).welcome.clientId();

        int flood = 200;
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CompletableFuture<Void> taken = new CompletableFuture<>();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        Future<?> replies = pool.submit(() -> {
            for (Message m = flooder.receive(); ; m = flooder.receive()) {
                if (m instanceof Pong) {
                    taken.complete(null);
                } else if (m instanceof Delivered) {
                    delivered.incrementAndGet();
                } else if (m instanceof ErrorReply e) {
                    assertEquals(ErrorCode.RECIPIENT_TOO_SLOW, e.code(), e.toString());
                    refused.incrementAndGet();
                }
                if (delivered.get() + refused.get() == flood) {
                    answered.complete(null);
                    return null;
                }
            }
        });
        byte[] junk = new byte[8192];
        junk[0] = 0x01; // a ratchet message's public header: not a session start
        junk[1] = 0x01;
        for (int k = 1; k <= flood; k++) {
            flooder.send(new SendEnvelope(k, bobId, junk));
        }
        flooder.send(new Ping(1)); // answered in order: the flood was taken
        taken.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        byte[] hello = {0x01, 0x01, 'h', 'i'};
        alice.send(new SendEnvelope(1, bobId, hello));
        alice.send(new Ping(2));
        for (Message m = alice.receive(); !(m instanceof Pong); m = alice.receive()) {
            // Joined and the like
        }

        // Bob reads again; the relay answers the last flood envelopes as it writes them, so bob reads on its own.
        AtomicLong junkAhead = new AtomicLong();
        AtomicInteger junkReceived = new AtomicInteger();
        Semaphore junkArrivals = new Semaphore(0);
        CompletableFuture<Void> aliceArrived = new CompletableFuture<>();
        pool.submit(() -> {
            for (Message m = bob.receive(); ; m = bob.receive()) {
                if (m instanceof Envelope e && e.senderId() == aliceId) {
                    aliceArrived.complete(null);
                } else if (m instanceof Envelope e) {
                    if (!aliceArrived.isDone()) {
                        junkAhead.addAndGet(e.ciphertext().length);
                    }
                    junkReceived.incrementAndGet();
                    junkArrivals.release();
                }
            }
        });
        aliceArrived.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        answered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        replies.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // Every envelope answered as delivered is on its way to bob: wait for that many arrivals, then no more.
        junkArrivals.tryAcquire(delivered.get(), WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.println("RelayAbuseTest flood to one recipient: " + junkAhead.get() / 1024 + " KiB of the flood"
                + " ahead of alice's envelope; " + delivered + " flood envelopes delivered, " + refused + " refused");
        assertEquals(flood, delivered.get() + refused.get(), "every flood envelope answered");
        assertEquals(delivered.get(), junkReceived.get(), "every flood envelope answered as delivered reached bob");
        assertTrue(junkAhead.get() <= FLOOD_AHEAD_BOUND_BYTES, junkAhead.get() / 1024 + " KiB of the flood came"
                + " before alice's envelope; the bound is " + FLOOD_AHEAD_BOUND_BYTES / 1024 + " KiB of the 1600 KiB");
    }

    /**
     * Issue 22, fairness per address: eight connections from one address each flood bob (who does not read) with
     * 200 KiB of 8 KiB envelopes, then alice sends him one. Each recipient's fair queue took each connection as a
     * sender of its own, with its own 128 KiB of bob's queue, so the one address had eight shares: about 1400 KiB of
     * the 1600 KiB were taken for bob. Now the connections of one address are one sender there, with one share: what
     * is taken is what the sockets and the window hold, plus one sender's 128 KiB; the rest is refused to the
     * flooders (RECIPIENT_TOO_SLOW), never dropped silently, and alice's envelope still reaches bob.
     */
    @Test
    void theConnectionsOfOneAddressGetOneShareOfARecipientsQueue() throws Exception {
        startRelay(RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .slowReaderLimitBytes(4 << 20)
                .rateLimit(new RateLimit(10_000, 10_000, 10_000, Duration.ofSeconds(1))).build()));
        InetSocketAddress address = relay.localAddress();
        HostileClient bob = new HostileClient(address, 4096, "127.0.0.4");
        hostile.add(bob);
        int bobId = bob.join("bob", IdentityKeyPair.generate(random).noiseStaticKeyPair()).welcome.clientId();
        int connections = 8;
        int each = 25;
        List<HostileClient> flooders = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            HostileClient f = new HostileClient(address, HostileClient.ATTACKER_ADDRESS);
            hostile.add(f);
            f.join("flooder" + i, IdentityKeyPair.generate(random).noiseStaticKeyPair());
            flooders.add(f);
        }
        HostileClient alice = new HostileClient(address, "127.0.0.1");
        hostile.add(alice);
        int aliceId = alice.join("alice", IdentityKeyPair.generate(random).noiseStaticKeyPair()).welcome.clientId();

        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<Void>> taken = new ArrayList<>();
        List<Future<?>> replies = new ArrayList<>();
        for (HostileClient f : flooders) {
            CompletableFuture<Void> pong = new CompletableFuture<>();
            taken.add(pong);
            replies.add(pool.submit(() -> {
                int answered = 0;
                for (Message m = f.receive(); ; m = f.receive()) {
                    if (m instanceof Pong) {
                        pong.complete(null);
                    } else if (m instanceof Delivered) {
                        delivered.incrementAndGet();
                        answered++;
                    } else if (m instanceof ErrorReply e) {
                        assertEquals(ErrorCode.RECIPIENT_TOO_SLOW, e.code(), e.toString());
                        refused.incrementAndGet();
                        answered++;
                    }
                    if (answered == each && pong.isDone()) {
                        return null;
                    }
                }
            }));
        }
        byte[] junk = new byte[8192];
        junk[0] = 0x01; // a ratchet message's public header: not a session start
        junk[1] = 0x01;
        for (int k = 1; k <= each; k++) {
            for (HostileClient f : flooders) {
                f.send(new SendEnvelope(k, bobId, junk));
            }
        }
        for (HostileClient f : flooders) {
            f.send(new Ping(1)); // answered in order: its flood was taken
        }
        for (CompletableFuture<Void> pong : taken) {
            pong.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        alice.send(new SendEnvelope(1, bobId, new byte[] {0x01, 0x01, 'h', 'i'}));
        alice.send(new Ping(2));
        for (Message m = alice.receive(); !(m instanceof Pong); m = alice.receive()) {
            // Joined and the like
        }

        AtomicInteger junkReceived = new AtomicInteger();
        CompletableFuture<Void> aliceArrived = new CompletableFuture<>();
        pool.submit(() -> {
            for (Message m = bob.receive(); ; m = bob.receive()) {
                if (m instanceof Envelope e && e.senderId() == aliceId) {
                    aliceArrived.complete(null);
                } else if (m instanceof Envelope) {
                    junkReceived.incrementAndGet();
                }
            }
        });
        aliceArrived.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (Future<?> r : replies) {
            r.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        long takenKib = delivered.get() * 8L;
        System.out.println("RelayAbuseTest one address, " + connections + " connections: " + takenKib + " KiB of the "
                + connections * each * 8 + " KiB flood taken for bob, " + refused + " envelopes refused");
        assertEquals(connections * each, delivered.get() + refused.get(), "every flood envelope answered");
        assertTrue(takenKib * 1024 <= ONE_ADDRESS_TAKEN_BOUND_BYTES, takenKib + " KiB of the flood of one address"
                + " were taken for bob; the bound is " + ONE_ADDRESS_TAKEN_BOUND_BYTES / 1024 + " KiB");
    }

    /**
     * Point 4: the moment a newcomer joins, 90 strangers ask for its bundle 3 times each, before its first upload.
     * The relay's queue of requests waiting for that upload had one cap for everyone, 256: the strangers filled it and
     * an honest member's request was refused at once (NO_PRE_KEYS). Now each requester has its own places. Alice's
     * request must be answered by the upload the first time: a client that sends a refused request again (it does,
     * for RATE_LIMITED) would otherwise hide a refusal behind its retry.
     */
    @Test
    void strangersFillingANewcomersBundleQueueDoNotHaveAnHonestRequestRefused() throws Exception {
        CompletableFuture<Void> aliceAsked = new CompletableFuture<>();
        AtomicInteger aliceRequests = new AtomicInteger();
        AtomicInteger carolId = new AtomicInteger(-1);
        startRelay(NettyRelayServer.withPipelineHookForTesting(
                RelayOptions.builder().bindAddress("127.0.0.1").port(0).build(),
                pipeline -> pipeline.addBefore("relay", "spy", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof PreKeyBundleRequest r && r.clientId() == carolId.get()
                                && ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress()
                                        .getHostAddress().equals("127.0.0.1")) {
                            aliceRequests.incrementAndGet();
                            aliceAsked.complete(null);
                        }
                        ctx.fireChannelRead(msg);
                    }
                })));
        // Under the verified room policy the honest clients send no room key to the newcomer on their own: alice's
        // one bundle request is the private message below, after the strangers' requests.
        connectHonestClients(RoomPolicy.VERIFIED);

        int strangers = 90;
        List<IdentityKeyPair> identities = new ArrayList<>();
        for (int i = 0; i < strangers; i++) {
            identities.add(IdentityKeyPair.generate(random));
        }
        List<HostileClient> attackers = hostileClients(strangers, "asker", identities);

        IdentityKeyPair carolIdentity = IdentityKeyPair.generate(random);
        HostileClient carol = new HostileClient(relay.localAddress(), "127.0.0.4");
        hostile.add(carol);
        carol.join("carol", carolIdentity.noiseStaticKeyPair());
        carolId.set(carol.welcome.clientId());

        List<Future<?>> asked = new ArrayList<>();
        for (HostileClient h : attackers) {
            asked.add(pool.submit(() -> {
                int newcomer = awaitJoined(h, "carol");
                for (int k = 1; k <= 3; k++) {
                    h.send(new PreKeyBundleRequest(k, newcomer));
                }
                // The relay answers in order: the Pong means the three requests were taken.
                h.send(new Ping(42));
                for (Message m = h.receive(); !(m instanceof Pong); m = h.receive()) {
                    // skip
                }
                return null;
            }));
        }
        for (Future<?> a : asked) {
            a.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        CompletableFuture<?> send = alice.sendPrivate("carol", "welcome, carol");
        aliceAsked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        carol.send(new UploadPreKeys(1, PreKeys.prepareUpload(new InMemoryProtocolStore(carolIdentity), 10, 1,
                Clock.systemUTC(), random).encode()));
        send.get(WAIT.toSeconds(), TimeUnit.SECONDS); // refused: throws, and fails the test
        Message m;
        do {
            m = carol.receive();
        } while (!(m instanceof Envelope));
        assertEquals(((Envelope) m).senderId(), aliceIdAsSeenBy(carol));
        assertEquals(1, aliceRequests.get(), "alice's one bundle request for carol waited and was answered, never"
                + " refused and sent again");
    }

    private int aliceIdAsSeenBy(HostileClient carol) throws Exception {
        carol.send(new ListRequest(9));
        for (Message m = carol.receive(); ; m = carol.receive()) {
            if (m instanceof ClientList list) {
                for (ClientInfo c : list.clients()) {
                    if (c.nickname().equals("alice")) {
                        return c.clientId();
                    }
                }
                throw new AssertionError("alice is not online");
            }
        }
    }

    /** Reads until the relay announces {@code nickname}, and returns its id. */
    private static int awaitJoined(HostileClient h, String nickname) throws Exception {
        while (true) {
            if (h.receive() instanceof Joined j && j.client().nickname().equals(nickname)) {
                return j.client().clientId();
            }
        }
    }
}
