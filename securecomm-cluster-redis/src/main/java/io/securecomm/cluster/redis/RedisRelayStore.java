package io.securecomm.cluster.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.securecomm.cluster.redis.internal.Keys;
import io.securecomm.cluster.redis.internal.LettuceClients;
import io.securecomm.cluster.redis.internal.RedisErrors;
import io.securecomm.cluster.redis.internal.Scripts;
import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.AccountStore;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.MessageQueueStore;
import io.securecomm.relay.store.PreKeyCounts;
import io.securecomm.relay.store.PreKeyHandout;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.PreKeyRecord;
import io.securecomm.relay.store.PublishedPreKeyStore;
import io.securecomm.relay.store.QueueTotals;
import io.securecomm.relay.store.QueueUsage;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.Release;
import io.securecomm.relay.store.StoreArguments;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreHealth;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoreMeter;
import io.securecomm.relay.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The relay's store on Redis 7, for a relay of several nodes that share one Redis (docs/CLUSTER.md): accounts,
 * published pre-keys and queued messages, in keys laid out for Redis Cluster. Each account's keys carry one hash
 * tag ({@code <prefix>:{acct:<nickname>}:...}), so they live on one hash slot, and every change to an account is
 * one Lua script on that slot, atomic and all-or-nothing. Queued messages are a Redis Stream per recipient whose
 * entry ids are the message ids; an acknowledgement deletes the entries.
 *
 * <p><b>Steps outside one slot</b>, each documented in docs/CLUSTER.md: an enqueue first takes its message id
 * from one counter key ({@code INCR}); a registration or release then updates the index of nicknames that
 * {@link AccountStore#list()} reads; a change at the head of a queue updates the index of non-empty queues that
 * {@link MessageQueueStore#purgeExpired()} and {@link MessageQueueStore#totals()} read. The indexes are kept
 * after the account's own step, so a node dying between the two can leave one stale until that account changes
 * again; the account's own keys are always right.
 *
 * <p><b>What "stored" means</b> is Redis' persistence: with {@code appendonly yes} and {@code appendfsync always}
 * an acknowledged change has been written to the append-only file and {@code fsync}ed; with {@code everysec} up to
 * about a second of acknowledged changes can be lost in a crash of the Redis host (not of Redis alone); without
 * persistence a restart of Redis loses everything. docs/CLUSTER.md, "Durability".
 *
 * <p><b>Failures.</b> Every command has a deadline ({@link RedisStoreOptions#commandTimeout()}): a Redis that is
 * down or stalled fails operations with {@link StoreException.Reason#UNAVAILABLE} within it, never hangs them. The
 * client reconnects by itself (backing off up to {@link RedisStoreOptions#maxReconnectDelay()}); while the
 * connection is down, operations fail at once; commands in flight when it broke are not sent again (they fail,
 * their outcome unknown). {@link #health()} turns failing on a failure and healthy on the next write that goes
 * through; while failing, the store probes with a small write every
 * {@link RedisStoreOptions#recoveryProbeInterval()}.
 *
 * <p><b>Threads.</b> Thread-safe. Stages complete on {@link RedisStoreOptions#completionExecutor()}, never on
 * the client's I/O thread. Enqueues to one recipient from this store run one after the other, in the order they
 * were called, so each sender's messages keep their order.
 */
public final class RedisRelayStore implements RelayStore {
    private static final System.Logger LOG = System.getLogger("io.securecomm.cluster.redis");

    /** How often an enqueue takes a new id when other nodes stored above it first, before giving up. */
    private static final int MAX_ID_ATTEMPTS = 16;

    private final String where;
    private final RedisStoreOptions options;
    private final Clock clock;
    private final StoreLimits limits;
    private final Keys keys;
    private final Executor completions;
    private final StoreMeter meter;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> redis;
    private final ScheduledExecutorService prober;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, CompletableFuture<?>> enqueueTails = new ConcurrentHashMap<>();
    private final Accounts accounts = new Accounts();
    private final PreKeys preKeys = new PreKeys();
    private final Messages messages = new Messages();

    private final Object healthLock = new Object();
    private StoreHealth health;
    private CompletableFuture<Void> recovered = new CompletableFuture<>();
    private volatile boolean closed;

    private RedisRelayStore(String where, RedisStoreOptions options, ClientResources resources, RedisClient client,
            StatefulRedisConnection<byte[], byte[]> connection) {
        this.where = where;
        this.options = options;
        this.clock = options.clock();
        this.limits = options.limits();
        this.keys = new Keys(options.keyPrefix());
        this.completions = options.completionExecutor();
        this.meter = options.meter();
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.redis = connection.async();
        this.health = StoreHealth.healthy(clock.instant());
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "securecomm-redis-store-probe");
            t.setDaemon(true);
            return t;
        });
        long every = options.recoveryProbeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probeIfFailing, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to Redis and opens the store under {@link RedisStoreOptions#keyPrefix()}; a prefix never used
     * before is an empty store, whose message ids start at {@link MessageQueueStore#firstMessageId} of now.
     *
     * @param redisUri where Redis is: {@code redis://host:port}, {@code redis://:password@host:port},
     *     {@code rediss://host:port} (TLS), optionally with a database number ({@code redis://host:port/2})
     * @param options the options
     * @return the open store
     * @throws StoreException with {@link StoreException.Reason#UNAVAILABLE} if Redis cannot be reached, or
     *     another reason if it refuses to set the store up
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static RedisRelayStore open(String redisUri, RedisStoreOptions options) throws StoreException {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(options, "options");
        RedisURI uri = RedisURI.create(redisUri);
        String where = LettuceClients.where(uri);
        LettuceClients.Client lettuce = LettuceClients.create(uri, options.commandTimeout(),
                options.connectTimeout(), options.maxReconnectDelay());
        RedisClient client = lettuce.client();
        ClientResources resources = lettuce.resources();
        StatefulRedisConnection<byte[], byte[]> connection;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            shutDown(client, resources);
            throw RedisErrors.toStoreException(e, where, options.commandTimeout()).orElseThrow(() -> e);
        }
        RedisRelayStore store = new RedisRelayStore(where, options, resources, client, connection);
        try {
            store.initialise();
        } catch (StoreException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void initialise() throws StoreException {
        long now = clock.millis();
        CompletableFuture<?> counter = redis.set(keys.messageId(),
                Keys.utf8(Long.toString(MessageQueueStore.firstMessageId(now) - 1)), SetArgs.Builder.nx())
                .toCompletableFuture();
        CompletableFuture<?> created = redis.hsetnx(keys.meta(), Keys.utf8("created_at"),
                Keys.utf8(Long.toString(now))).toCompletableFuture();
        try {
            CompletableFuture.allOf(counter, created).get(options.commandTimeout().toMillis() * 2,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted while opening the store on "
                    + where, e);
        } catch (TimeoutException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, where + " did not answer while the store"
                    + " was opened; check that Redis runs and is reachable", e);
        } catch (Exception e) {
            throw RedisErrors.toStoreException(e, where, options.commandTimeout()).orElseThrow(() ->
                    new StoreException(StoreException.Reason.IO_ERROR, "cannot open the store on " + where + ": "
                            + e, e));
        }
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public PublishedPreKeyStore preKeys() {
        return preKeys;
    }

    @Override
    public MessageQueueStore messages() {
        return messages;
    }

    @Override
    public StoreHealth health() {
        synchronized (healthLock) {
            return health;
        }
    }

    @Override
    public CompletionStage<Void> whenHealthy() {
        synchronized (healthLock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (health.healthy()) {
                return CompletableFuture.completedFuture(null);
            }
            return recovered.copy();
        }
    }

    /**
     * Where this store's Redis is, for messages: "Redis at host:port" (never a password).
     *
     * @return the description
     */
    public String where() {
        return where;
    }

    @Override
    public void close() {
        CompletableFuture<Void> waiting;
        synchronized (healthLock) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = recovered;
        }
        // Operations already called finish first (each bounded by the command timeout, and an enqueue by its few
        // steps); then the connection closes.
        long bound = options.commandTimeout().toMillis() * (MAX_ID_ATTEMPTS + 4L);
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                    .get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing the store on " + where + ": operations still waiting for"
                    + " Redis after " + bound + " ms are abandoned");
        }
        prober.shutdownNow();
        StoreException closedFailure = closedException();
        synchronized (healthLock) {
            health = StoreHealth.failing(closedFailure, clock.instant());
        }
        waiting.completeExceptionally(closedFailure);
        connection.close();
        shutDown(client, resources);
    }

    private static void shutDown(RedisClient client, ClientResources resources) {
        new LettuceClients.Client(client, resources).shutDown();
    }

    private StoreException closedException() {
        return new StoreException(StoreException.Reason.CLOSED, "the relay store on " + where + " is closed");
    }

    // ---------------------------------------------------------------- running operations

    /**
     * Runs one operation: refuses it once closed, turns the client's failures into {@link StoreException}s,
     * keeps the health, and completes the caller's stage on the completion executor.
     */
    private <T> CompletionStage<T> run(boolean write, Supplier<CompletionStage<T>> operation) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        inFlight.add(result);
        long started = System.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = operation.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                if (write) {
                    meter.committed(1, Duration.ofNanos(System.nanoTime() - started));
                    markHealthy();
                }
                complete(result, () -> result.complete(value));
                return;
            }
            Optional<StoreException> storeFailure = RedisErrors.toStoreException(failure, where,
                    options.commandTimeout());
            if (storeFailure.isPresent()) {
                markFailing(storeFailure.get());
                meter.writeFailed(storeFailure.get().reason());
                complete(result, () -> result.completeExceptionally(storeFailure.get()));
            } else {
                Throwable bug = RedisErrors.unwrap(failure);
                complete(result, () -> result.completeExceptionally(bug));
            }
        });
        return result;
    }

    private void complete(CompletableFuture<?> result, Runnable completion) {
        Runnable task = () -> {
            inFlight.remove(result);
            completion.run();
        };
        try {
            completions.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private void markHealthy() {
        CompletableFuture<Void> done = null;
        synchronized (healthLock) {
            if (closed || health.healthy()) {
                return;
            }
            health = StoreHealth.healthy(clock.instant());
            done = recovered;
            recovered = new CompletableFuture<>();
        }
        LOG.log(System.Logger.Level.INFO, "the relay store on " + where + " works again");
        CompletableFuture<Void> d = done;
        complete(d, () -> d.complete(null));
    }

    private void markFailing(StoreException failure) {
        if (failure.reason() == StoreException.Reason.CLOSED) {
            return;
        }
        synchronized (healthLock) {
            if (closed) {
                return;
            }
            boolean wasHealthy = health.healthy();
            health = StoreHealth.failing(failure, wasHealthy ? clock.instant() : health.since());
            if (!wasHealthy) {
                return;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "the relay store is failing: " + failure.getMessage());
    }

    private void probeIfFailing() {
        if (closed || health().healthy()) {
            return;
        }
        run(true, () -> redis.hset(keys.meta(), Keys.utf8("probed_at"), Keys.utf8(Long.toString(clock.millis()))));
    }

    /** Runs a script by its digest, and by its text once if Redis does not know it (after a restart). */
    private <T> CompletionStage<T> eval(Scripts script, ScriptOutputType type, byte[][] scriptKeys, byte[]... args) {
        return redis.<T>evalsha(script.sha1(), type, scriptKeys, args)
                .exceptionallyCompose(e -> RedisErrors.isNoScript(e)
                        ? redis.<T>eval(script.source(), type, scriptKeys, args)
                        : CompletableFuture.failedStage(RedisErrors.unwrap(e)));
    }

    /** Runs enqueues to one recipient one after the other, in the order they were called. */
    private <T> CompletionStage<T> inRecipientOrder(String recipient, Supplier<CompletionStage<T>> operation) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<?> previous = enqueueTails.put(recipient, mine);
        Runnable start = () -> {
            CompletionStage<T> stage;
            try {
                stage = operation.get();
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((v, e) -> {
                enqueueTails.remove(recipient, mine);
                if (e != null) {
                    mine.completeExceptionally(RedisErrors.unwrap(e));
                } else {
                    mine.complete(v);
                }
            });
        };
        if (previous == null) {
            start.run();
        } else {
            previous.whenComplete((v, e) -> start.run());
        }
        return mine;
    }

    private CompletionStage<Void> updateQueueIndex(String recipient, long oldest) {
        if (oldest == -2) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] member = Keys.utf8(recipient);
        CompletionStage<Long> change = oldest < 0 ? redis.zrem(keys.queues(), member)
                : redis.zadd(keys.queues(), (double) oldest, member);
        return change.thenApply(n -> null);
    }

    private static String text(Object bulk) {
        return new String((byte[]) bulk, StandardCharsets.UTF_8);
    }

    private static long number(Object reply) {
        return reply instanceof Long l ? l : Long.parseLong(text(reply));
    }

    private static PreKeyCounts counts(List<Object> reply, int from) {
        Map<PreKeyKind, Integer> counts = new EnumMap<>(PreKeyKind.class);
        PreKeyKind[] kinds = PreKeyKind.values();
        for (int i = 0; i < kinds.length; i++) {
            counts.put(kinds[i], (int) number(reply.get(from + i)));
        }
        return new PreKeyCounts(counts);
    }

    // ---------------------------------------------------------------- accounts

    private final class Accounts implements AccountStore {
        @Override
        public CompletionStage<Registration> register(String nickname, byte[] identityKey) {
            StoreArguments.requireNickname(nickname, "nickname");
            byte[] key = StoreArguments.requireBytes(identityKey, "identityKey");
            return run(true, () -> RedisRelayStore.this.<byte[]>eval(Scripts.REGISTER, ScriptOutputType.VALUE,
                    keys.account(nickname), key, Keys.utf8(Long.toString(clock.millis())))
                    .thenCompose(reply -> {
                        String r = text(reply);
                        if (r.equals("TAKEN")) {
                            return CompletableFuture.completedFuture(Registration.TAKEN);
                        }
                        // The index of nicknames, after the account's own step (and healed by every hello).
                        return redis.zadd(keys.accounts(), 0, Keys.utf8(nickname)).thenApply(n ->
                                r.equals("REGISTERED") ? Registration.REGISTERED : Registration.ALREADY_REGISTERED);
                    }));
        }

        @Override
        public CompletionStage<Optional<Account>> find(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return run(false, () -> read(nickname));
        }

        private CompletionStage<Optional<Account>> read(String nickname) {
            return redis.hmget(keys.account(nickname)[Keys.ACCOUNT], Keys.utf8("key"), Keys.utf8("reg"))
                    .thenApply(fields -> account(nickname, fields));
        }

        private Optional<Account> account(String nickname, List<KeyValue<byte[], byte[]>> fields) {
            if (!fields.get(0).hasValue() || !fields.get(1).hasValue()) {
                return Optional.empty();
            }
            return Optional.of(new Account(nickname, fields.get(0).getValue(),
                    Instant.ofEpochMilli(Long.parseLong(text(fields.get(1).getValue())))));
        }

        @Override
        public CompletionStage<Release> release(String nickname, byte[] identityKey) {
            StoreArguments.requireNickname(nickname, "nickname");
            byte[] key = StoreArguments.requireBytes(identityKey, "identityKey");
            return run(true, () -> releaseAs(nickname, "owner", key)).thenApply(r -> switch (r) {
                case "RELEASED" -> Release.RELEASED;
                case "NOT_YOURS" -> Release.NOT_YOURS;
                default -> Release.NOT_REGISTERED;
            });
        }

        @Override
        public CompletionStage<Boolean> releaseByOperator(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return run(true, () -> releaseAs(nickname, "operator", new byte[] {0}))
                    .thenApply(r -> r.equals("RELEASED"));
        }

        private CompletionStage<String> releaseAs(String nickname, String mode, byte[] key) {
            return RedisRelayStore.this.<byte[]>eval(Scripts.RELEASE, ScriptOutputType.VALUE,
                    keys.account(nickname), Keys.utf8(mode), key).thenCompose(reply -> {
                        String r = text(reply);
                        if (!r.equals("RELEASED")) {
                            return CompletableFuture.completedFuture(r);
                        }
                        byte[] member = Keys.utf8(nickname);
                        return redis.zrem(keys.accounts(), member)
                                .thenCompose(n -> redis.zrem(keys.queues(), member)).thenApply(n -> r);
                    });
        }

        @Override
        public CompletionStage<List<Account>> list() {
            return run(false, () -> redis.zrange(keys.accounts(), 0, -1).thenCompose(names -> {
                List<CompletableFuture<Optional<Account>>> reads = new ArrayList<>();
                for (byte[] name : names) {
                    reads.add(read(text(name)).toCompletableFuture());
                }
                return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
                    List<Account> out = new ArrayList<>();
                    reads.forEach(r -> r.join().ifPresent(out::add));
                    return List.copyOf(out);
                });
            }));
        }
    }

    // ---------------------------------------------------------------- pre-keys

    private final class PreKeys implements PublishedPreKeyStore {
        @Override
        public CompletionStage<Optional<PreKeyCounts>> publish(String nickname, List<PreKeyRecord> records) {
            StoreArguments.requireNickname(nickname, "nickname");
            List<PreKeyRecord> copy = StoreArguments.requirePublication(records);
            List<byte[]> args = new ArrayList<>();
            args.add(Keys.utf8(Integer.toString(limits.maxPreKeysPerKind())));
            for (PreKeyRecord r : copy) {
                args.add(Keys.utf8(Scripts.kindIndex(r.kind())));
                args.add(Keys.utf8(Integer.toString(r.keyId())));
                args.add(r.publicRecord());
            }
            return run(true, () -> RedisRelayStore.this.<List<Object>>eval(Scripts.PUBLISH, ScriptOutputType.MULTI,
                    keys.account(nickname), args.toArray(byte[][]::new)).thenApply(PreKeys::countsOrEmpty));
        }

        @Override
        public CompletionStage<Optional<PreKeyHandout>> take(String nickname, Set<PreKeyKind> kinds) {
            StoreArguments.requireNickname(nickname, "nickname");
            Set<PreKeyKind> wanted = StoreArguments.requireKinds(kinds);
            byte[][] args = wanted.stream().map(k -> Keys.utf8(Scripts.kindIndex(k))).toArray(byte[][]::new);
            return run(true, () -> RedisRelayStore.this.<List<Object>>eval(Scripts.TAKE, ScriptOutputType.MULTI,
                    keys.account(nickname), args).thenApply(reply -> {
                        if (number(reply.get(0)) == 0) {
                            return Optional.<PreKeyHandout>empty();
                        }
                        int n = (int) number(reply.get(1));
                        Map<PreKeyKind, PreKeyRecord> records = new EnumMap<>(PreKeyKind.class);
                        PreKeyKind[] all = PreKeyKind.values();
                        for (int i = 0; i < n; i++) {
                            PreKeyKind kind = all[(int) number(reply.get(2 + 3 * i)) - 1];
                            records.put(kind, new PreKeyRecord(kind, (int) number(reply.get(3 + 3 * i)),
                                    (byte[]) reply.get(4 + 3 * i)));
                        }
                        return Optional.of(new PreKeyHandout(records, counts(reply, 2 + 3 * n)));
                    }));
        }

        @Override
        public CompletionStage<Optional<PreKeyCounts>> count(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return run(false, () -> RedisRelayStore.this.<List<Object>>eval(Scripts.COUNT, ScriptOutputType.MULTI,
                    keys.account(nickname)).thenApply(PreKeys::countsOrEmpty));
        }

        @Override
        public CompletionStage<Integer> withdraw(String nickname, PreKeyKind kind, Collection<Integer> keyIds) {
            StoreArguments.requireNickname(nickname, "nickname");
            Objects.requireNonNull(kind, "kind");
            List<byte[]> args = new ArrayList<>();
            args.add(Keys.utf8(Scripts.kindIndex(kind)));
            for (Integer id : List.copyOf(Objects.requireNonNull(keyIds, "keyIds"))) {
                args.add(Keys.utf8(Integer.toString(id)));
            }
            return run(true, () -> RedisRelayStore.this.<Long>eval(Scripts.WITHDRAW, ScriptOutputType.INTEGER,
                    keys.account(nickname), args.toArray(byte[][]::new)).thenApply(Long::intValue));
        }

        private static Optional<PreKeyCounts> countsOrEmpty(List<Object> reply) {
            return number(reply.get(0)) == 0 ? Optional.empty() : Optional.of(counts(reply, 1));
        }
    }

    // ---------------------------------------------------------------- queued messages

    private final class Messages implements MessageQueueStore {
        @Override
        public CompletionStage<EnqueueResult> enqueue(String recipient, String sender, byte[] envelope) {
            StoreArguments.requireNickname(recipient, "recipient");
            StoreArguments.requireNickname(sender, "sender");
            byte[] copy = StoreArguments.requireBytes(envelope, "envelope");
            return run(true, () -> inRecipientOrder(recipient, () -> attempt(recipient, sender, copy, 1)));
        }

        private CompletionStage<EnqueueResult> attempt(String recipient, String sender, byte[] envelope, int n) {
            long now = clock.millis();
            return redis.incr(keys.messageId()).thenCompose(id -> RedisRelayStore.this.<List<Object>>eval(
                    Scripts.ENQUEUE, ScriptOutputType.MULTI, keys.account(recipient),
                    Keys.utf8(Long.toString(id)), Keys.utf8(sender), Keys.utf8(Long.toString(now)), envelope,
                    Keys.utf8(Integer.toString(limits.maxQueuedMessagesPerRecipient())),
                    Keys.utf8(Long.toString(limits.maxQueuedBytesPerRecipient())),
                    Keys.utf8(Long.toString(limits.expiryCutoffMillis(now))))
                    .thenCompose(reply -> {
                        String code = text(reply.get(0));
                        return switch (code) {
                            case "S" -> updateQueueIndex(recipient, number(reply.get(1)))
                                    .thenApply(v -> new EnqueueResult.Stored(id, Instant.ofEpochMilli(now)));
                            case "N" -> done(new EnqueueResult.Refused(
                                    EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT, 0));
                            case "M" -> done(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_MESSAGES,
                                    limits.maxQueuedMessagesPerRecipient()));
                            case "B" -> done(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_BYTES,
                                    limits.maxQueuedBytesPerRecipient()));
                            default -> n < MAX_ID_ATTEMPTS ? attempt(recipient, sender, envelope, n + 1)
                                    : CompletableFuture.failedFuture(new StoreException(
                                            StoreException.Reason.OVERLOADED, "could not store a message for '"
                                            + recipient + "' in " + MAX_ID_ATTEMPTS + " attempts: other nodes kept"
                                            + " storing newer ones first; try again"));
                        };
                    }));
        }

        private CompletionStage<EnqueueResult> done(EnqueueResult r) {
            return CompletableFuture.completedFuture(r);
        }

        @Override
        public CompletionStage<List<StoredMessage>> fetch(String recipient, long afterMessageId, int maxMessages) {
            StoreArguments.requireNickname(recipient, "recipient");
            StoreArguments.requireFetch(afterMessageId, maxMessages);
            return run(false, () -> RedisRelayStore.this.<List<Object>>eval(Scripts.FETCH, ScriptOutputType.MULTI,
                    keys.account(recipient), Keys.utf8(Long.toString(afterMessageId)),
                    Keys.utf8(Integer.toString(maxMessages)),
                    Keys.utf8(Long.toString(limits.expiryCutoffMillis(clock.millis())))).thenApply(reply -> {
                        List<StoredMessage> out = new ArrayList<>(reply.size() / 4);
                        for (int i = 0; i + 3 < reply.size(); i += 4) {
                            String streamId = text(reply.get(i));
                            long id = Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
                            out.add(new StoredMessage(id, recipient, text(reply.get(i + 1)),
                                    Instant.ofEpochMilli(Long.parseLong(text(reply.get(i + 2)))),
                                    (byte[]) reply.get(i + 3)));
                        }
                        return List.copyOf(out);
                    }));
        }

        @Override
        public CompletionStage<Integer> acknowledge(String recipient, Collection<Long> messageIds) {
            StoreArguments.requireNickname(recipient, "recipient");
            List<Long> ids = StoreArguments.requireIds(messageIds);
            byte[][] args = ids.stream().map(id -> Keys.utf8(Long.toString(id))).toArray(byte[][]::new);
            return run(true, () -> RedisRelayStore.this.<List<Object>>eval(Scripts.ACKNOWLEDGE,
                    ScriptOutputType.MULTI, keys.account(recipient), args)
                    .thenCompose(reply -> updateQueueIndex(recipient, number(reply.get(1)))
                            .thenApply(v -> (int) number(reply.get(0)))));
        }

        @Override
        public CompletionStage<QueueUsage> usage(String recipient) {
            StoreArguments.requireNickname(recipient, "recipient");
            return run(false, () -> usageOf(recipient));
        }

        private CompletionStage<QueueUsage> usageOf(String recipient) {
            return RedisRelayStore.this.<List<Object>>eval(Scripts.USAGE, ScriptOutputType.MULTI,
                    keys.account(recipient)).thenApply(reply ->
                            new QueueUsage((int) number(reply.get(0)), number(reply.get(1))));
        }

        @Override
        public CompletionStage<Integer> purgeExpired() {
            return run(true, () -> {
                long cutoff = limits.expiryCutoffMillis(clock.millis());
                return redis.zrangebyscore(keys.queues(),
                                Range.from(Range.Boundary.unbounded(), Range.Boundary.including(cutoff)))
                        .thenCompose(names -> {
                            List<CompletableFuture<Integer>> purges = new ArrayList<>();
                            for (byte[] name : names) {
                                String recipient = text(name);
                                purges.add(RedisRelayStore.this.<List<Object>>eval(Scripts.PURGE,
                                        ScriptOutputType.MULTI, keys.account(recipient),
                                        Keys.utf8(Long.toString(cutoff)))
                                        .thenCompose(reply -> updateQueueIndex(recipient, number(reply.get(1)))
                                                .thenApply(v -> (int) number(reply.get(0))))
                                        .toCompletableFuture());
                            }
                            return CompletableFuture.allOf(purges.toArray(CompletableFuture[]::new))
                                    .thenApply(v -> purges.stream().mapToInt(CompletableFuture::join).sum());
                        });
            });
        }

        @Override
        public CompletionStage<Optional<QueueTotals>> totals() {
            return run(false, () -> redis.zrangeWithScores(keys.queues(), 0, -1).thenCompose(queues -> {
                List<CompletableFuture<QueueUsage>> usages = new ArrayList<>();
                for (ScoredValue<byte[]> q : queues) {
                    usages.add(usageOf(text(q.getValue())).toCompletableFuture());
                }
                return CompletableFuture.allOf(usages.toArray(CompletableFuture[]::new)).thenApply(v -> {
                    long count = 0;
                    long bytes = 0;
                    long oldest = Long.MAX_VALUE;
                    for (int i = 0; i < queues.size(); i++) {
                        QueueUsage u = usages.get(i).join();
                        if (u.messages() > 0) {
                            count += u.messages();
                            bytes += u.bytes();
                            oldest = Math.min(oldest, (long) queues.get(i).getScore());
                        }
                    }
                    return Optional.of(new QueueTotals(count, bytes,
                            count == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest))));
                });
            }));
        }
    }
}
