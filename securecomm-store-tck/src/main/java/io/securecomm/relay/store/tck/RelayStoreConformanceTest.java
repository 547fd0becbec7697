package io.securecomm.relay.store.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.PreKeyCounts;
import io.securecomm.relay.store.PreKeyHandout;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.PreKeyRecord;
import io.securecomm.relay.store.QueueTotals;
import io.securecomm.relay.store.QueueUsage;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.Release;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link RelayStore} follows, as tests. An implementation's test class extends this one and
 * implements {@link #open(Clock, StoreLimits)}; each test opens fresh stores through it and closes them
 * afterwards. Time comes from an {@link AdjustableClock}, so expiry is tested without waiting; every wait on a
 * stage is bounded by {@link #TIMEOUT}.
 */
public abstract class RelayStoreConformanceTest {
    /** The longest the suite waits for one stage, or for the concurrency tests' threads. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Where the suite's clock starts. */
    protected static final Instant START = Instant.parse("2026-11-25T12:00:00.123Z");

    private final List<RelayStore> opened = new ArrayList<>();

    /** The clock of {@link #store}, moved by the expiry tests. */
    protected AdjustableClock clock;

    /** A fresh store with the default limits, opened before each test. */
    protected RelayStore store;

    /** Creates the suite. */
    protected RelayStoreConformanceTest() {}

    /**
     * Opens a new, empty store.
     *
     * @param clock the store's clock
     * @param limits the store's limits
     * @return the store (the suite closes it)
     * @throws Exception if it cannot be opened
     */
    protected abstract RelayStore open(Clock clock, StoreLimits limits) throws Exception;

    /**
     * Opens {@link #store}.
     *
     * @throws Exception if it cannot be opened
     */
    @BeforeEach
    public void openStore() throws Exception {
        clock = new AdjustableClock(START);
        store = openTracked(clock, StoreLimits.defaults());
    }

    /** Closes every store the test opened. */
    @AfterEach
    public void closeStores() {
        Collections.reverse(opened);
        opened.forEach(RelayStore::close);
        opened.clear();
    }

    /**
     * Opens a store that is closed after the test.
     *
     * @param clock its clock
     * @param limits its limits
     * @return the store
     * @throws Exception if it cannot be opened
     */
    protected final RelayStore openTracked(Clock clock, StoreLimits limits) throws Exception {
        RelayStore s = open(clock, limits);
        opened.add(s);
        return s;
    }

    /**
     * Waits for a stage, at most {@link #TIMEOUT}.
     *
     * @param stage the stage
     * @param <T> its result type
     * @return its result
     * @throws Exception what the stage failed with (unwrapped), or a timeout
     */
    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * A distinct identity key.
     *
     * @param n which
     * @return 32 bytes
     */
    protected static byte[] key(int n) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (n * 31 + i);
        }
        return k;
    }

    /**
     * An envelope with recognisable contents.
     *
     * @param text what it says
     * @return the bytes of {@code text}
     */
    protected static byte[] envelope(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Registers a nickname and checks it was free.
     *
     * @param s the store
     * @param nickname the nickname
     * @param keyNumber which {@link #key(int)}
     * @throws Exception on failure
     */
    protected static void register(RelayStore s, String nickname, int keyNumber) throws Exception {
        assertEquals(Registration.REGISTERED, await(s.accounts().register(nickname, key(keyNumber))));
    }

    /**
     * Enqueues a message and checks it was stored.
     *
     * @param s the store
     * @param recipient the recipient
     * @param text the envelope's text
     * @return the stored result
     * @throws Exception on failure
     */
    protected static EnqueueResult.Stored enqueue(RelayStore s, String recipient, String text) throws Exception {
        return assertInstanceOf(EnqueueResult.Stored.class,
                await(s.messages().enqueue(recipient, "alice", envelope(text))));
    }

    private static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(m -> new String(m.envelope(), StandardCharsets.UTF_8)).toList();
    }

    private static PreKeyRecord oneTime(int id) {
        return new PreKeyRecord(PreKeyKind.ONE_TIME, id, ("one-time " + id).getBytes(StandardCharsets.UTF_8));
    }

    /** A last-resort ML-KEM pre-key's record: as long as a real one (1638 bytes), so stores see its size. */
    private static PreKeyRecord lastResortKem(int id) {
        return new PreKeyRecord(PreKeyKind.LAST_RESORT_KEM, id, kemRecord("last-resort KEM " + id));
    }

    private static PreKeyRecord oneTimeKem(int id) {
        return new PreKeyRecord(PreKeyKind.ONE_TIME_KEM, id, kemRecord("one-time KEM " + id));
    }

    private static byte[] kemRecord(String label) {
        byte[] r = Arrays.copyOf(label.getBytes(StandardCharsets.UTF_8), 1638);
        r[1637] = (byte) label.length();
        return r;
    }

    private static PreKeyRecord signed(int id) {
        return new PreKeyRecord(PreKeyKind.SIGNED, id, ("signed " + id).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- accounts

    /**
     * The first registration binds the nickname; the same key again is accepted, and the account records the
     * key and the time.
     *
     * @throws Exception on failure
     */
    @Test
    public void registeringTwiceWithTheSameKeyIsAccepted() throws Exception {
        assertEquals(Registration.REGISTERED, await(store.accounts().register("bob", key(1))));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Registration.ALREADY_REGISTERED, await(store.accounts().register("bob", key(1))));
        Account bob = await(store.accounts().find("bob")).orElseThrow();
        assertEquals("bob", bob.nickname());
        assertArrayEquals(key(1), bob.identityKey());
        assertEquals(START, bob.registeredAt(), "the first registration's time is kept");
    }

    /**
     * Another key is refused, and the account keeps its owner.
     *
     * @throws Exception on failure
     */
    @Test
    public void anotherKeyIsRefused() throws Exception {
        register(store, "bob", 1);
        assertEquals(Registration.TAKEN, await(store.accounts().register("bob", key(2))));
        assertTrue(await(store.accounts().find("bob")).orElseThrow().isOwnedBy(key(1)));
    }

    /**
     * The store takes the canonical nickname as given: it does not fold case or normalise, so the caller's
     * canonical form decides what is one account.
     *
     * @throws Exception on failure
     */
    @Test
    public void nicknamesAreKeptExactlyAsTheCallerCanonicalisedThem() throws Exception {
        register(store, "bob", 1);
        assertEquals(Registration.REGISTERED, await(store.accounts().register("Bob", key(2))));
        assertEquals(Registration.REGISTERED, await(store.accounts().register("b\u00f6b", key(3))));
        assertEquals(List.of("Bob", "bob", "b\u00f6b"),
                await(store.accounts().list()).stream().map(Account::nickname).toList());
        assertEquals(Optional.empty(), await(store.accounts().find("BOB")));
    }

    /**
     * The owner releases the account; then another key may register it.
     *
     * @throws Exception on failure
     */
    @Test
    public void theOwnerReleasesTheAccount() throws Exception {
        register(store, "bob", 1);
        assertEquals(Release.NOT_YOURS, await(store.accounts().release("bob", key(2))));
        assertTrue(await(store.accounts().find("bob")).isPresent(), "a refused release changes nothing");
        assertEquals(Release.RELEASED, await(store.accounts().release("bob", key(1))));
        assertEquals(Optional.empty(), await(store.accounts().find("bob")));
        assertEquals(Release.NOT_REGISTERED, await(store.accounts().release("bob", key(1))));
        assertEquals(Registration.REGISTERED, await(store.accounts().register("bob", key(2))));
    }

    /**
     * The operator releases any account.
     *
     * @throws Exception on failure
     */
    @Test
    public void theOperatorReleasesAnyAccount() throws Exception {
        register(store, "bob", 1);
        assertTrue(await(store.accounts().releaseByOperator("bob")));
        assertFalse(await(store.accounts().releaseByOperator("bob")));
        assertEquals(Optional.empty(), await(store.accounts().find("bob")));
        assertEquals(Registration.REGISTERED, await(store.accounts().register("bob", key(2))));
    }

    /**
     * Releasing an account deletes its pre-keys and queued messages: the next owner of the nickname gets none
     * of them.
     *
     * @throws Exception on failure
     */
    @Test
    public void releasingDeletesPreKeysAndQueuedMessages() throws Exception {
        register(store, "bob", 1);
        await(store.preKeys().publish("bob", List.of(signed(1), oneTime(1), oneTime(2))));
        enqueue(store, "bob", "for the first bob");
        assertTrue(await(store.accounts().releaseByOperator("bob")));
        register(store, "bob", 2);
        assertEquals(List.of(), await(store.messages().fetch("bob", 0, 10)));
        assertEquals(new QueueUsage(0, 0), await(store.messages().usage("bob")));
        PreKeyCounts counts = await(store.preKeys().count("bob")).orElseThrow();
        assertEquals(0, counts.count(PreKeyKind.SIGNED));
        assertEquals(0, counts.count(PreKeyKind.ONE_TIME));
    }

    /**
     * The list holds every account, ordered by nickname, code point by code point (so a character outside the
     * Basic Multilingual Plane sorts after every character inside it).
     *
     * @throws Exception on failure
     */
    @Test
    public void listIsOrderedByNickname() throws Exception {
        register(store, "carol", 3);
        register(store, "alice", 1);
        register(store, "bob", 2);
        register(store, "\ud83d\ude00", 4);
        register(store, "\uff41", 5);
        assertEquals(List.of("alice", "bob", "carol", "\uff41", "\ud83d\ude00"),
                await(store.accounts().list()).stream().map(Account::nickname).toList());
    }

    /**
     * Empty nicknames and keys are caller mistakes, thrown at once.
     */
    @Test
    public void emptyArgumentsAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> store.accounts().register("", key(1)));
        assertThrows(IllegalArgumentException.class, () -> store.accounts().register("bob", new byte[0]));
        assertThrows(NullPointerException.class, () -> store.accounts().register(null, key(1)));
        assertThrows(IllegalArgumentException.class, () -> store.messages().enqueue("bob", "alice", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> store.messages().fetch("bob", -1, 10));
        assertThrows(IllegalArgumentException.class, () -> store.messages().fetch("bob", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> store.preKeys().take("bob", Set.of()));
    }

    // ---------------------------------------------------------------- pre-keys

    /**
     * One-time pre-keys are handed out oldest first, each once, and counted down; the signed pre-key stays and
     * is handed out with every one of them, and alone once they are gone.
     *
     * @throws Exception on failure
     */
    @Test
    public void oneTimePreKeysAreHandedOutOnceAndTheSignedOneStays() throws Exception {
        register(store, "bob", 1);
        PreKeyCounts published = await(store.preKeys().publish("bob",
                List.of(signed(7), oneTime(10), oneTime(11), oneTime(12)))).orElseThrow();
        assertEquals(1, published.count(PreKeyKind.SIGNED));
        assertEquals(3, published.count(PreKeyKind.ONE_TIME));
        Set<PreKeyKind> both = EnumSet.of(PreKeyKind.SIGNED, PreKeyKind.ONE_TIME);
        for (int id = 10; id <= 12; id++) {
            PreKeyHandout h = await(store.preKeys().take("bob", both)).orElseThrow();
            assertEquals(Optional.of(signed(7)), h.record(PreKeyKind.SIGNED));
            assertEquals(Optional.of(oneTime(id)), h.record(PreKeyKind.ONE_TIME));
            assertEquals(12 - id, h.remaining().count(PreKeyKind.ONE_TIME));
            assertEquals(1, h.remaining().count(PreKeyKind.SIGNED));
        }
        PreKeyHandout last = await(store.preKeys().take("bob", both)).orElseThrow();
        assertEquals(Optional.of(signed(7)), last.record(PreKeyKind.SIGNED));
        assertEquals(Optional.empty(), last.record(PreKeyKind.ONE_TIME));
        assertEquals(0, await(store.preKeys().count("bob")).orElseThrow().count(PreKeyKind.ONE_TIME));
    }

    /**
     * Withdrawn one-time keys are never handed out; the others keep their order, and withdrawing unknown ids, or for
     * a nickname without an account, deletes nothing.
     *
     * @throws Exception on failure
     */
    @Test
    public void withdrawnPreKeysAreNeverHandedOut() throws Exception {
        register(store, "bob", 1);
        await(store.preKeys().publish("bob", List.of(signed(7), oneTime(10), oneTime(11), oneTime(12),
                oneTimeKem(20), oneTimeKem(21))));
        assertEquals(1, await(store.preKeys().withdraw("bob", PreKeyKind.ONE_TIME, List.of(11, 99))));
        assertEquals(1, await(store.preKeys().withdraw("bob", PreKeyKind.ONE_TIME_KEM, List.of(20))));
        assertEquals(0, await(store.preKeys().withdraw("nobody", PreKeyKind.ONE_TIME, List.of(10))));
        Set<PreKeyKind> all = EnumSet.of(PreKeyKind.SIGNED, PreKeyKind.ONE_TIME, PreKeyKind.ONE_TIME_KEM);
        PreKeyHandout first = await(store.preKeys().take("bob", all)).orElseThrow();
        assertEquals(Optional.of(oneTime(10)), first.record(PreKeyKind.ONE_TIME));
        assertEquals(Optional.of(oneTimeKem(21)), first.record(PreKeyKind.ONE_TIME_KEM));
        PreKeyHandout second = await(store.preKeys().take("bob", all)).orElseThrow();
        assertEquals(Optional.of(oneTime(12)), second.record(PreKeyKind.ONE_TIME));
        assertEquals(Optional.empty(), second.record(PreKeyKind.ONE_TIME_KEM));
        assertEquals(Optional.of(signed(7)), second.record(PreKeyKind.SIGNED));
    }

    /**
     * Only the requested kinds are handed out: asking for the signed pre-key alone consumes no one-time key.
     *
     * @throws Exception on failure
     */
    @Test
    public void onlyRequestedKindsAreHandedOut() throws Exception {
        register(store, "bob", 1);
        await(store.preKeys().publish("bob", List.of(signed(1), oneTime(1))));
        PreKeyHandout h = await(store.preKeys().take("bob", Set.of(PreKeyKind.SIGNED))).orElseThrow();
        assertEquals(Map.of(PreKeyKind.SIGNED, signed(1)), h.records());
        assertEquals(1, h.remaining().count(PreKeyKind.ONE_TIME));
    }

    /**
     * A newer signed pre-key replaces the held one; one-time keys accumulate, a key id already held is not
     * added twice, and no more than the limit per kind is kept.
     *
     * @throws Exception on failure
     */
    @Test
    public void publishingReplacesTheSignedKeyAndAddsOneTimeKeysUpToTheLimit() throws Exception {
        RelayStore s = openTracked(clock, StoreLimits.defaults().withMaxPreKeysPerKind(4));
        register(s, "bob", 1);
        await(s.preKeys().publish("bob", List.of(signed(1), oneTime(1), oneTime(2))));
        PreKeyRecord otherTwo = new PreKeyRecord(PreKeyKind.ONE_TIME, 2, envelope("another key with id 2"));
        PreKeyCounts counts = await(s.preKeys().publish("bob",
                List.of(signed(2), otherTwo, oneTime(3), oneTime(4), oneTime(5)))).orElseThrow();
        assertEquals(1, counts.count(PreKeyKind.SIGNED));
        assertEquals(4, counts.count(PreKeyKind.ONE_TIME), "ids 1..4; 2 was held already, 5 is past the limit");
        List<PreKeyRecord> handedOut = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PreKeyHandout h = await(s.preKeys().take("bob", EnumSet.allOf(PreKeyKind.class))).orElseThrow();
            assertEquals(Optional.of(signed(2)), h.record(PreKeyKind.SIGNED));
            h.record(PreKeyKind.ONE_TIME).ifPresent(handedOut::add);
        }
        assertEquals(List.of(oneTime(1), oneTime(2), oneTime(3), oneTime(4)), handedOut,
                "the held record of id 2 is kept, not the republished one");
    }

    /**
     * The ML-KEM kinds of PQXDH follow the same rules as their curve counterparts, each kind on its own: one-time KEM
     * pre-keys are handed out oldest first, each once, and counted down; the last-resort KEM pre-key stays and comes
     * with every hand-out, alone once the one-time ones are gone, and a newer one replaces it. A key id may repeat
     * across kinds (each kind has its own ids), and the limit per kind holds for the KEM kind too.
     *
     * @throws Exception on failure
     */
    @Test
    public void kemPreKeysAreHandedOutByTheSameRulesAsTheirCurveCounterparts() throws Exception {
        RelayStore s = openTracked(clock, StoreLimits.defaults().withMaxPreKeysPerKind(3));
        register(s, "bob", 1);
        PreKeyCounts published = await(s.preKeys().publish("bob", List.of(signed(1), lastResortKem(5), oneTime(1),
                oneTimeKem(1), oneTimeKem(2), oneTimeKem(3), oneTimeKem(4)))).orElseThrow();
        assertEquals(1, published.count(PreKeyKind.LAST_RESORT_KEM));
        assertEquals(3, published.count(PreKeyKind.ONE_TIME_KEM), "ids 1..3; 4 is past the limit");
        assertEquals(1, published.count(PreKeyKind.ONE_TIME), "id 1 of another kind is another key");
        Set<PreKeyKind> bundle = EnumSet.allOf(PreKeyKind.class);
        for (int id = 1; id <= 3; id++) {
            PreKeyHandout h = await(s.preKeys().take("bob", bundle)).orElseThrow();
            assertEquals(Optional.of(oneTimeKem(id)), h.record(PreKeyKind.ONE_TIME_KEM), "oldest first, once");
            assertEquals(Optional.of(lastResortKem(5)), h.record(PreKeyKind.LAST_RESORT_KEM));
            assertEquals(3 - id, h.remaining().count(PreKeyKind.ONE_TIME_KEM));
            assertEquals(id == 1 ? Optional.of(oneTime(1)) : Optional.empty(), h.record(PreKeyKind.ONE_TIME),
                    "the curve one-time keys run out on their own");
        }
        PreKeyHandout lastResortOnly = await(s.preKeys().take("bob", bundle)).orElseThrow();
        assertEquals(Optional.empty(), lastResortOnly.record(PreKeyKind.ONE_TIME_KEM));
        assertEquals(Optional.of(lastResortKem(5)), lastResortOnly.record(PreKeyKind.LAST_RESORT_KEM),
                "handed out again: not consumed");
        await(s.preKeys().publish("bob", List.of(lastResortKem(6), oneTimeKem(7))));
        PreKeyHandout after = await(s.preKeys().take("bob", bundle)).orElseThrow();
        assertEquals(Optional.of(lastResortKem(6)), after.record(PreKeyKind.LAST_RESORT_KEM), "replaced");
        assertEquals(Optional.of(oneTimeKem(7)), after.record(PreKeyKind.ONE_TIME_KEM));
        assertEquals(1, after.remaining().count(PreKeyKind.SIGNED));
        assertEquals(1, after.remaining().count(PreKeyKind.LAST_RESORT_KEM));
        assertEquals(0, after.remaining().count(PreKeyKind.ONE_TIME_KEM));
    }

    /**
     * Two signed pre-keys in one publication is a caller mistake; pre-keys of a nickname without an account
     * are not stored, and none can be taken.
     *
     * @throws Exception on failure
     */
    @Test
    public void preKeysNeedAnAccount() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> store.preKeys().publish("bob", List.of(signed(1), signed(2))));
        assertEquals(Optional.empty(), await(store.preKeys().publish("bob", List.of(signed(1), oneTime(1)))));
        assertEquals(Optional.empty(), await(store.preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME))));
        assertEquals(Optional.empty(), await(store.preKeys().count("bob")));
        register(store, "bob", 1);
        assertEquals(0, await(store.preKeys().count("bob")).orElseThrow().count(PreKeyKind.ONE_TIME));
    }

    /**
     * Requesters racing for one-time pre-keys never get the same one.
     *
     * @throws Exception on failure
     */
    @Test
    public void concurrentRequestersNeverShareAOneTimePreKey() throws Exception {
        register(store, "bob", 1);
        List<PreKeyRecord> keys = new ArrayList<>();
        for (int id = 1; id <= 200; id++) {
            keys.add(oneTime(id));
        }
        await(store.preKeys().publish("bob", keys));
        List<List<Integer>> perThread = runConcurrently(8, t -> {
            List<CompletableFuture<Optional<PreKeyHandout>>> stages = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                stages.add(store.preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME)).toCompletableFuture());
            }
            List<Integer> ids = new ArrayList<>();
            for (CompletableFuture<Optional<PreKeyHandout>> f : stages) {
                await(f).orElseThrow().record(PreKeyKind.ONE_TIME).ifPresent(r -> ids.add(r.keyId()));
            }
            return ids;
        });
        List<Integer> all = perThread.stream().flatMap(List::stream).toList();
        assertEquals(200, all.size(), "240 requests for 200 keys hand out all 200");
        assertEquals(200, new HashSet<>(all).size(), "and each key once");
    }

    // ---------------------------------------------------------------- queued messages

    /**
     * Messages come back in the order they were stored, with increasing ids, the sender, the store's time and
     * the envelope exactly as given.
     *
     * @throws Exception on failure
     */
    @Test
    public void messagesAreKeptInOrderWithIdsSenderAndTime() throws Exception {
        register(store, "bob", 1);
        EnqueueResult.Stored first = enqueue(store, "bob", "one");
        clock.advance(Duration.ofSeconds(2));
        EnqueueResult.Stored second = enqueue(store, "bob", "two");
        assertTrue(first.messageId() > 0 && second.messageId() > first.messageId());
        assertEquals(START, first.sentAt());
        assertEquals(START.plusSeconds(2), second.sentAt());
        List<StoredMessage> fetched = await(store.messages().fetch("bob", 0, 10));
        assertEquals(List.of(
                new StoredMessage(first.messageId(), "bob", "alice", START, envelope("one")),
                new StoredMessage(second.messageId(), "bob", "alice", START.plusSeconds(2), envelope("two"))),
                fetched);
    }

    /**
     * The time recorded is the store's clock to the millisecond.
     *
     * @throws Exception on failure
     */
    @Test
    public void theRecordedTimeIsTruncatedToMilliseconds() throws Exception {
        register(store, "bob", 1);
        clock.advance(Duration.ofNanos(456_789));
        EnqueueResult.Stored stored = enqueue(store, "bob", "x");
        assertEquals(Instant.ofEpochMilli(START.toEpochMilli()), stored.sentAt());
        assertEquals(stored.sentAt(), await(store.messages().fetch("bob", 0, 1)).get(0).sentAt());
    }

    /**
     * The store keeps its own copy of the envelope.
     *
     * @throws Exception on failure
     */
    @Test
    public void theEnvelopeIsCopied() throws Exception {
        register(store, "bob", 1);
        byte[] env = envelope("original");
        await(store.messages().enqueue("bob", "alice", env));
        env[0] = 'X';
        assertEquals(List.of("original"), texts(await(store.messages().fetch("bob", 0, 10))));
    }

    /**
     * A message to a nickname without an account is refused, and nothing is stored.
     *
     * @throws Exception on failure
     */
    @Test
    public void aRecipientWithoutAnAccountIsRefused() throws Exception {
        EnqueueResult r = await(store.messages().enqueue("nobody", "alice", envelope("hi")));
        assertEquals(new EnqueueResult.Refused(EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT, 0), r);
        register(store, "nobody", 1);
        assertEquals(List.of(), await(store.messages().fetch("nobody", 0, 10)));
    }

    /**
     * Fetching pages through a queue by the last id read, and never removes anything.
     *
     * @throws Exception on failure
     */
    @Test
    public void fetchPagesWithoutRemoving() throws Exception {
        register(store, "bob", 1);
        for (int i = 0; i < 5; i++) {
            enqueue(store, "bob", "m" + i);
        }
        List<StoredMessage> page1 = await(store.messages().fetch("bob", 0, 2));
        assertEquals(List.of("m0", "m1"), texts(page1));
        List<StoredMessage> page2 = await(store.messages().fetch("bob", page1.get(1).messageId(), 2));
        assertEquals(List.of("m2", "m3"), texts(page2));
        List<StoredMessage> page3 = await(store.messages().fetch("bob", page2.get(1).messageId(), 2));
        assertEquals(List.of("m4"), texts(page3));
        assertEquals(List.of(), await(store.messages().fetch("bob", page3.get(0).messageId(), 2)));
        assertEquals(5, await(store.messages().fetch("bob", 0, 100)).size());
    }

    /**
     * An acknowledgement deletes; what was not acknowledged is handed out again from the start; acknowledging
     * again, or acknowledging ids that are not the recipient's, changes nothing.
     *
     * @throws Exception on failure
     */
    @Test
    public void acknowledgedMessagesAreDeletedAndTheRestRedelivered() throws Exception {
        register(store, "bob", 1);
        register(store, "carol", 2);
        long a = enqueue(store, "bob", "a").messageId();
        long b = enqueue(store, "bob", "b").messageId();
        long c = enqueue(store, "bob", "c").messageId();
        long forCarol = enqueue(store, "carol", "for carol").messageId();
        assertEquals(2, await(store.messages().acknowledge("bob", List.of(a, c))));
        assertEquals(List.of("b"), texts(await(store.messages().fetch("bob", 0, 10))));
        assertEquals(0, await(store.messages().acknowledge("bob", List.of(a, c))), "a duplicate acknowledgement");
        assertEquals(0, await(store.messages().acknowledge("bob", List.of(forCarol))), "not bob's to acknowledge");
        assertEquals(List.of("for carol"), texts(await(store.messages().fetch("carol", 0, 10))));
        assertEquals(0, await(store.messages().acknowledge("bob", List.of())));
        assertEquals(0, await(store.messages().acknowledge("nobody", List.of(b))));
        assertEquals(1, await(store.messages().acknowledge("bob", List.of(b, b))));
        assertEquals(List.of(), await(store.messages().fetch("bob", 0, 10)));
    }

    /**
     * Ids are unique across recipients and increase in the order messages are stored.
     *
     * @throws Exception on failure
     */
    @Test
    public void idsIncreaseAcrossRecipients() throws Exception {
        register(store, "bob", 1);
        register(store, "carol", 2);
        long previous = 0;
        for (int i = 0; i < 20; i++) {
            long id = enqueue(store, i % 2 == 0 ? "bob" : "carol", "m" + i).messageId();
            assertTrue(id > previous, "id " + id + " after " + previous);
            previous = id;
        }
    }

    /**
     * Ids do not start over: a store created later starts above the ids an earlier one assigned.
     *
     * @throws Exception on failure
     */
    @Test
    public void aLaterStoreStartsAboveAnEarlierStoresIds() throws Exception {
        register(store, "bob", 1);
        long earlier = enqueue(store, "bob", "x").messageId();
        AdjustableClock later = new AdjustableClock(START.plusSeconds(1));
        RelayStore s = openTracked(later, StoreLimits.defaults());
        register(s, "bob", 1);
        assertTrue(enqueue(s, "bob", "y").messageId() > earlier);
    }

    /**
     * The count bound refuses at enqueue time, naming the limit; an acknowledgement makes room.
     *
     * @throws Exception on failure
     */
    @Test
    public void theCountBoundRefusesAtEnqueue() throws Exception {
        RelayStore s = openTracked(clock, StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(3));
        register(s, "bob", 1);
        long first = enqueue(s, "bob", "1").messageId();
        enqueue(s, "bob", "2");
        enqueue(s, "bob", "3");
        EnqueueResult r = await(s.messages().enqueue("bob", "alice", envelope("4")));
        assertEquals(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_MESSAGES, 3), r);
        assertTrue(((EnqueueResult.Refused) r).describe("bob").contains("3"));
        assertEquals(List.of("1", "2", "3"), texts(await(s.messages().fetch("bob", 0, 10))));
        await(s.messages().acknowledge("bob", List.of(first)));
        enqueue(s, "bob", "4");
        assertEquals(List.of("2", "3", "4"), texts(await(s.messages().fetch("bob", 0, 10))));
    }

    /**
     * A store's totals, if it measures them, add every queue up and name the oldest message's time; a store that
     * does not returns empty.
     *
     * @throws Exception on failure
     */
    @Test
    public void totalsAddUpEveryQueue() throws Exception {
        Optional<QueueTotals> none = await(store.messages().totals());
        if (none.isEmpty()) {
            return; // this store does not measure totals: allowed
        }
        assertEquals(new QueueTotals(0, 0, Optional.empty()), none.get());
        register(store, "bob", 1);
        register(store, "carol", 2);
        Instant first = enqueue(store, "bob", "123456").sentAt();
        clock.advance(Duration.ofSeconds(5));
        long second = enqueue(store, "carol", "1234").messageId();
        enqueue(store, "bob", "12");
        assertEquals(new QueueTotals(3, 12, Optional.of(first)), await(store.messages().totals()).orElseThrow());
        await(store.messages().acknowledge("carol", List.of(second)));
        assertEquals(new QueueTotals(2, 8, Optional.of(first)), await(store.messages().totals()).orElseThrow());
    }

    /**
     * The byte bound refuses a message that would take the queue past it, and counts envelope bytes.
     *
     * @throws Exception on failure
     */
    @Test
    public void theByteBoundRefusesAtEnqueue() throws Exception {
        RelayStore s = openTracked(clock, StoreLimits.defaults().withMaxQueuedBytesPerRecipient(10));
        register(s, "bob", 1);
        enqueue(s, "bob", "123456");
        assertEquals(new QueueUsage(1, 6), await(s.messages().usage("bob")));
        assertEquals(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_BYTES, 10),
                await(s.messages().enqueue("bob", "alice", envelope("12345"))));
        enqueue(s, "bob", "1234");
        assertEquals(new QueueUsage(2, 10), await(s.messages().usage("bob")));
        assertEquals(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_BYTES, 10),
                await(s.messages().enqueue("bob", "alice", envelope("1"))));
        assertEquals(new QueueUsage(0, 0), await(s.messages().usage("carol")), "no account, no usage");
    }

    /**
     * A message expires when its age reaches the limit: it is no longer fetched, and purging deletes it;
     * younger messages stay.
     *
     * @throws Exception on failure
     */
    @Test
    public void messagesExpireByTheInjectedClock() throws Exception {
        RelayStore s = openTracked(clock, StoreLimits.defaults().withMaxQueuedMessageAge(Duration.ofHours(1)));
        register(s, "bob", 1);
        enqueue(s, "bob", "old");
        clock.advance(Duration.ofMinutes(30));
        enqueue(s, "bob", "young");
        clock.advance(Duration.ofMinutes(30).minusMillis(1));
        assertEquals(List.of("old", "young"), texts(await(s.messages().fetch("bob", 0, 10))), "1 ms before expiry");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("young"), texts(await(s.messages().fetch("bob", 0, 10))));
        assertEquals(new QueueUsage(2, 8), await(s.messages().usage("bob")), "expired but not yet purged");
        assertEquals(1, await(s.messages().purgeExpired()));
        assertEquals(new QueueUsage(1, 5), await(s.messages().usage("bob")));
        assertEquals(0, await(s.messages().purgeExpired()));
        clock.advance(Duration.ofMinutes(30));
        assertEquals(List.of(), await(s.messages().fetch("bob", 0, 10)));
        assertEquals(1, await(s.messages().purgeExpired()));
    }

    /**
     * Expired messages do not hold a recipient's queue at its bound: they are purged to make room.
     *
     * @throws Exception on failure
     */
    @Test
    public void expiredMessagesMakeRoomAtTheBound() throws Exception {
        RelayStore s = openTracked(clock, StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(2)
                .withMaxQueuedMessageAge(Duration.ofDays(1)));
        register(s, "bob", 1);
        enqueue(s, "bob", "1");
        enqueue(s, "bob", "2");
        assertInstanceOf(EnqueueResult.Refused.class, await(s.messages().enqueue("bob", "alice", envelope("3"))));
        clock.advance(Duration.ofDays(1));
        enqueue(s, "bob", "3");
        assertEquals(List.of("3"), texts(await(s.messages().fetch("bob", 0, 10))));
        assertEquals(new QueueUsage(1, 1), await(s.messages().usage("bob")));
    }

    // ---------------------------------------------------------------- concurrency

    /**
     * Many threads enqueue at once without waiting for each other: every stage completes with a stored result,
     * ids are unique, and each sender's messages to a recipient keep the order they were sent in.
     *
     * @throws Exception on failure
     */
    @Test
    public void concurrentEnqueuesAllCompleteAndKeepEachSendersOrder() throws Exception {
        int threads = 8;
        int perThread = 250;
        String[] recipients = {"r0", "r1", "r2", "r3"};
        for (int i = 0; i < recipients.length; i++) {
            register(store, recipients[i], i);
        }
        List<List<Long>> ids = runConcurrently(threads, t -> {
            String recipient = recipients[t % recipients.length];
            List<CompletableFuture<EnqueueResult>> stages = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                stages.add(store.messages().enqueue(recipient, "sender" + t, envelope(t + ":" + i))
                        .toCompletableFuture());
            }
            List<Long> out = new ArrayList<>();
            for (CompletableFuture<EnqueueResult> f : stages) {
                out.add(assertInstanceOf(EnqueueResult.Stored.class, await(f)).messageId());
            }
            return out;
        });
        Set<Long> unique = new HashSet<>();
        ids.forEach(unique::addAll);
        assertEquals(threads * perThread, unique.size());
        for (String recipient : recipients) {
            List<StoredMessage> queue = await(store.messages().fetch(recipient, 0, threads * perThread));
            assertEquals(threads / recipients.length * perThread, queue.size());
            int[] next = new int[threads];
            long previousId = 0;
            for (StoredMessage m : queue) {
                assertTrue(m.messageId() > previousId, "fetched in id order");
                previousId = m.messageId();
                String[] parts = new String(m.envelope(), StandardCharsets.UTF_8).split(":");
                int t = Integer.parseInt(parts[0]);
                assertEquals("sender" + t, m.sender());
                assertEquals(next[t]++, Integer.parseInt(parts[1]), "sender " + t + "'s order to " + recipient);
            }
        }
    }

    /**
     * Runs a task on several threads at once and collects what each returns, bounded by {@link #TIMEOUT}.
     *
     * @param threads how many threads
     * @param task the task, given the thread's index
     * @param <T> what a task returns
     * @return the results, by thread index
     * @throws Exception if a task failed or the time ran out
     */
    protected static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CompletableFuture<Void> go = new CompletableFuture<>();
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    go.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return task.run(index);
                }));
            }
            go.complete(null);
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                } catch (TimeoutException e) {
                    throw new AssertionError("a thread did not finish within " + TIMEOUT, e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A task of {@link #runConcurrently}.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    protected interface ThreadTask<T> {
        /**
         * Runs on one thread.
         *
         * @param thread the thread's index, from 0
         * @return the result
         * @throws Exception on failure
         */
        T run(int thread) throws Exception;
    }

    // ---------------------------------------------------------------- health and closing

    /**
     * An open store is healthy; a closed one fails every operation with {@link StoreException.Reason#CLOSED},
     * and says so.
     *
     * @throws Exception on failure
     */
    @Test
    public void aClosedStoreRefusesWithClosed() throws Exception {
        assertTrue(store.health().healthy());
        await(store.whenHealthy());
        register(store, "bob", 1);
        store.close();
        store.close();
        StoreException e = assertThrows(StoreException.class, () -> await(store.messages().enqueue("bob", "a",
                envelope("x"))));
        assertEquals(StoreException.Reason.CLOSED, e.reason());
        assertEquals(StoreException.Reason.CLOSED,
                assertThrows(StoreException.class, () -> await(store.accounts().find("bob"))).reason());
        assertFalse(store.health().healthy());
        assertEquals(StoreException.Reason.CLOSED, store.health().failure().orElseThrow().reason());
        assertEquals(StoreException.Reason.CLOSED,
                assertThrows(StoreException.class, () -> await(store.whenHealthy())).reason());
    }
}
