package io.securecomm.relay.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RelayStore} held in this process's memory: for tests, and for a relay that should keep nothing
 * (nothing survives the process; "stored" means "held in memory"). It follows every rule of the interface,
 * bounds and expiry included, and passes the same conformance suite as the durable store.
 *
 * <p>Thread-safe: one lock guards all the data, and each operation runs to its end under it, so operations are
 * atomic and take effect in the order they acquire the lock. Every operation completes before it returns: the
 * returned stage is already complete, and dependent actions attached to it run on the caller's thread.
 * Never unhealthy until closed.
 */
public final class InMemoryRelayStore implements RelayStore {
    private final Clock clock;
    private final StoreLimits limits;
    private final Object lock = new Object();
    private final TreeMap<String, AccountData> accounts = new TreeMap<>(InMemoryRelayStore::compareCodePoints);
    private final Instant createdAt;
    private long nextMessageId;
    private boolean closed;

    private final AccountStore accountStore = new Accounts();
    private final PublishedPreKeyStore preKeyStore = new PreKeys();
    private final MessageQueueStore messageStore = new Messages();

    /**
     * Creates an empty store with the {@linkplain StoreLimits#defaults() default limits} and the system clock.
     */
    public InMemoryRelayStore() {
        this(Clock.systemUTC(), StoreLimits.defaults());
    }

