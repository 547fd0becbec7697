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
 * <p>The signed pre-key is rotated when older than {@link #SIGNED_PRE_KEY_ROTATION}; the
 * {@value #KEPT_SIGNED_PRE_KEYS} newest are kept so that messages started with a previous one still
 * decrypt.
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
    /** How many signed pre-keys are kept (the current one and older ones). */
    public static final int KEPT_SIGNED_PRE_KEYS = 3;
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
        Instant now = clock.instant();
        SignedPreKeyRecord current = currentSignedPreKey(store).orElse(null);
        try {
            if (current == null || current.createdAt().plus(SIGNED_PRE_KEY_ROTATION).isBefore(now)) {
                if (current != null) {
                    current.close();
                }
                List<Integer> used = store.signedPreKeyIds();
                int id;
                do {
                    id = random.nextInt(Integer.MAX_VALUE);
                } while (used.contains(id));
                current = SignedPreKeyRecord.generate(identity, id, now, random);
                store.storeSignedPreKey(current);
                pruneSignedPreKeys(store);
            }
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

    private static void pruneSignedPreKeys(SignedPreKeyStore store) {
        List<SignedPreKeyRecord> all = sortedNewestFirst(store);
        for (int i = 0; i < all.size(); i++) {
            if (i >= KEPT_SIGNED_PRE_KEYS) {
                store.removeSignedPreKey(all.get(i).id());
            }
            all.get(i).close();
        }
    }
}
