package io.securecomm.e2e;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Generates the pre-keys a client publishes and keeps: on connect {@link #prepareUpload}, and whenever
 * the relay reports that few one-time pre-keys are left, {@link #replenish}. Each call stores the new
 * private halves in the {@link ProtocolStore} and returns the {@link PreKeyUpload} to send.
 *
 * <p>Signed pre-keys follow X3DH section 2.2: a new one is made once the current one is older than
 * {@link #SIGNED_PRE_KEY_ROTATION}, on connect and on a schedule while connected
 * ({@link #rotateSignedPreKeyIfDue}); a replaced one is kept for {@link #SIGNED_PRE_KEY_GRACE} after its
 * replacement, so that a session started with it whose first reply is still to come decrypts, and is then deleted,
 * for forward secrecy. Every decision reads the injected {@link Clock}.
 *
 * <p>One-time pre-keys: a client publishes a fresh batch on every connection (the relay forgets a client's
 * pre-keys when it leaves), while the private halves stay in the store until a message uses them. A key the
 * relay handed out during an earlier connection may still be named by a session that has not heard back, so
 * keys are not dropped at once; instead the store keeps at most {@value #MAX_STORED_ONE_TIME_PRE_KEYS}, and
 * beyond that the oldest go first. Identifiers ascend (each batch continues after the largest stored one), so
 * the oldest are the smallest. An identifier can come back only once every newer key was used; a stale
 * message naming it then fails authentication and is reported, and the new key is not consumed.
 * Thread-safe if the store is (stateless).
 */
public final class PreKeys {
    /** How many one-time pre-keys the relay should hold after an upload. */
    public static final int TARGET_ONE_TIME_PRE_KEYS = 100;
    /** When the relay holds fewer one-time pre-keys than this, the client replenishes. */
    public static final int LOW_WATERMARK = 20;
    /** How old a signed pre-key may become before a new one is made. */
    public static final Duration SIGNED_PRE_KEY_ROTATION = Duration.ofDays(7);
    /**
     * How long a replaced signed pre-key is kept after its replacement: a peer that fetched the old bundle
     * keeps naming it until this client replies, and its messages still decrypt for this long. Then it is
     * deleted, so a later theft of this client's state cannot decrypt those first messages.
     */
    public static final Duration SIGNED_PRE_KEY_GRACE = Duration.ofDays(14);
    /**
     * The most one-time pre-keys kept in the store: ten connections' worth of {@link #TARGET_ONE_TIME_PRE_KEYS}.
     * Beyond it the oldest are deleted, and a message that names one of them can no longer be decrypted.
     */
    public static final int MAX_STORED_ONE_TIME_PRE_KEYS = 10 * TARGET_ONE_TIME_PRE_KEYS;

    private PreKeys() {}

    /**
     * Prepares an upload: ensures a current signed pre-key (rotating it if too old) and generates
     * {@code oneTimeCount} new one-time pre-keys, storing the private halves.
     *
     * @param store the client's store
     * @param oneTimeCount how many one-time pre-keys to generate, 0 to {@link PreKeyUpload#MAX_ONE_TIME_PRE_KEYS}
     * @param clock the clock, for signed pre-key rotation
     * @param random the randomness source
     * @return the upload to send to the relay
     * @throws IllegalArgumentException if {@code oneTimeCount} is out of range
     */
    public static PreKeyUpload prepareUpload(ProtocolStore store, int oneTimeCount, Clock clock, SecureRandom random) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (oneTimeCount < 0 || oneTimeCount > PreKeyUpload.MAX_ONE_TIME_PRE_KEYS) {
            throw new IllegalArgumentException("one-time pre-key count must be 0.." + PreKeyUpload.MAX_ONE_TIME_PRE_KEYS
                    + ", got " + oneTimeCount);
        }
        IdentityKeyPair identity = store.identityKeyPair();
        SignedPreKeyRecord current = rotateIfDue(store, clock.instant(), random).orElse(null);
        if (current == null) {
            current = currentSignedPreKey(store).orElseThrow();
        }
        try {
            List<PublicPreKey> oneTime = new ArrayList<>(oneTimeCount);
            java.util.Set<Integer> batch = new java.util.HashSet<>();
            int id = firstNewPreKeyId(store, oneTimeCount, random);
            for (int i = 0; i < oneTimeCount; i++, id++) {
                while (store.containsPreKey(id)) {
                    id++; // only after a wrap to 1: never overwrite a stored key
                }
                try (OneTimePreKeyRecord r = OneTimePreKeyRecord.generate(id, random)) {
                    store.storePreKey(r);
                    oneTime.add(r.publicPreKey());
                    batch.add(id);
                }
            }
            pruneOneTimePreKeys(store, batch);
            return new PreKeyUpload(identity.publicKey(), current.publicPreKey(), oneTime);
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    /**
     * Rotates the signed pre-key if it is due, and deletes replaced ones whose grace period is over. A connected
     * client calls this on a schedule (say hourly); the time of every decision is the clock's.
     *
     * @param store the client's store
     * @param clock the clock
     * @param random the randomness source
     * @return an upload with the new signed pre-key and no one-time pre-keys (the relay keeps the ones it
     *     holds), to send to the relay; or empty if the current signed pre-key is not due yet
     */
    public static Optional<PreKeyUpload> rotateSignedPreKeyIfDue(ProtocolStore store, Clock clock,
            SecureRandom random) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Optional<SignedPreKeyRecord> rotated = rotateIfDue(store, clock.instant(), random);
        try {
            return rotated.map(spk -> new PreKeyUpload(store.identityKeyPair().publicKey(), spk.publicPreKey(),
                    List.of()));
        } finally {
            rotated.ifPresent(SignedPreKeyRecord::close);
        }
    }

    /**
     * Makes and stores a new signed pre-key if there is none or the newest is older than
     * {@link #SIGNED_PRE_KEY_ROTATION}, then deletes replaced ones past their grace period.
     *
     * @return the new signed pre-key (the caller closes it), or empty if none was due
     */
    private static Optional<SignedPreKeyRecord> rotateIfDue(ProtocolStore store, Instant now, SecureRandom random) {
        Optional<SignedPreKeyRecord> current = currentSignedPreKey(store);
        boolean due = current.map(c -> c.createdAt().plus(SIGNED_PRE_KEY_ROTATION).isBefore(now)).orElse(true);
        current.ifPresent(SignedPreKeyRecord::close);
        SignedPreKeyRecord fresh = null;
        if (due) {
            List<Integer> used = store.signedPreKeyIds();
            int id;
            do {
                id = random.nextInt(Integer.MAX_VALUE);
            } while (used.contains(id));
            fresh = SignedPreKeyRecord.generate(store.identityKeyPair(), id, now, random);
            store.storeSignedPreKey(fresh);
        }
        deleteReplacedSignedPreKeys(store, now);
        return Optional.ofNullable(fresh);
    }

    /**
     * The identifier of the first key of a new batch: after the largest stored one, or random in a fresh store.
     * Identifiers stay within 1 to {@link Integer#MAX_VALUE}; a batch that would pass the top starts again at 1
     * (after some twenty million connections).
     */
    private static int firstNewPreKeyId(PreKeyStore store, int count, SecureRandom random) {
        List<Integer> ids = store.preKeyIds();
        long next = ids.isEmpty() ? 1 + random.nextInt(1 << 30) : 1L + java.util.Collections.max(ids);
        return next + count - 1 > Integer.MAX_VALUE ? 1 : (int) next;
    }

    /**
     * Deletes the oldest (smallest) one-time pre-keys beyond {@link #MAX_STORED_ONE_TIME_PRE_KEYS}, never one of
     * the batch just published.
     */
    private static void pruneOneTimePreKeys(PreKeyStore store, java.util.Set<Integer> batch) {
        List<Integer> older = new ArrayList<>(store.preKeyIds());
        int excess = older.size() - MAX_STORED_ONE_TIME_PRE_KEYS;
        if (excess <= 0) {
            return;
        }
        older.removeAll(batch);
        java.util.Collections.sort(older);
        for (int id : older.subList(0, Math.min(excess, older.size()))) {
            store.removePreKey(id);
        }
    }

    /**
     * Tells whether the client should replenish, given how many one-time pre-keys the relay still holds.
     *
     * @param remainingAtRelay the relay's count
     * @return whether it is below {@value #LOW_WATERMARK}
     */
    public static boolean needsReplenish(int remainingAtRelay) {
        return remainingAtRelay < LOW_WATERMARK;
    }

    /**
     * Prepares an upload that brings the relay back to {@value #TARGET_ONE_TIME_PRE_KEYS} one-time
     * pre-keys.
     *
     * @param store the client's store
     * @param remainingAtRelay how many the relay still holds
     * @param clock the clock
     * @param random the randomness source
     * @return the upload (possibly with no one-time pre-keys, if the relay has enough)
     */
    public static PreKeyUpload replenish(ProtocolStore store, int remainingAtRelay, Clock clock, SecureRandom random) {
        return prepareUpload(store, Math.max(0, TARGET_ONE_TIME_PRE_KEYS - Math.max(0, remainingAtRelay)), clock,
                random);
    }

    /**
     * Returns the newest signed pre-key.
     *
     * @param store the store
     * @return the newest signed pre-key (the caller owns and closes it), or empty if there is none
     */
    public static Optional<SignedPreKeyRecord> currentSignedPreKey(SignedPreKeyStore store) {
        List<SignedPreKeyRecord> all = sortedNewestFirst(store);
        for (int i = 1; i < all.size(); i++) {
            all.get(i).close();
        }
        return all.stream().findFirst();
    }

    private static List<SignedPreKeyRecord> sortedNewestFirst(SignedPreKeyStore store) {
        List<SignedPreKeyRecord> all = new ArrayList<>();
        for (int id : store.signedPreKeyIds()) {
            store.loadSignedPreKey(id).ifPresent(all::add);
        }
        all.sort(Comparator.comparing(SignedPreKeyRecord::createdAt).reversed());
        return all;
    }

    /**
     * Deletes every signed pre-key whose replacement (the next newer one) was made at least
     * {@link #SIGNED_PRE_KEY_GRACE} ago; the newest is never deleted.
     */
    private static void deleteReplacedSignedPreKeys(SignedPreKeyStore store, Instant now) {
        List<SignedPreKeyRecord> all = sortedNewestFirst(store);
        for (int i = 0; i < all.size(); i++) {
            if (i > 0 && !all.get(i - 1).createdAt().plus(SIGNED_PRE_KEY_GRACE).isAfter(now)) {
                store.removeSignedPreKey(all.get(i).id());
            }
        }
        all.forEach(SignedPreKeyRecord::close);
    }
}
