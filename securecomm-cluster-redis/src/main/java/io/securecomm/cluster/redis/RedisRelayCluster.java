package io.securecomm.cluster.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.securecomm.cluster.redis.internal.ClusterCodec;
import io.securecomm.cluster.redis.internal.ClusterKeys;
import io.securecomm.cluster.redis.internal.ClusterScripts;
import io.securecomm.cluster.redis.internal.Keys;
import io.securecomm.cluster.redis.internal.LettuceClients;
import io.securecomm.cluster.redis.internal.PresenceView;
import io.securecomm.cluster.redis.internal.RedisErrors;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One relay node's membership of a cluster on Redis 7 ({@link RelayCluster}, docs/CLUSTER.md): presence with
 * expiry and heartbeats, nickname claims and the room's count in Lua, client ids from blocks reserved with
 * {@code INCRBY}, and one ordered inbox per node (a Redis Stream) that carries the routes to it, the answers to its
 * own routes, the other nodes' presence changes and stored-message notices.
 *
 * <pre>{@code
 * RedisRelayCluster cluster = RedisRelayCluster.open(RedisClusterOptions.builder("redis://127.0.0.1:6379")
 *         .nodeId("relay-1").build());
 * RelayServer relay = RelayServer.create(RelayOptions.builder().identity(key).store(store).cluster(cluster)
 *         .build()).start();
 * }</pre>
 *
 * <p><b>Order.</b> Everything this node sends another goes through one connection to that node's inbox, in call
 * order; the other node reads its inbox on one thread and hands the entries to its relay in that order. A client's
 * "online" is appended to every other node's inbox before its join completes, so it precedes anything routed from
 * that client; its "offline" after its last route.
 *
 * <p><b>Reads never wait.</b> {@link #findById}, {@link #findByNickname}, {@link #page}, {@link #onlineElsewhere()}
 * and {@link #roomMembersElsewhere()} answer from a view of the other nodes' clients, kept current from the inbox and
 * reloaded from a snapshot of the directory whenever the node (re)connects.
 *
 * <p><b>Failures.</b> Every command has a deadline ({@link RedisClusterOptions#commandTimeout()}) and every route
 * one more ({@link RedisClusterOptions#routeTimeout()}): a Redis that is down or stalled turns joins into
 * {@link ClusterUnavailableException} and routes into {@link RouteOutcome#NOT_DELIVERED} within them, never a hang.
 * The node reconnects by itself; once Redis answers again it publishes its clients anew
 * ({@link ClusterNode#localClients()}), reloads its view and reports healthy again.
 *
 * <p>Thread-safe. Two threads of its own: one reads the inbox (and republishes after an outage), one heartbeats,
 * expires dead nodes and ends routes at their deadline.
 */
public final class RedisRelayCluster implements RelayCluster {
    private static final System.Logger LOG = System.getLogger("io.securecomm.cluster.redis");

    /** The most entries one read of the inbox takes. */
    private static final int READ_BATCH = 256;

    private final RedisClusterOptions options;
    private final String nodeId;
    private final String where;
    private final ClusterKeys keys;
    private final byte[][] directory;
    private final byte[] inbox;
    private final LettuceClients.Client lettuce;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final StatefulRedisConnection<byte[], byte[]> readerConnection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService deadlines;
    private final PresenceView view;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong routeSeq = new AtomicLong();
    /** Guards {@link #joinsInFlight}; notified when it falls to zero. */
    private final Object joinsLock = new Object();
    /** Joins sent to Redis and not yet answered: a resync waits for them. Guarded by {@link #joinsLock}. */
    private int joinsInFlight;
    private final long blockMillis;
    private final long waitMillis;
    private final long inboxTtlMillis;

    private final Object idLock = new Object();
    private long nextId;
    private long lastId;
    private long[] spareBlock;
    private boolean fetchingIds;

    private final Object attachLock = new Object();
    private volatile ClusterNode node;
    private volatile Thread reader;
    private volatile ClusterHealth health = ClusterHealth.OK;
    private volatile boolean needsResync = true;
    private volatile boolean closed;
    private boolean shutDown;
    private String position = "0-0";

    private RedisRelayCluster(RedisClusterOptions options, String where, LettuceClients.Client lettuce,
            StatefulRedisConnection<byte[], byte[]> connection, StatefulRedisConnection<byte[], byte[]> reader) {
        this.options = options;
        this.nodeId = options.nodeId();
        this.where = where;
        this.keys = new ClusterKeys(options.keyPrefix());
        this.directory = keys.directory(nodeId);
        this.inbox = keys.inbox(nodeId);
        this.lettuce = lettuce;
        this.connection = connection;
        this.readerConnection = reader;
        this.redis = connection.async();
        this.view = new PresenceView(nodeId);
        this.blockMillis = Math.max(50, Math.min(1000, options.commandTimeout().toMillis() / 2));
        this.waitMillis = options.commandTimeout().toMillis() * 2;
        this.inboxTtlMillis = Math.max(options.presenceExpiry().toMillis() * 3, 30_000);
        this.timer = daemonScheduler("securecomm-redis-cluster-" + nodeId);
        this.deadlines = daemonScheduler("securecomm-redis-cluster-deadlines-" + nodeId);
    }

    /**
     * Connects to Redis as one node of the cluster and reserves its first block of client ids. The node is listed
     * by the others once its relay {@linkplain #attach attaches}.
     *
     * @param options where Redis is, the node id and the timings
     * @return the node's membership, to hand to {@code RelayOptions.Builder.cluster} and to close after the relay
     * @throws ClusterUnavailableException if Redis cannot be reached or refuses the first commands
     */
    public static RedisRelayCluster open(RedisClusterOptions options) throws ClusterUnavailableException {
        Objects.requireNonNull(options, "options");
        RedisURI uri = RedisURI.create(options.redisUri());
        String where = LettuceClients.where(uri);
        LettuceClients.Client lettuce = LettuceClients.create(uri, options.commandTimeout(), options.connectTimeout(),
                options.maxReconnectDelay());
        StatefulRedisConnection<byte[], byte[]> connection;
        StatefulRedisConnection<byte[], byte[]> reader;
        try {
            connection = lettuce.client().connect(ByteArrayCodec.INSTANCE);
            reader = lettuce.client().connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            lettuce.shutDown();
            throw new ClusterUnavailableException(where + " cannot be reached (" + firstLine(e) + "); check that"
                    + " Redis runs and is reachable", e);
        }
        RedisRelayCluster cluster = new RedisRelayCluster(options, where, lettuce, connection, reader);
        try {
            long[] block = cluster.await(cluster.reserveIds());
            synchronized (cluster.idLock) {
                cluster.nextId = block[0];
                cluster.lastId = block[1];
            }
        } catch (ClusterUnavailableException e) {
            cluster.close();
            throw e;
        }
        long beat = Math.max(50, options.presenceExpiry().toMillis() / 4);
        cluster.timer.scheduleWithFixedDelay(cluster::tick, beat, beat, TimeUnit.MILLISECONDS);
        return cluster;
    }

    /**
     * Where this node's Redis is, for messages: "Redis at host:port" (never a password).
     *
     * @return the description
     */
    public String where() {
        return where;
    }

    /**
     * Checks that this node has the cluster's identity key: the first node to call it records the relay's public
     * key in Redis, and every later node must present the same one, since a client pins one key whichever node it
     * reaches. Call it before the relay starts.
     *
     * @param identityPublicKey the relay's identity public key, as this node loaded it
     * @throws IllegalStateException if another node recorded a different key (this node loaded another
     *     {@code relay.key})
     * @throws ClusterUnavailableException if Redis cannot be reached
     */
    public void requireIdentity(byte[] identityPublicKey) throws ClusterUnavailableException {
        Objects.requireNonNull(identityPublicKey, "identityPublicKey");
        byte[] key = keys.relayKey();
        await(redis.setnx(key, identityPublicKey.clone()));
        byte[] recorded = await(redis.get(key));
        if (recorded == null || !MessageDigest.isEqual(recorded, identityPublicKey)) {
            throw new IllegalStateException("node " + nodeId + " loaded a relay key different from the one the"
                    + " cluster's first node recorded in " + where + ": copy the same relay.key to every node (or"
                    + " delete the key " + new String(key, StandardCharsets.UTF_8) + " in Redis to start a new"
                    + " relay identity)");
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void attach(ClusterNode relay) {
        Objects.requireNonNull(relay, "relay");
        synchronized (attachLock) {
            if (node != null) {
                throw new IllegalStateException("a relay is already attached to node " + nodeId);
            }
            if (closed) {
                throw new IllegalStateException("the cluster membership of node " + nodeId + " is closed");
            }
            node = relay;
            // Published before the relay accepts anyone, so that its first clients can join at once; if Redis
            // does not answer now, the inbox reader tries again.
            try {
                resync();
            } catch (ClusterUnavailableException | RuntimeException e) {
                noteFailure(e);
            }
            Thread t = new Thread(this::readLoop, "securecomm-redis-cluster-inbox-" + nodeId);
            t.setDaemon(true);
            reader = t;
            t.start();
        }
    }

    @Override
    public int nextClientId() throws ClusterUnavailableException {
        synchronized (idLock) {
            if (nextId > lastId && spareBlock != null) {
                nextId = spareBlock[0];
                lastId = spareBlock[1];
                spareBlock = null;
            }
            if (nextId > lastId) {
                topUpIds();
                throw new ClusterUnavailableException("no client id left in reserve and " + where + " did not"
                        + " answer for more; try again later");
            }
            int id = (int) nextId++;
            if (lastId - nextId < options.idBlockSize() / 2) {
                topUpIds();
            }
            return id;
        }
    }

    @Override
    public CompletionStage<JoinResult> join(ClientPresence client, int roomLimit) {
        Objects.requireNonNull(client, "client");
        if (closed || needsResync || !health.reachable()) {
            return CompletableFuture.failedFuture(unavailable("joining " + client.nickname()));
        }
        synchronized (joinsLock) {
            joinsInFlight++;
        }
        CompletableFuture<JoinResult> result = eval(ClusterScripts.JOIN, directory, nodeId,
                Integer.toString(client.clientId()), Nickname.skeleton(client.nickname()),
                ClusterCodec.presence(client), client.inRoom() ? "1" : "0", Integer.toString(roomLimit))
                .thenCompose(reply -> switch (text(reply.get(0))) {
                    case "T" -> CompletableFuture.completedFuture(taken(reply.get(1)));
                    case "J" -> {
                        boolean inRoom = "1".equals(text(reply.get(1)));
                        String epoch = text(reply.get(2));
                        ClientPresence joined = client.withRoom(inRoom);
                        yield postToOthers(texts(reply, 3), online(joined, epoch))
                                .thenApply(done -> (JoinResult) new JoinResult.Joined(inRoom));
                    }
                    default -> {
                        // This node's presence expired (it lost Redis too long): publish anew first.
                        needsResync = true;
                        yield CompletableFuture.<JoinResult>failedFuture(unavailable("joining "
                                + client.nickname()));
                    }
                })
                .toCompletableFuture();
        // The relay stops waiting at routeTimeout and refuses the client; this answers a little before it, and a
        // join that Redis confirms only after that is undone, so no refused client stays listed elsewhere.
        CompletableFuture<JoinResult> answer = new CompletableFuture<>();
        long deadlineMillis = Math.max(1, options.routeTimeout().toMillis() * 9 / 10);
        ScheduledFuture<?> deadline;
        try {
            deadline = deadlines.schedule(() -> answer.completeExceptionally(new ClusterUnavailableException(where
                    + " did not confirm the join of " + client.nickname() + " within " + deadlineMillis + " ms; try"
                    + " again later")), deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            deadline = null;
        }
        ScheduledFuture<?> timer = deadline;
        result.whenComplete((r, e) -> {
            synchronized (joinsLock) {
                if (--joinsInFlight == 0) {
                    joinsLock.notifyAll();
                }
            }
            if (timer != null) {
                timer.cancel(false);
            }
            if (e != null) {
                answer.completeExceptionally(failure(e, "joining " + client.nickname()));
            } else if (!answer.complete(r) && r instanceof JoinResult.Joined j) {
                leave(client.withRoom(j.inRoom()), LeaveReason.DISCONNECTED);
            }
        });
        return answer;
    }

    private JoinResult taken(Object holder) {
        byte[] form = bytes(holder);
        if (form.length == 0) {
            return new JoinResult.Taken("another client");
        }
        try {
            return new JoinResult.Taken(ClusterCodec.presence(form, false).nickname());
        } catch (IllegalArgumentException e) {
            return new JoinResult.Taken("another client");
        }
    }

    @Override
    public void leave(ClientPresence client, LeaveReason reason) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(reason, "reason");
        if (closed) {
            return;
        }
        if (!health.reachable()) {
            needsResync = true; // it goes when this node publishes its clients anew
            return;
        }
        eval(ClusterScripts.LEAVE, directory, nodeId, Integer.toString(client.clientId()))
                .thenCompose(reply -> "1".equals(text(reply.get(0)))
                        ? postToOthers(texts(reply, 2), offline(client.clientId(), text(reply.get(1)), reason))
                        : CompletableFuture.completedFuture(null))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        noteFailure(e);
                    }
                });
    }

    @Override
    public Optional<ClientPresence> findById(int clientId) {
        return view.byId(clientId);
    }

    @Override
    public Optional<ClientPresence> findByNickname(String canonicalNickname) {
        return view.byNickname(canonicalNickname);
    }

    @Override
    public List<ClientPresence> page(String afterCanonical, int maxEntries) {
        return view.page(afterCanonical, maxEntries);
    }

    @Override
    public int onlineElsewhere() {
        return view.size();
    }

    @Override
    public List<ClientPresence> roomMembersElsewhere() {
        return view.roomMembers();
    }

    @Override
    public CompletionStage<List<RouteOutcome>> route(String toNode, RoutedMessage message) {
        Objects.requireNonNull(toNode, "toNode");
        int n = message.recipientIds().length;
        if (closed || !health.reachable()) {
            return CompletableFuture.completedFuture(notDelivered(n));
        }
        long seq = routeSeq.incrementAndGet();
        CompletableFuture<List<RouteOutcome>> answer = new CompletableFuture<>();
        pending.put(seq, new Pending(answer, n));
        ScheduledFuture<?> deadline;
        try {
            deadline = deadlines.schedule(() -> answer.complete(notDelivered(n)),
                    options.routeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(seq);
            return CompletableFuture.completedFuture(notDelivered(n));
        }
        answer.whenComplete((v, e) -> {
            pending.remove(seq);
            deadline.cancel(false);
        });
        post(toNode, entry("k", "R", "n", nodeId, "q", Long.toString(seq)), "m", ClusterCodec.routed(message))
                .whenComplete((id, e) -> {
                    if (e != null) {
                        noteFailure(e);
                        answer.complete(notDelivered(n));
                    }
                });
        return answer;
    }

    @Override
    public void notifyStored(String toNode, String account) {
        Objects.requireNonNull(toNode, "toNode");
        Objects.requireNonNull(account, "account");
        if (closed || !health.reachable()) {
            return;
        }
        post(toNode, entry("k", "S", "a", account), null, null).whenComplete((id, e) -> {
            if (e != null) {
                noteFailure(e);
            }
        });
    }

    @Override
    public ClusterHealth health() {
        return closed ? ClusterHealth.unreachable("the cluster membership of node " + nodeId + " is closed")
                : health;
    }

    @Override
    public Duration presenceExpiry() {
        return options.presenceExpiry();
    }

    @Override
    public Duration routeTimeout() {
        return options.routeTimeout();
    }

    @Override
    public void close() {
        synchronized (attachLock) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            if (closed) { // crashed for a test: only the threads are left to release
                lettuce.shutDown();
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        deadlines.shutdownNow();
        Thread t = reader;
        if (t != null) {
            try {
                t.join(blockMillis + waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Pending p : new ArrayList<>(pending.values())) {
            p.answer().complete(notDelivered(p.recipients()));
        }
        // Leave the cluster at once rather than at expiry: whatever this node still lists goes, announced.
        try {
            reap(nodeId);
            await(redis.del(inbox));
        } catch (ClusterUnavailableException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "node " + nodeId + " left without telling " + where
                    + "; its presence expires instead: " + e);
        }
        connection.close();
        readerConnection.close();
        lettuce.shutDown();
    }

    /**
     * For tests only: the node dies as a {@code SIGKILL} would end it, without leaving the cluster. It stops
     * heartbeating and reading its inbox and drops its connections; its presence stays in Redis until the other nodes
     * expire it. Nothing else works afterwards; {@link #close()} still releases the threads.
     */
    void crashForTesting() {
        synchronized (attachLock) {
            closed = true;
        }
        timer.shutdownNow();
        deadlines.shutdownNow();
        connection.close();
        readerConnection.close();
    }

    @Override
    public String toString() {
        return "RedisRelayCluster[node=" + nodeId + ", " + where + "]";
    }

    // ---------------------------------------------------------------- the inbox

    private void readLoop() {
        RedisCommands<byte[], byte[]> blocking = readerConnection.sync();
        long backoff = 10;
        while (!closed) {
            try {
                if (needsResync) {
                    resync();
                    backoff = 10;
                }
                List<StreamMessage<byte[], byte[]>> batch = blocking.xread(
                        XReadArgs.Builder.block(blockMillis).count(READ_BATCH),
                        XReadArgs.StreamOffset.from(inbox, position));
                if (batch == null || batch.isEmpty()) {
                    continue;
                }
                for (StreamMessage<byte[], byte[]> m : batch) {
                    position = m.getId();
                    handle(m.getBody());
                }
                redis.xtrim(inbox, XTrimArgs.Builder.minId(position).approximateTrimming());
            } catch (ClusterUnavailableException | RuntimeException e) {
                if (closed) {
                    return;
                }
                noteFailure(e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, options.maxReconnectDelay().toMillis());
            }
        }
    }

    private void handle(Map<byte[], byte[]> body) {
        Map<String, byte[]> f = new HashMap<>();
        body.forEach((k, v) -> f.put(new String(k, StandardCharsets.UTF_8), v));
        ClusterNode relay = node;
        try {
            switch (text(f.get("k"))) {
                case "R" -> {
                    RoutedMessage m = ClusterCodec.routed(f.get("m"));
                    String from = text(f.get("n"));
                    String seq = text(f.get("q"));
                    int n = m.recipientIds().length;
                    CompletionStage<List<RouteOutcome>> delivered = deliver(relay, m);
                    delivered.whenComplete((outcomes, e) -> post(from, entry("k", "A", "q", seq), "o",
                            ClusterCodec.outcomes(e == null ? outcomes : notDelivered(n)))
                            .whenComplete((id, failed) -> {
                                if (failed != null) {
                                    noteFailure(failed);
                                }
                            }));
                }
                case "A" -> {
                    Pending answer = pending.get(Long.parseLong(text(f.get("q"))));
                    List<RouteOutcome> outcomes = ClusterCodec.outcomes(f.get("o"));
                    if (answer != null) {
                        answer.answer().complete(outcomes.size() == answer.recipients() ? outcomes
                                : notDelivered(answer.recipients()));
                    }
                }
                case "O" -> {
                    ClientPresence p = ClusterCodec.presence(f.get("p"), "1".equals(text(f.get("r"))));
                    if (view.online(p, Long.parseLong(text(f.get("e")))) && relay != null) {
                        relay.presenceChanged(new PresenceChange.Online(p));
                    }
                }
                case "F" -> {
                    LeaveReason reason = LeaveReason.valueOf(text(f.get("w")));
                    view.offline(Integer.parseInt(text(f.get("c"))), Long.parseLong(text(f.get("e"))))
                            .ifPresent(p -> {
                                if (relay != null) {
                                    relay.presenceChanged(new PresenceChange.Offline(p, reason));
                                }
                            });
                }
                case "S" -> {
                    if (relay != null) {
                        relay.storedMessageArrived(text(f.get("a")));
                    }
                }
                default -> LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " skipped an inbox entry of"
                        + " unknown kind " + text(f.get("k")));
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // Written by a node of another release, or damaged: skipped, never fatal to the reader.
            LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " skipped a malformed inbox entry: " + e);
        } catch (RuntimeException e) {
            // The relay failed on a presence change or a notice: its problem, not the inbox's; read on.
            LOG.log(System.Logger.Level.ERROR, "node " + nodeId + ": the relay failed on an inbox entry", e);
        }
    }

    /** Hands a routed message to the relay; a relay that throws has not written it. */
    private static CompletionStage<List<RouteOutcome>> deliver(ClusterNode relay, RoutedMessage m) {
        int n = m.recipientIds().length;
        if (relay == null) {
            return CompletableFuture.completedFuture(Collections.nCopies(n, RouteOutcome.RECIPIENT_GONE));
        }
        try {
            return relay.deliver(m);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the relay failed to take a routed message", e);
            return CompletableFuture.completedFuture(notDelivered(n));
        }
    }

    /**
     * Publishes this node's clients anew, replacing what the directory held for it, and reloads the view of the
     * others from a snapshot; the inbox is read from just before the snapshot. Runs on the attaching thread first,
     * then on the reader thread only.
     */
    private void resync() throws ClusterUnavailableException {
        needsResync = true;
        // Joins already running finish first (they are refused from now on), so none is lost by the replacement.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (joinsLock) {
            for (long left; joinsInFlight > 0 && (left = until - System.nanoTime()) > 0; ) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(joinsLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterUnavailableException("interrupted while publishing node " + nodeId, e);
                }
            }
        }
        ClusterNode relay = node;
        List<ClientPresence> mine = relay == null ? List.of() : relay.localClients();
        Map<Integer, ClientPresence> byId = new HashMap<>();
        long floor;
        synchronized (idLock) {
            floor = lastId;
        }
        List<byte[]> args = new ArrayList<>();
        args.add(Keys.utf8(nodeId));
        args.add(Keys.utf8(Long.toString(options.presenceExpiry().toMillis())));
        args.add(null); // the id floor, below
        for (ClientPresence c : mine) {
            ClientPresence p = new ClientPresence(c.clientId(), c.nickname(), c.identityKey(), nodeId, c.inRoom());
            byId.put(p.clientId(), p);
            floor = Math.max(floor, p.clientId());
            args.add(Keys.utf8(Integer.toString(p.clientId())));
            args.add(Keys.utf8(Nickname.skeleton(p.nickname())));
            args.add(ClusterCodec.presence(p));
            args.add(Keys.utf8(p.inRoom() ? "1" : "0"));
        }
        args.set(2, Keys.utf8(Long.toString(floor)));
        List<Object> reply = await(evalBytes(ClusterScripts.REPUBLISH, directory, args.toArray(byte[][]::new)));
        String epoch = text(reply.get(0));
        int oldCount = Integer.parseInt(text(reply.get(1)));
        List<String> old = texts(reply.subList(2, 2 + oldCount), 0);
        int liveAt = 2 + oldCount;
        int liveCount = Integer.parseInt(text(reply.get(liveAt)));
        List<String> live = texts(reply.subList(liveAt + 1, liveAt + 1 + liveCount), 0);
        List<String> added = texts(reply, liveAt + 1 + liveCount);
        Set<String> addedSet = new HashSet<>(added);
        List<CompletableFuture<?>> posts = new ArrayList<>();
        for (String c : old) {
            if (!addedSet.contains(c)) {
                posts.add(postToOthers(live, offline(Integer.parseInt(c), epoch, LeaveReason.DISCONNECTED)));
            }
        }
        for (String c : added) {
            ClientPresence p = byId.get(Integer.parseInt(c));
            if (p != null) {
                posts.add(postToOthers(live, online(p, epoch)));
            }
        }
        for (ClientPresence p : mine) {
            if (!addedSet.contains(Integer.toString(p.clientId()))) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + ": " + p.nickname() + " (#" + p.clientId()
                        + ") is connected here, but a client on another node took its nickname while this node"
                        + " could not reach " + where + "; it is not listed elsewhere");
            }
        }
        await(CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)));
        // Read the inbox from its current end: what is older is in the snapshot (presence), or was answered "not
        // delivered" at its deadline already (routes) while this node could not read.
        List<StreamMessage<byte[], byte[]>> newest = await(redis.xrevrange(inbox, Range.create("-", "+"),
                Limit.from(1)));
        String from = newest.isEmpty() ? "0-0" : newest.get(0).getId();
        List<Object> snapshot = await(eval(ClusterScripts.SNAPSHOT, directory));
        int epochCount = Integer.parseInt(text(snapshot.get(0)));
        Map<String, Long> epochs = new HashMap<>();
        for (int i = 0; i < epochCount; i++) {
            epochs.put(text(snapshot.get(1 + 2 * i)), Long.parseLong(text(snapshot.get(2 + 2 * i))));
        }
        List<ClientPresence> everyone = new ArrayList<>();
        for (int i = 1 + 2 * epochCount; i + 1 < snapshot.size(); i += 2) {
            try {
                everyone.add(ClusterCodec.presence(bytes(snapshot.get(i)), "1".equals(text(snapshot.get(i + 1)))));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " skipped a malformed presence: " + e);
            }
        }
        PresenceView.Changes changes = view.replace(everyone, epochs);
        position = from;
        needsResync = false;
        markHealthy();
        if (relay != null) {
            for (ClientPresence p : changes.gone()) {
                relay.presenceChanged(new PresenceChange.Offline(p, LeaveReason.DISCONNECTED));
            }
            for (ClientPresence p : changes.added()) {
                relay.presenceChanged(new PresenceChange.Online(p));
            }
        }
    }

    // ---------------------------------------------------------------- heartbeats, expiry, ids

    private void tick() {
        if (closed) {
            return;
        }
        try {
            List<Object> reply = await(eval(ClusterScripts.HEARTBEAT, directory, nodeId,
                    Long.toString(options.presenceExpiry().toMillis())));
            if (!"1".equals(text(reply.get(0))) && node != null && !needsResync) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + "'s presence had expired in " + where
                        + "; publishing its clients anew");
                needsResync = true;
            }
            reap("");
            topUpIds();
        } catch (ClusterUnavailableException | RuntimeException e) {
            noteFailure(e);
        }
    }

    /** Removes the expired nodes (or one node that leaves) and tells the live ones their clients went. */
    private void reap(String leaving) throws ClusterUnavailableException {
        List<Object> reply = await(eval(ClusterScripts.REAP, directory, keys.nodeClientsPrefix(), leaving));
        int deadCount = Integer.parseInt(text(reply.get(0)));
        if (deadCount == 0) {
            return;
        }
        List<String> dead = texts(reply.subList(1, 1 + deadCount), 0);
        int liveAt = 1 + deadCount;
        int liveCount = Integer.parseInt(text(reply.get(liveAt)));
        List<String> live = texts(reply.subList(liveAt + 1, liveAt + 1 + liveCount), 0);
        List<CompletableFuture<?>> posts = new ArrayList<>();
        int clients = 0;
        for (int i = liveAt + 1 + liveCount; i + 1 < reply.size(); i += 2) {
            String epoch = text(reply.get(i));
            try {
                int id = ClusterCodec.presence(bytes(reply.get(i + 1)), false).clientId();
                clients++;
                for (String to : live) {
                    posts.add(post(to, offline(id, epoch, LeaveReason.DISCONNECTED), null, null));
                }
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " skipped a malformed presence: " + e);
            }
        }
        for (String d : dead) {
            if (!d.equals(nodeId)) {
                posts.add(redis.del(keys.inbox(d)).toCompletableFuture());
            }
        }
        if (leaving.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " expired node(s) " + dead + " (" + clients
                    + " clients) whose heartbeat lapsed");
        }
        await(CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)));
    }

    private CompletableFuture<long[]> reserveIds() {
        int size = options.idBlockSize();
        return eval(ClusterScripts.IDS, directory, Integer.toString(size), Integer.toString(Integer.MAX_VALUE))
                .thenApply(reply -> {
                    long last = Long.parseLong(text(reply.get(0)));
                    return new long[] {last - size + 1, last};
                });
    }

    private void topUpIds() {
        synchronized (idLock) {
            if (fetchingIds || spareBlock != null || closed) {
                return;
            }
            fetchingIds = true;
        }
        reserveIds().whenComplete((block, e) -> {
            synchronized (idLock) {
                fetchingIds = false;
                if (e == null) {
                    spareBlock = block;
                }
            }
            if (e != null) {
                noteFailure(e);
            }
        });
    }

    // ---------------------------------------------------------------- health

    private void noteFailure(Throwable failure) {
        if (closed) {
            return;
        }
        needsResync = true;
        if (health.reachable()) {
            health = ClusterHealth.unreachable(where + " cannot be reached: " + firstLine(RedisErrors.unwrap(
                    failure)));
            LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " lost " + where + " (" + firstLine(
                    RedisErrors.unwrap(failure)) + "); it reconnects by itself");
        }
    }

    private void markHealthy() {
        if (!health.reachable()) {
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " reaches " + where + " again and has published"
                    + " its clients anew");
        }
        health = ClusterHealth.OK;
    }

    private ClusterUnavailableException unavailable(String doing) {
        return new ClusterUnavailableException(where + " cannot be reached (" + health.detail() + ") while "
                + doing + "; try again later");
    }

    private ClusterUnavailableException failure(Throwable e, String doing) {
        Throwable t = RedisErrors.unwrap(e);
        if (t instanceof ClusterUnavailableException c) {
            return c;
        }
        noteFailure(t);
        return new ClusterUnavailableException(where + " failed while " + doing + ": " + firstLine(t), t);
    }

    // ---------------------------------------------------------------- commands

    /** Runs a script by its digest, and by its text once if Redis does not know it (after a restart). */
    private CompletableFuture<List<Object>> eval(ClusterScripts script, byte[][] scriptKeys, Object... args) {
        byte[][] values = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i] instanceof byte[] b ? b : Keys.utf8(String.valueOf(args[i]));
        }
        return evalBytes(script, scriptKeys, values);
    }

    private CompletableFuture<List<Object>> evalBytes(ClusterScripts script, byte[][] scriptKeys,
            byte[][] values) {
        try {
            return redis.<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, scriptKeys, values)
                    .exceptionallyCompose(e -> RedisErrors.isNoScript(e)
                            ? redis.<List<Object>>eval(script.source(), ScriptOutputType.MULTI, scriptKeys, values)
                            : CompletableFuture.failedStage(RedisErrors.unwrap(e)))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Appends an entry to a node's inbox: fields, plus one binary field if {@code name} is not null. A plain
     * {@code XADD} (no script, so nothing can reorder it after a Redis restart emptied the script cache), then a
     * {@code PEXPIRE} on the same connection, so that an inbox nobody reads any more (its node died) expires.
     */
    private CompletableFuture<Object> post(String toNode, List<byte[]> fields, String name, byte[] value) {
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            body.put(fields.get(i), fields.get(i + 1));
        }
        if (name != null) {
            body.put(Keys.utf8(name), value);
        }
        byte[] key = keys.inbox(toNode);
        try {
            CompletableFuture<Object> added = redis.xadd(key, XAddArgs.Builder.maxlen(options.inboxMaxEntries())
                    .approximateTrimming(), body).toCompletableFuture().thenApply(id -> (Object) id);
            redis.pexpire(key, inboxTtlMillis);
            return added;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> postToOthers(List<String> live, List<byte[]> fields) {
        List<CompletableFuture<?>> posts = new ArrayList<>();
        for (String to : live) {
            if (!to.equals(nodeId)) {
                posts.add(post(to, fields, null, null));
            }
        }
        return CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new));
    }

    private List<byte[]> online(ClientPresence p, String epoch) {
        List<byte[]> fields = entry("k", "O", "e", epoch, "r", p.inRoom() ? "1" : "0");
        fields.add(Keys.utf8("p"));
        fields.add(ClusterCodec.presence(p));
        return fields;
    }

    private static List<byte[]> offline(int clientId, String epoch, LeaveReason reason) {
        return entry("k", "F", "e", epoch, "c", Integer.toString(clientId), "w", reason.name());
    }

    private static List<byte[]> entry(String... pairs) {
        List<byte[]> fields = new ArrayList<>(pairs.length + 2);
        for (String s : pairs) {
            fields.add(Keys.utf8(s));
        }
        return fields;
    }

    private <T> T await(CompletionStage<T> stage) throws ClusterUnavailableException {
        try {
            return stage.toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("interrupted while waiting for " + where, e);
        } catch (TimeoutException e) {
            throw new ClusterUnavailableException(where + " did not answer within " + waitMillis + " ms", e);
        } catch (Exception e) {
            Throwable t = RedisErrors.unwrap(e);
            throw new ClusterUnavailableException(where + " failed: " + firstLine(t), t);
        }
    }

    /** A route waiting for its answer. */
    private record Pending(CompletableFuture<List<RouteOutcome>> answer, int recipients) {}

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private static List<RouteOutcome> notDelivered(int n) {
        return Collections.nCopies(n, RouteOutcome.NOT_DELIVERED);
    }

    private static byte[] bytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        return o == null ? new byte[0] : Keys.utf8(o.toString());
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static List<String> texts(List<Object> reply, int from) {
        List<String> out = new ArrayList<>(Math.max(0, reply.size() - from));
        for (int i = from; i < reply.size(); i++) {
            out.add(text(reply.get(i)));
        }
        return out;
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