    /**
     * Creates an empty store.
     *
     * @param clock the time for registrations, stored messages and expiry
     * @param limits the bounds per account
     */
    public InMemoryRelayStore(Clock clock, StoreLimits limits) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.createdAt = clock.instant();
        this.nextMessageId = MessageQueueStore.firstMessageId(createdAt.toEpochMilli());
    }

    @Override
    public AccountStore accounts() {
        return accountStore;
    }

    @Override
    public PublishedPreKeyStore preKeys() {
        return preKeyStore;
    }

    @Override
    public MessageQueueStore messages() {
        return messageStore;
    }

    @Override
    public StoreHealth health() {
        synchronized (lock) {
            return closed ? StoreHealth.failing(closedException(), clock.instant()) : StoreHealth.healthy(createdAt);
        }
    }

    @Override
    public CompletionStage<Void> whenHealthy() {
        return run(() -> null);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            accounts.clear();
        }
    }

    /** Orders strings by code point, as SQLite's BINARY collation orders their UTF-8 bytes. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static StoreException closedException() {
        return new StoreException(StoreException.Reason.CLOSED, "the in-memory relay store is closed");
    }

    /** Runs an operation under the lock, as a completed stage. */
    private <T> CompletionStage<T> run(Operation<T> op) {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            return CompletableFuture.completedFuture(op.apply());
        }
    }

    @FunctionalInterface
    private interface Operation<T> {
        T apply();
    }

    private static Instant millis(Clock clock) {
        return Instant.ofEpochMilli(clock.millis());
    }

    private final class Accounts implements AccountStore {
        @Override
        public CompletionStage<Registration> register(String nickname, byte[] identityKey) {
            Account candidate = new Account(nickname, identityKey, millis(clock));
            return run(() -> {
                AccountData held = accounts.get(nickname);
                if (held == null) {
                    accounts.put(nickname, new AccountData(candidate));
                    return Registration.REGISTERED;
                }
                return held.account.isOwnedBy(identityKey) ? Registration.ALREADY_REGISTERED : Registration.TAKEN;
            });
        }

        @Override
        public CompletionStage<Optional<Account>> find(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return run(() -> Optional.ofNullable(accounts.get(nickname)).map(a -> a.account));
        }

        @Override
        public CompletionStage<Release> release(String nickname, byte[] identityKey) {
            StoreArguments.requireNickname(nickname, "nickname");
            byte[] key = StoreArguments.requireBytes(identityKey, "identityKey");
            return run(() -> {
                AccountData held = accounts.get(nickname);
                if (held == null) {
                    return Release.NOT_REGISTERED;
                }
                if (!held.account.isOwnedBy(key)) {
                    return Release.NOT_YOURS;
                }
                accounts.remove(nickname);
                return Release.RELEASED;
            });
        }

        @Override
        public CompletionStage<Boolean> releaseByOperator(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return run(() -> accounts.remove(nickname) != null);
        }

        @Override
        public CompletionStage<List<Account>> list() {
            return run(() -> accounts.values().stream().map(a -> a.account).toList());
        }
    }

    private final class PreKeys implements PublishedPreKeyStore {
        @Override
        public CompletionStage<Optional<PreKeyCounts>> publish(String nickname, List<PreKeyRecord> records) {
            StoreArguments.requireNickname(nickname, "nickname");
            List<PreKeyRecord> copy = StoreArguments.requirePublication(records);
            return run(() -> {
                AccountData a = accounts.get(nickname);
                if (a == null) {
                    return Optional.empty();
                }
                for (PreKeyRecord r : copy) {
                    if (r.kind().rule() == PreKeyKind.HandoutRule.KEPT) {
                        a.kept.put(r.kind(), r);
                    } else {
                        Map<Integer, PreKeyRecord> held = a.consumed.computeIfAbsent(r.kind(),
                                k -> new LinkedHashMap<>());
                        if (held.size() < limits.maxPreKeysPerKind()) {
                            held.putIfAbsent(r.keyId(), r);
                        }
                    }
                }
                return Optional.of(a.counts());
            });
        }

        @Override
        public CompletionStage<Optional<PreKeyHandout>> take(String nickname, Set<PreKeyKind> kinds) {
            StoreArguments.requireNickname(nickname, "nickname");
            Set<PreKeyKind> wanted = StoreArguments.requireKinds(kinds);
            return run(() -> {
                AccountData a = accounts.get(nickname);
                if (a == null) {
                    return Optional.empty();
                }
                EnumMap<PreKeyKind, PreKeyRecord> out = new EnumMap<>(PreKeyKind.class);
                for (PreKeyKind k : wanted) {
                    if (k.rule() == PreKeyKind.HandoutRule.KEPT) {
                        PreKeyRecord r = a.kept.get(k);
                        if (r != null) {
                            out.put(k, r);
                        }
                    } else {
                        Map<Integer, PreKeyRecord> held = a.consumed.get(k);
                        if (held != null && !held.isEmpty()) {
                            Iterator<PreKeyRecord> oldest = held.values().iterator();
                            out.put(k, oldest.next());
                            oldest.remove();
                        }
                    }
                }
                return Optional.of(new PreKeyHandout(out, a.counts()));
            });
        }

        @Override
        public CompletionStage<Integer> withdraw(String nickname, PreKeyKind kind, Collection<Integer> keyIds) {
            StoreArguments.requireNickname(nickname, "nickname");
            Objects.requireNonNull(kind, "kind");
            List<Integer> ids = List.copyOf(keyIds);
            return run(() -> {
                AccountData a = accounts.get(nickname);
                Map<Integer, PreKeyRecord> held = a == null ? null : a.consumed.get(kind);
                int removed = 0;
                if (held != null) {
                    for (Integer id : ids) {
                        if (held.remove(id) != null) {
                            removed++;
                        }
                    }
                }
                return removed;
            });
        }

        @Override
        public CompletionStage<Optional<PreKeyCounts>> count(String nickname) {
            StoreArguments.requireNickname(nickname, "nickname");
            return run(() -> Optional.ofNullable(accounts.get(nickname)).map(AccountData::counts));
        }
    }

    private final class Messages implements MessageQueueStore {
        @Override
        public CompletionStage<EnqueueResult> enqueue(String recipient, String sender, byte[] envelope) {
            StoreArguments.requireNickname(recipient, "recipient");
            StoreArguments.requireNickname(sender, "sender");
            byte[] copy = StoreArguments.requireBytes(envelope, "envelope");
            return run(() -> {
                AccountData a = accounts.get(recipient);
                if (a == null) {
                    return new EnqueueResult.Refused(EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT, 0);
                }
                Instant now = millis(clock);
                Optional<EnqueueResult.Refused> refused = a.refusal(copy.length);
                if (refused.isPresent()) {
                    a.purgeExpired(limits.expiryCutoffMillis(now.toEpochMilli()));
                    refused = a.refusal(copy.length);
                    if (refused.isPresent()) {
                        return refused.get();
                    }
                }
                long id = nextMessageId++;
                a.queue.put(id, new StoredMessage(id, recipient, sender, now, copy));
                a.queuedBytes += copy.length;
                return new EnqueueResult.Stored(id, now);
            });
        }

        @Override
        public CompletionStage<List<StoredMessage>> fetch(String recipient, long afterMessageId, int maxMessages) {
            StoreArguments.requireNickname(recipient, "recipient");
            StoreArguments.requireFetch(afterMessageId, maxMessages);
            return run(() -> {
                AccountData a = accounts.get(recipient);
                if (a == null) {
                    return List.of();
                }
                long cutoff = limits.expiryCutoffMillis(clock.millis());
                List<StoredMessage> out = new ArrayList<>(Math.min(maxMessages, a.queue.size()));
                for (StoredMessage m : a.queue.tailMap(afterMessageId, false).values()) {
                    if (out.size() == maxMessages) {
                        break;
                    }
                    if (m.sentAt().toEpochMilli() > cutoff) {
                        out.add(m);
                    }
                }
                return List.copyOf(out);
            });
        }

        @Override
        public CompletionStage<Integer> acknowledge(String recipient, Collection<Long> messageIds) {
            StoreArguments.requireNickname(recipient, "recipient");
            Set<Long> ids = new HashSet<>(StoreArguments.requireIds(messageIds));
            return run(() -> {
                AccountData a = accounts.get(recipient);
                if (a == null) {
                    return 0;
                }
                int deleted = 0;
                for (Long id : ids) {
                    StoredMessage m = a.queue.remove(id);
                    if (m != null) {
                        a.queuedBytes -= m.envelopeBytes();
                        deleted++;
                    }
                }
                return deleted;
            });
        }

        @Override
        public CompletionStage<QueueUsage> usage(String recipient) {
            StoreArguments.requireNickname(recipient, "recipient");
            return run(() -> {
                AccountData a = accounts.get(recipient);
                return a == null ? new QueueUsage(0, 0) : new QueueUsage(a.queue.size(), a.queuedBytes);
            });
        }

        @Override
        public CompletionStage<Optional<QueueTotals>> totals() {
            return run(() -> {
                long messages = 0;
                long bytes = 0;
                Instant oldest = null;
                for (AccountData a : accounts.values()) {
                    messages += a.queue.size();
                    bytes += a.queuedBytes;
                    if (!a.queue.isEmpty()) {
                        // Ids grow with the clock: a queue's first message is its oldest.
                        Instant first = a.queue.firstEntry().getValue().sentAt();
                        oldest = oldest == null || first.isBefore(oldest) ? first : oldest;
                    }
                }
                return Optional.of(new QueueTotals(messages, bytes, Optional.ofNullable(oldest)));
            });
        }

        @Override
        public CompletionStage<Integer> purgeExpired() {
            return run(() -> {
                long cutoff = limits.expiryCutoffMillis(clock.millis());
                int deleted = 0;
                for (AccountData a : accounts.values()) {
                    deleted += a.purgeExpired(cutoff);
                }
                return deleted;
            });
        }
    }

    /** One account's data; guarded by the store's lock. */
    private final class AccountData {
        final Account account;
        final EnumMap<PreKeyKind, PreKeyRecord> kept = new EnumMap<>(PreKeyKind.class);
        final EnumMap<PreKeyKind, Map<Integer, PreKeyRecord>> consumed = new EnumMap<>(PreKeyKind.class);
        final TreeMap<Long, StoredMessage> queue = new TreeMap<>();
        long queuedBytes;

        AccountData(Account account) {
            this.account = account;
        }

        PreKeyCounts counts() {
            EnumMap<PreKeyKind, Integer> counts = new EnumMap<>(PreKeyKind.class);
            kept.forEach((k, r) -> counts.put(k, 1));
            consumed.forEach((k, held) -> counts.put(k, held.size()));
            return new PreKeyCounts(counts);
        }

        Optional<EnqueueResult.Refused> refusal(int envelopeBytes) {
            return limits.refusal(new QueueUsage(queue.size(), queuedBytes), envelopeBytes);
        }

        int purgeExpired(long cutoffMillis) {
            int deleted = 0;
            for (Iterator<StoredMessage> it = queue.values().iterator(); it.hasNext(); ) {
                StoredMessage m = it.next();
                if (m.sentAt().toEpochMilli() <= cutoffMillis) {
                    it.remove();
                    queuedBytes -= m.envelopeBytes();
                    deleted++;
                }
            }
            return deleted;
        }
    }
}
