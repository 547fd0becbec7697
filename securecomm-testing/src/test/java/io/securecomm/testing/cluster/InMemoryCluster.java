package io.securecomm.testing.cluster;

import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.ClusterHealth;
import io.securecomm.relay.cluster.ClusterNode;
import io.securecomm.relay.cluster.ClusterUnavailableException;
import io.securecomm.relay.cluster.JoinResult;
import io.securecomm.relay.cluster.PresenceChange;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Nickname;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relay cluster in one JVM, for tests only: the backend every node of a test shares, standing in for Redis. It
 * proves that {@link RelayCluster} is complete (two or three {@code RelayServer}s on different loopback ports share
 * presence, the room and routing through it) and lets a test break it on purpose: {@link #outage} (the backend cannot
 * be reached), {@link #crash} (a node dies: it stops heartbeating, and what is routed to it is never answered).
 *
 * <p>Time is the test's: a node's presence expires when the test moves the clock ({@link #advance}) past
 * {@link #presenceExpiry()} since the node's last heartbeat; every node that has not crashed heartbeats at each
 * {@link #advance}. Routes wait for their answer in real time, up to {@link #routeTimeout()} (the relay's own deadline
 * ends a route to a crashed node).
 *
 * <p>Ordering, as {@link RelayCluster} requires: each node has one inbox thread, which delivers what every other node
 * routes to it, its presence changes and its stored-message notices, in the order they were made.
 *
 * <p>Thread-safe: the directory's changes are made under one lock (the backend's atomicity, as a Redis script's);
 * reads use concurrent maps.
 */
public final class InMemoryCluster implements AutoCloseable {
    private final Clock clock;
    private final Duration presenceExpiry;
    private final Duration routeTimeout;
    private final AtomicInteger nextClientId = new AtomicInteger(1);
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    /** Every client online anywhere, by id. */
    private final Map<Integer, ClientPresence> byId = new ConcurrentHashMap<>();
    /** Every client online anywhere, by canonical nickname, sorted. */
    private final ConcurrentSkipListMap<String, ClientPresence> byNickname = new ConcurrentSkipListMap<>();
    /** The nickname reservations, by skeleton. */
    private final Map<String, ClientPresence> bySkeleton = new HashMap<>();
    private final Object lock = new Object();
    private volatile boolean reachable = true;

    /**
     * Creates an empty cluster.
     *
     * @param clock the time of heartbeats and expiry ({@link #advance} moves it, if it is the test's)
     * @param presenceExpiry how long a node's presence outlives its last heartbeat
     * @param routeTimeout the deadline of every route
     */
    public InMemoryCluster(Clock clock, Duration presenceExpiry, Duration routeTimeout) {
        this.clock = clock;
        this.presenceExpiry = presenceExpiry;
        this.routeTimeout = routeTimeout;
    }

    /**
     * A node's membership, for one relay.
     *
     * @param nodeId the node's id, unique in this cluster
     * @return the node's {@link RelayCluster}
     */
    public RelayCluster node(String nodeId) {
        Node node = new Node(nodeId);
        if (nodes.putIfAbsent(nodeId, node) != null) {
            throw new IllegalArgumentException("node " + nodeId + " exists");
        }
        return node;
    }

    /**
     * Cuts every node off the backend, or lets them reach it again; once back, every live node publishes its
     * clients anew ({@link ClusterNode#localClients()}), as a Redis node does after a reconnection.
     *
     * @param down {@code true} for an outage
     */
    public void outage(boolean down) {
        reachable = !down;
        if (!down) {
            for (Node n : nodes.values()) {
                if (!n.crashed) {
                    n.republish();
                }
            }
        }
    }

    /**
     * A node dies: from now on it neither heartbeats, nor reaches the backend, nor answers what is routed to it. Its
     * clients stay listed elsewhere until its presence expires ({@link #advance}).
     *
     * @param nodeId the node
     */
    public void crash(String nodeId) {
        nodes.get(nodeId).crashed = true;
    }

    /**
     * The test's time passes: every node that has not crashed heartbeats, then every node whose last heartbeat is
     * {@link #presenceExpiry()} old or older has its clients removed, and every other node is told they went.
     * The caller moves the clock first.
     */
    public void advance() {
        Instant now = clock.instant();
        for (Node n : nodes.values()) {
            if (!n.crashed && reachable) {
                n.lastHeartbeat = now;
            }
        }
        for (Node n : nodes.values()) {
            if (!n.expired && !now.isBefore(n.lastHeartbeat.plus(presenceExpiry))) {
                n.expired = true;
                for (ClientPresence c : n.clients()) {
                    remove(c, LeaveReason.DISCONNECTED);
                }
            }
        }
    }

    /**
     * How long a node's presence outlives its last heartbeat.
     *
     * @return the expiry
     */
    public Duration presenceExpiry() {
        return presenceExpiry;
    }

    /**
     * The deadline of every route.
     *
     * @return the timeout
     */
    public Duration routeTimeout() {
        return routeTimeout;
    }

    /** Stops every node's inbox thread. */
    @Override
    public void close() {
        for (Node n : nodes.values()) {
            n.close();
        }
    }

    private void remove(ClientPresence c, LeaveReason reason) {
        ClientPresence current;
        synchronized (lock) {
            current = byId.get(c.clientId());
            if (current == null) {
                return;
            }
            byId.remove(current.clientId());
            byNickname.remove(current.canonicalNickname(), current);
            bySkeleton.remove(Nickname.skeleton(current.nickname()), current);
        }
        tellOthers(current.nodeId(), new PresenceChange.Offline(current, reason));
    }

    private void tellOthers(String fromNode, PresenceChange change) {
        for (Node n : nodes.values()) {
            if (!n.id.equals(fromNode) && !n.crashed) {
                n.inbox(() -> n.attached().ifPresent(a -> a.presenceChanged(change)));
            }
        }
    }

    private final class Node implements RelayCluster {
        final String id;
        final ExecutorService inbox;
        volatile ClusterNode attached;
        volatile boolean crashed;
        volatile boolean expired;
        volatile Instant lastHeartbeat;

        Node(String id) {
            this.id = id;
            this.lastHeartbeat = clock.instant();
            this.inbox = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "in-memory-cluster-" + id);
                t.setDaemon(true);
                return t;
            });
        }

        Optional<ClusterNode> attached() {
            return Optional.ofNullable(attached);
        }

        void inbox(Runnable task) {
            if (!inbox.isShutdown()) {
                inbox.execute(task);
            }
        }

        boolean up() {
            return reachable && !crashed;
        }

        List<ClientPresence> clients() {
            List<ClientPresence> mine = new ArrayList<>();
            for (ClientPresence c : byId.values()) {
                if (c.nodeId().equals(id)) {
                    mine.add(c);
                }
            }
            return mine;
        }

        /** After an outage: this node's presence becomes what the relay says it has. */
        void republish() {
            expired = false;
            lastHeartbeat = clock.instant();
            ClusterNode relay = attached;
            if (relay == null) {
                return;
            }
            Map<Integer, ClientPresence> now = new HashMap<>();
            for (ClientPresence c : relay.localClients()) {
                now.put(c.clientId(), c);
            }
            for (ClientPresence c : clients()) {
                if (!now.containsKey(c.clientId())) {
                    remove(c, LeaveReason.DISCONNECTED);
                }
            }
            for (ClientPresence c : now.values()) {
                if (!byId.containsKey(c.clientId())) {
                    synchronized (lock) {
                        byId.put(c.clientId(), c);
                        byNickname.put(c.canonicalNickname(), c);
                        bySkeleton.put(Nickname.skeleton(c.nickname()), c);
                    }
                    tellOthers(id, new PresenceChange.Online(c));
                }
            }
        }

        @Override
        public String nodeId() {
            return id;
        }

        @Override
        public void attach(ClusterNode node) {
            if (attached != null) {
                throw new IllegalStateException("a relay is already attached to node " + id);
            }
            attached = node;
        }

        @Override
        public int nextClientId() throws ClusterUnavailableException {
            if (!up()) {
                throw new ClusterUnavailableException("the in-memory cluster is down");
            }
            return nextClientId.getAndIncrement();
        }

        @Override
        public CompletionStage<JoinResult> join(ClientPresence client, int roomLimit) {
            if (!up()) {
                return CompletableFuture.failedFuture(new ClusterUnavailableException("the in-memory cluster is down"));
            }
            ClientPresence joined;
            synchronized (lock) {
                ClientPresence holder = bySkeleton.get(Nickname.skeleton(client.nickname()));
                if (holder != null && holder.clientId() != client.clientId()) {
                    return CompletableFuture.completedFuture(new JoinResult.Taken(holder.nickname()));
                }
                long members = byId.values().stream().filter(ClientPresence::inRoom).count();
                joined = client.withRoom(client.inRoom() && members < roomLimit);
                byId.put(joined.clientId(), joined);
                byNickname.put(joined.canonicalNickname(), joined);
                bySkeleton.put(Nickname.skeleton(joined.nickname()), joined);
            }
            // Told before the join completes, on the inboxes that also carry this node's routes: a client's
            // arrival reaches every node before anything it sends.
            tellOthers(id, new PresenceChange.Online(joined));
            return CompletableFuture.completedFuture(new JoinResult.Joined(joined.inRoom()));
        }

        @Override
        public void leave(ClientPresence client, LeaveReason reason) {
            if (up()) {
                remove(client, reason);
            } // else: it goes when this node publishes its clients anew, or when its presence expires
        }

        @Override
        public Optional<ClientPresence> findById(int clientId) {
            return Optional.ofNullable(byId.get(clientId)).filter(c -> !c.nodeId().equals(id));
        }

        @Override
        public Optional<ClientPresence> findByNickname(String canonicalNickname) {
            return Optional.ofNullable(byNickname.get(canonicalNickname)).filter(c -> !c.nodeId().equals(id));
        }

        @Override
        public List<ClientPresence> page(String afterCanonical, int maxEntries) {
            List<ClientPresence> out = new ArrayList<>();
            for (ClientPresence c : byNickname.tailMap(afterCanonical, false).values()) {
                if (!c.nodeId().equals(id)) {
                    out.add(c);
                    if (out.size() > maxEntries) {
                        break;
                    }
                }
            }
            return out;
        }

        @Override
        public int onlineElsewhere() {
            return (int) byId.values().stream().filter(c -> !c.nodeId().equals(id)).count();
        }

        @Override
        public List<ClientPresence> roomMembersElsewhere() {
            List<ClientPresence> out = new ArrayList<>();
            for (ClientPresence c : byId.values()) {
                if (c.inRoom() && !c.nodeId().equals(id)) {
                    out.add(c);
                }
            }
            out.sort(Comparator.comparingInt(ClientPresence::clientId));
            return out;
        }

        @Override
        public CompletionStage<List<RouteOutcome>> route(String nodeId, RoutedMessage message) {
            if (!up()) {
                return CompletableFuture.failedFuture(new ClusterUnavailableException("the in-memory cluster is down"));
            }
            Node to = nodes.get(nodeId);
            CompletableFuture<List<RouteOutcome>> answer = new CompletableFuture<>();
            if (to == null) {
                return CompletableFuture.completedFuture(
                        Collections.nCopies(message.recipientIds().length, RouteOutcome.RECIPIENT_GONE));
            }
            if (to.crashed) {
                return answer; // published to no one: never answered (the relay's deadline ends it)
            }
            to.inbox(() -> to.attached().ifPresentOrElse(
                    a -> a.deliver(message).whenComplete((outcomes, error) -> answer.complete(error == null
                            ? outcomes : Collections.nCopies(message.recipientIds().length,
                                    RouteOutcome.NOT_DELIVERED))),
                    () -> answer.complete(Collections.nCopies(message.recipientIds().length,
                            RouteOutcome.RECIPIENT_GONE))));
            return answer;
        }

        @Override
        public void notifyStored(String nodeId, String account) {
            Node to = nodes.get(nodeId);
            if (up() && to != null && !to.crashed) {
                to.inbox(() -> to.attached().ifPresent(a -> a.storedMessageArrived(account)));
            }
        }

        @Override
        public ClusterHealth health() {
            return up() ? ClusterHealth.OK : ClusterHealth.unreachable("the in-memory cluster is down");
        }

        @Override
        public Duration presenceExpiry() {
            return presenceExpiry;
        }

        @Override
        public Duration routeTimeout() {
            return routeTimeout;
        }

        @Override
        public void close() {
            inbox.shutdown();
            try {
                inbox.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
