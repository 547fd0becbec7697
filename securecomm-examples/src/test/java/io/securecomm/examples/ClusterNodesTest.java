package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.ClientPage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.testing.redis.RedisServerProcess;
import io.securecomm.wire.LeaveReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 with real processes: relay nodes started as {@code server --cluster} in child JVMs, sharing a real
 * {@code redis-server} the test starts (skipped with an install hint unless {@code CI=true}), and clients
 * ({@link ChatClient}, what a client shows is what its listener is given) connected to different nodes. Two and three
 * nodes chat publicly and privately and list each other; a message stored through one node is delivered through
 * another; a node killed with {@code SIGKILL} in the middle of a bounded load run loses no message it reported
 * delivered or stored, shows none twice, and its clients leave the others' lists by the expiry bound; Redis killed
 * and restarted with append-only persistence is reconnected to by the nodes on their own.
 *
 * <p>The nodes run with a presence expiry of {@link #EXPIRY} to keep the tests short. Every wait is bounded.
 */
@Timeout(180)
class ClusterNodesTest {
    /** The nodes' presence expiry (their {@code --presence-expiry}; their route timeout is 2 s). */
    static final Duration EXPIRY = Duration.ofSeconds(3);
    /**
     * How long after a node's death its clients may still be listed elsewhere: the expiry since its last heartbeat
     * plus one check period (docs/CLUSTER.md), and a margin for a loaded machine's scheduling.
     */
    static final Duration PRESENCE_BOUND = EXPIRY.plus(EXPIRY.dividedBy(3)).plusSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final List<ChatClient> clients = new CopyOnWriteArrayList<>();
    private final RelayTrustStore trust = RelayTrustStore.trustOnFirstUseInMemory();

    @AfterEach
    void stopEverything() {
        for (ChatClient c : clients) {
            c.close();
        }
        for (ServerProcess n : nodes) {
            n.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * Starts a Redis and {@code count} nodes on it, named a, b, c...: the first creates the relay's key, which the
     * others are given (as an operator copies {@code relay.key} to every node). One after the other, so that their
     * JVMs do not start together on a loaded machine.
     */
    private List<ServerProcess> cluster(int count, boolean appendOnly) throws Exception {
        redis = RedisServerProcess.start(dir.resolve("redis"), appendOnly
                ? RedisServerProcess.Persistence.AOF_ALWAYS : RedisServerProcess.Persistence.NONE);
        Path firstHome = home("a");
        List<ServerProcess> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.valueOf((char) ('a' + i));
            Path home = home(id);
            if (i > 0) {
                Files.copy(firstHome.resolve(Home.RELAY_KEY), home.resolve(Home.RELAY_KEY),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
            started.add(startNode(id, home));
        }
        return started;
    }

    /**
     * Starts one node. A node whose first connection to Redis misses its deadline exits (the operator's service
     * manager starts it again); on a machine loaded by other builds a JVM's first connection can, so this does
     * what the service manager would, at most twice more.
     */
    private ServerProcess startNode(String id, Path home) throws Exception {
        for (int attempt = 1; ; attempt++) {
            ServerProcess node = ServerProcess.launch("node " + id, home, nodeArgs(id));
            nodes.add(node);
            try {
                node.awaitListening();
                return node;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !node.output().contains("cannot be reached")) {
                    throw e;
                }
            }
        }
    }

    private Path home(String nodeId) throws Exception {
        return Files.createDirectories(dir.resolve("home-" + nodeId));
    }

    /** The {@code server} arguments of a node: the cluster, its id, a short expiry, and room for a load run. */
    private String[] nodeArgs(String nodeId) {
        return new String[] {"--cluster", redis.uri(), "--node-id", nodeId,
            "--presence-expiry", EXPIRY.toMillis() + "ms", "--route-timeout", "2s", "--rate", "500", "--burst",
            "500"};
    }

    private static ProtocolStore newStore() {
        return new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
    }

    /** Connects a client to the first of {@code to} (and the others, in turn, if it is down). */
    private ChatClient connect(String nickname, ProtocolStore store, Screen screen, ServerProcess... to)
            throws Exception {
        ChatClient c = create(nickname, store, screen, to);
        c.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        return c;
    }

    /** A client of the test's (closed after it), trying the nodes in order, not yet connected. */
    private ChatClient create(String nickname, ProtocolStore store, Screen screen, ServerProcess... to) {
        ChatClientOptions.Builder options = ChatClientOptions.builder("127.0.0.1", to[0].port()).nickname(nickname)
                .protocolStore(store).trustStore(trust).pacing(200, 100);
        for (int i = 1; i < to.length; i++) {
            options.alsoTry("127.0.0.1", to[i].port());
        }
        ChatClient c = ChatClient.create(options.build(), screen);
        clients.add(c);
        return c;
    }

    /**
     * Connects as {@link #connect} does, but keeps trying while the node refuses the connection as a
     * temporary failure: a node whose own store connection to Redis has not yet come back refuses new
     * clients with "try again later" (INTERNAL_ERROR), and that is the documented behaviour, not a fault.
     * Any other failure, or a refusal that lasts past the test's wait, fails the test; the attempts are paced by
     * {@link #await}.
     */
    private ChatClient connectOnceAdmitted(String nickname, ProtocolStore store, Screen screen, ServerProcess to)
            throws Exception {
        List<ChatClient> admitted = new ArrayList<>(1);
        await(nickname + " admitted by the node", Duration.ofSeconds(WAIT_SECONDS), () -> {
            ChatClient c = create(nickname, store, screen, to);
            try {
                c.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
                admitted.add(c);
                return true;
            } catch (ExecutionException refused) {
                assertTrue(refused.getCause() instanceof MessageRejectedException m
                        && m.reason() == MessageRejectedException.Reason.RELAY_ERROR,
                        "only the node's temporary refusal is retried: " + refused.getCause());
                c.close();
                clients.remove(c);
                return false;
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(nickname + "'s connect did not finish", e);
            }
        });
        return admitted.get(0);
    }

    /** Everyone online, as a client's {@code /list} shows them: every page, by nickname. */
    private static Set<String> listed(ChatClient c) throws Exception {
        Set<String> names = new TreeSet<>();
        String after = "";
        for (int pages = 0; pages < 100; pages++) {
            ClientPage page = c.listPage(after, 256).get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (ClientPage.Entry e : page.entries()) {
                names.add(e.client().nickname());
            }
            if (!page.more() || page.nextCursor().isEmpty()) {
                break;
            }
            after = page.nextCursor().get();
        }
        return names;
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static Set<String> listedOrEmpty(ChatClient c) {
        try {
            return listed(c);
        } catch (Exception e) {
            return Set.of();
        }
    }

    private ChatMessage expect(Screen screen, String text) throws InterruptedException {
        ChatMessage m = screen.next(text);
        assertTrue(m != null, "never shown: " + text + "; shown instead " + screen.texts() + "\n" + nodeOutput());
        return m;
    }

    private String nodeOutput() {
        StringBuilder sb = new StringBuilder();
        for (ServerProcess n : nodes) {
            String out = n.output();
            sb.append("--- ").append(n.name()).append('\n')
                    .append(out, Math.max(0, out.length() - 3000), out.length());
        }
        return sb.toString();
    }

    @Test
    void threeNodesChatPubliclyAndPrivatelyAndListEveryone() throws Exception {
        List<ServerProcess> n = cluster(3, false);
        Screen aliceScreen = new Screen();
        Screen bobScreen = new Screen();
        Screen carolScreen = new Screen();
        ChatClient alice = connect("alice", newStore(), aliceScreen, n.get(0));
        ChatClient bob = connect("bob", newStore(), bobScreen, n.get(1));
        ChatClient carol = connect("carol", newStore(), carolScreen, n.get(2));

        Set<String> everyone = Set.of("alice", "bob", "carol");
        for (ChatClient c : List.of(alice, bob, carol)) {
            await("every node lists everyone", Duration.ofSeconds(WAIT_SECONDS), () -> listedOrEmpty(c)
                    .equals(everyone));
        }
        Set<String> members = new TreeSet<>();
        for (OnlineClient m : alice.list().get(WAIT_SECONDS, TimeUnit.SECONDS)) {
            members.add(m.nickname());
        }
        assertEquals(everyone, members, "the room counts every node's members");

        assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("carol", "alice to carol, a to c")
                .get(WAIT_SECONDS, TimeUnit.SECONDS));
        ChatMessage toCarol = expect(carolScreen, "alice to carol, a to c");
        assertTrue(toCarol.isPrivate() && toCarol.senderNickname().equals("alice") && !toCarol.wasStored());
        assertEquals(DeliveryStatus.DELIVERED, carol.sendPrivate("bob", "carol to bob, c to b")
                .get(WAIT_SECONDS, TimeUnit.SECONDS));
        expect(bobScreen, "carol to bob, c to b");
        assertEquals(DeliveryStatus.DELIVERED, bob.sendPrivate("alice", "bob to alice, b to a")
                .get(WAIT_SECONDS, TimeUnit.SECONDS));
        expect(aliceScreen, "bob to alice, b to a");

        assertEquals(DeliveryStatus.DELIVERED, alice.sendPublic("hello everyone, from a")
                .get(WAIT_SECONDS, TimeUnit.SECONDS));
        for (Screen s : List.of(bobScreen, carolScreen)) {
            ChatMessage m = expect(s, "hello everyone, from a");
            assertFalse(m.isPrivate());
        }
        assertEquals(DeliveryStatus.DELIVERED, carol.sendPublic("and from c").get(WAIT_SECONDS, TimeUnit.SECONDS));
        expect(aliceScreen, "and from c");
        expect(bobScreen, "and from c");
        for (Screen s : List.of(aliceScreen, bobScreen, carolScreen)) {
            assertTrue(s.undecryptable.isEmpty(), s.undecryptable::toString);
            assertTrue(s.duplicates().isEmpty(), "shown twice: " + s.duplicates());
        }

        // carol leaves: the others hear of it and stop listing her.
        carol.close();
        await("carol's departure reached node a", Duration.ofSeconds(WAIT_SECONDS),
                () -> aliceScreen.left.contains("carol"));
        await("a and b list carol no more", Duration.ofSeconds(WAIT_SECONDS), () ->
                listedOrEmpty(alice).equals(Set.of("alice", "bob"))
                        && listedOrEmpty(bob).equals(Set.of("alice", "bob")));
    }

    @Test
    void twoNodesChatListAndAMessageStoredThroughOneIsDeliveredThroughTheOther() throws Exception {
        List<ServerProcess> n = cluster(2, true);
        ProtocolStore bobStore = newStore();
        ChatClient bobFirst = connect("bob", bobStore, new Screen(), n.get(1));
        Screen aliceScreen = new Screen();
        ChatClient alice = connect("alice", newStore(), aliceScreen, n.get(0));
        await("both nodes list both", Duration.ofSeconds(WAIT_SECONDS), () ->
                listedOrEmpty(alice).equals(Set.of("alice", "bob")) && listedOrEmpty(bobFirst).equals(
                        Set.of("alice", "bob")));
        assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("bob", "live, a to b")
                .get(WAIT_SECONDS, TimeUnit.SECONDS));
        bobFirst.close();
        await("bob's departure reached node a", Duration.ofSeconds(WAIT_SECONDS),
                () -> listedOrEmpty(alice).equals(Set.of("alice")));

        // bob is offline: node a stores alice's messages in the shared store.
        for (int i = 1; i <= 3; i++) {
            assertEquals(DeliveryStatus.STORED, alice.sendPrivate("bob", "stored " + i)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        // bob comes back through node b: node b delivers them, in order.
        Screen bobScreen = new Screen();
        connect("bob", bobStore, bobScreen, n.get(1));
        for (int i = 1; i <= 3; i++) {
            ChatMessage m = expect(bobScreen, "stored " + i);
            assertTrue(m.wasStored() && m.senderNickname().equals("alice"), m.toString());
        }
        assertEquals(List.of("stored 1", "stored 2", "stored 3"), bobScreen.texts());
        // And live again, across the nodes.
        assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("bob", "live again")
                .get(WAIT_SECONDS, TimeUnit.SECONDS));
        expect(bobScreen, "live again");
        assertTrue(bobScreen.duplicates().isEmpty() && bobScreen.undecryptable.isEmpty(), bobScreen.texts()
                + " " + bobScreen.undecryptable);
    }

    /**
     * Three nodes; a sender and a recipient on each; every sender sends private messages to every recipient, paced,
     * and node c is killed with SIGKILL a third of the way through. Every message reported delivered or stored is
     * shown to its recipient exactly once (c's recipient reconnects through node a for what was stored for it), no
     * message is shown twice, and once the expiry bound has passed neither surviving node lists c's clients.
     */
    @Test
    void aNodeKilledMidLoadLosesNothingItReportedAndItsClientsLeaveTheListsByTheBound() throws Exception {
        List<ServerProcess> n = cluster(3, true);
        String[] names = {"a", "b", "c"};
        Map<String, ProtocolStore> stores = new HashMap<>();
        Map<String, Screen> screens = new ConcurrentHashMap<>();
        Map<String, ChatClient> senders = new HashMap<>();
        Map<String, ChatClient> recipients = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            String r = "r" + names[i];
            stores.put(r, newStore());
            screens.put(r, new Screen());
            recipients.put(r, connect(r, stores.get(r), screens.get(r), n.get(i)));
            senders.put("s" + names[i], connect("s" + names[i], newStore(), new Screen(), n.get(i)));
        }
        Set<String> all = new TreeSet<>(senders.keySet());
        all.addAll(recipients.keySet());
        await("every node lists all six", Duration.ofSeconds(WAIT_SECONDS), () -> listedOrEmpty(senders.get("sa"))
                .equals(all) && listedOrEmpty(senders.get("sb")).equals(all));

        int perPair = 30;
        int total = perPair * 9;
        AtomicInteger answered = new AtomicInteger();
        Map<String, CompletableFuture<DeliveryStatus>> sent = new ConcurrentHashMap<>();
        List<Thread> loops = new ArrayList<>();
        for (Map.Entry<String, ChatClient> s : senders.entrySet()) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < perPair; i++) {
                    for (String r : recipients.keySet()) {
                        String text = s.getKey() + ">" + r + "#" + i;
                        CompletableFuture<DeliveryStatus> f;
                        try {
                            f = s.getValue().sendPrivate(r, text).toCompletableFuture();
                        } catch (RuntimeException e) {
                            f = CompletableFuture.failedFuture(e);
                        }
                        f.whenComplete((st, e) -> answered.incrementAndGet());
                        sent.put(text, f);
                    }
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + s.getKey());
            t.start();
            loops.add(t);
        }
        await("a third of the run answered", Duration.ofSeconds(60), () -> answered.get() >= total / 3);
        n.get(2).kill();
        long killedAt = System.nanoTime();
        int answeredBeforeKill = answered.get();
        for (Thread t : loops) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "the load run is bounded");
        }
        Map<String, DeliveryStatus> reported = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<DeliveryStatus>> e : sent.entrySet()) {
            try {
                reported.put(e.getKey(), e.getValue().get(WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException failed) {
                // not delivered, not stored, or the sender's node died: the sender was told, nothing is owed
            }
        }
        assertEquals(total, sent.size());
        Map<DeliveryStatus, Long> byStatus = reported.values().stream().collect(Collectors.groupingBy(st -> st,
                Collectors.counting()));
        System.out.println("ClusterNodesTest load run: " + total + " sent, " + answeredBeforeKill
                + " answered when node c was killed, then reported " + byStatus + ", " + (total - reported.size())
                + " not delivered or lost with node c");
        assertTrue(answeredBeforeKill < total - 60, "the kill came in the middle of the run");
        assertTrue(reported.size() > total / 3, "most were reported: " + reported.size() + " of " + total);
        assertTrue(byStatus.getOrDefault(DeliveryStatus.STORED, 0L) > 0, "messages to rc after the kill were stored: "
                + byStatus);

        // The bound: from then on, neither surviving node lists node c's clients.
        long boundAt = killedAt + PRESENCE_BOUND.toNanos();
        long wait = boundAt - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
        }
        Set<String> survivors = Set.of("ra", "rb", "sa", "sb");
        for (int check = 0; check < 10; check++) {
            assertEquals(survivors, listed(senders.get("sa")), "node a, " + check * 200 + " ms after the bound");
            assertEquals(survivors, listed(senders.get("sb")), "node b, " + check * 200 + " ms after the bound");
            Thread.sleep(200);
        }

        // rc comes back, through node c (dead) then node a: it is given what was stored for it.
        Screen rcAgain = new Screen();
        ChatClient rc = connect("rc", stores.get("rc"), rcAgain, n.get(2), n.get(0));
        // A marker from each surviving sender to each recipient, after everything else: once the markers are
        // shown, everything before them was.
        for (String s : List.of("sa", "sb")) {
            for (String r : List.of("ra", "rb", "rc")) {
                assertEquals(DeliveryStatus.DELIVERED, senders.get(s).sendPrivate(r, "marker " + s + ">" + r)
                        .get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
        }
        for (String r : List.of("ra", "rb", "rc")) {
            Screen screen = r.equals("rc") ? rcAgain : screens.get(r);
            for (String s : List.of("sa", "sb")) {
                expect(screen, "marker " + s + ">" + r);
            }
        }
        assertTrue(rc.isConnected());

        for (String r : List.of("ra", "rb", "rc")) {
            List<String> shown = new ArrayList<>(screens.get(r).texts());
            if (r.equals("rc")) {
                shown.addAll(rcAgain.texts());
            }
            Map<String, Long> counts = shown.stream().collect(Collectors.groupingBy(t -> t, Collectors.counting()));
            List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList();
            assertTrue(twice.isEmpty(), r + " was shown these more than once: " + twice);
            List<String> missing = reported.keySet().stream().filter(t -> recipientOf(t).equals(r)
                    && !counts.containsKey(t)).sorted().toList();
            assertTrue(missing.isEmpty(), r + " never saw these, reported " + missing.stream().map(t -> t + " "
                    + reported.get(t)).toList() + "\n" + nodeOutput());
            assertTrue(screens.get(r).undecryptable.isEmpty() && rcAgain.undecryptable.isEmpty(),
                    screens.get(r).undecryptable + " " + rcAgain.undecryptable);
        }
    }

    /**
     * Redis (append-only, {@code appendfsync always}) is killed and restarted under two nodes: while it is down a
     * message between the nodes is answered, not left hanging, and not reported delivered; once it is back the nodes
     * reconnect by themselves and carry on: the same clients chat across them, and a new client is admitted and
     * listed everywhere.
     */
    @Test
    void nodesReconnectToARestartedRedisByThemselvesAndCarryOn() throws Exception {
        List<ServerProcess> n = cluster(2, true);
        Screen bobScreen = new Screen();
        ChatClient alice = connect("alice", newStore(), new Screen(), n.get(0));
        ChatClient bob = connect("bob", newStore(), bobScreen, n.get(1));
        await("both nodes list both", Duration.ofSeconds(WAIT_SECONDS), () ->
                listedOrEmpty(alice).equals(Set.of("alice", "bob")));
        assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("bob", "before").get(WAIT_SECONDS,
                TimeUnit.SECONDS));
        expect(bobScreen, "before");

        redis.kill();
        CompletableFuture<DeliveryStatus> during = alice.sendPrivate("bob", "while Redis is down")
                .toCompletableFuture();
        try {
            DeliveryStatus status = during.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("reported " + status + " while Redis was down");
        } catch (ExecutionException expected) {
            assertTrue(expected.getCause() instanceof ChatClientException, expected.toString());
        }
        assertTrue(alice.isConnected() && bob.isConnected(), "the nodes keep their connections");

        redis.restart();
        await("alice's message crosses the nodes again", Duration.ofSeconds(WAIT_SECONDS), () -> {
            try {
                return alice.sendPrivate("bob", "after").get(WAIT_SECONDS, TimeUnit.SECONDS)
                        == DeliveryStatus.DELIVERED;
            } catch (Exception e) {
                return false;
            }
        });
        expect(bobScreen, "after");
        Screen carolScreen = new Screen();
        ChatClient carol = connectOnceAdmitted("carol", newStore(), carolScreen, n.get(1));
        Set<String> everyone = Set.of("alice", "bob", "carol");
        await("both nodes list everyone", Duration.ofSeconds(WAIT_SECONDS), () ->
                listedOrEmpty(alice).equals(everyone) && listedOrEmpty(carol).equals(everyone));
        assertEquals(DeliveryStatus.DELIVERED, alice.sendPrivate("carol", "welcome back").get(WAIT_SECONDS,
                TimeUnit.SECONDS));
        expect(carolScreen, "welcome back");
    }

    /** The recipient of a load run's message: "sa>rb#3" is for rb. */
    private static String recipientOf(String text) {
        return text.substring(text.indexOf('>') + 1, text.indexOf('#'));
    }

    /** What a client shows: its messages, in order, and who it was told left. */
    static final class Screen implements ChatListener {
        private final BlockingQueue<ChatMessage> unread = new LinkedBlockingQueue<>();
        private final List<ChatMessage> shown = new CopyOnWriteArrayList<>();
        final List<UndecryptableMessageException> undecryptable = new CopyOnWriteArrayList<>();
        final Set<String> left = ConcurrentHashMap.newKeySet();

        @Override
        public void onMessage(ChatMessage message) {
            shown.add(message);
            unread.add(message);
        }

        @Override
        public void onUndecryptable(UndecryptableMessageException error) {
            undecryptable.add(error);
        }

        @Override
        public void onLeave(OnlineClient client, LeaveReason reason) {
            left.add(client.nickname());
        }

        @Override
        public void onDisconnected(ChatClientException cause) {
            // a killed node: the test reconnects where it means to
        }

        /** Waits for the message with this text, skipping others, up to the test's wait. */
        ChatMessage next(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            for (long left = WAIT_SECONDS * 1_000_000_000L; left > 0; left = deadline - System.nanoTime()) {
                ChatMessage m = unread.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    return null;
                }
                if (m.text().equals(text)) {
                    return m;
                }
            }
            return null;
        }

        List<String> texts() {
            return shown.stream().map(ChatMessage::text).toList();
        }

        List<String> duplicates() {
            Set<String> seen = new TreeSet<>();
            return texts().stream().filter(t -> !seen.add(t)).toList();
        }
    }
}
