package io.securecomm.e2e;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * Generates the pre-keys a client publishes and keeps: on connect {@link #prepareUploads}, and whenever the relay
 * reports that few one-time pre-keys of either kind are left, {@link #replenish}. Each call stores the new private
 * halves in the {@link ProtocolStore} and returns the {@link PreKeyUpload}s to send, in order.
 *
 * <p><b>Signed keys.</b> The signed curve pre-key and the signed last-resort ML-KEM pre-key follow PQXDH section
 * 3.2 on the same schedule: a new one is made once the current one is older than {@link #SIGNED_PRE_KEY_ROTATION},
 * on connect and on a schedule while connected ({@link #rotateSignedPreKeysIfDue}); a replaced one is kept for
 * {@link #SIGNED_PRE_KEY_GRACE} after its replacement, so that a session started with it whose first reply is still
 * to come decrypts, and is then deleted, for forward secrecy. Every decision reads the injected {@link Clock}.
 *
 * <p><b>One-time keys.</b> A client publishes a fresh batch of each kind on every connection (the relay forgets a
 * client's pre-keys when it leaves), while the private halves stay in the store until a message uses them. A key the
 * relay handed out during an earlier connection may still be named by a session that has not heard back, so keys are
 * not dropped at once; instead the store keeps at most {@value #MAX_STORED_ONE_TIME_PRE_KEYS} curve and
 * {@value #MAX_STORED_ONE_TIME_KEM_PRE_KEYS} KEM one-time pre-keys, and beyond that the oldest go first. Identifiers
 * ascend (each batch continues after the largest stored one of its kind), so the oldest are the smallest. An
 * identifier can come back only once every newer key was used; a stale message naming it then fails authentication
 * and is reported, and the new key is not consumed.
 *
 * <p><b>Sizes.</b> An ML-KEM-1024 pre-key with its id and signature takes 1638 bytes, a curve one 36: a client keeps
 * {@value #TARGET_ONE_TIME_KEM_PRE_KEYS} one-time KEM pre-keys at the relay beside {@value #TARGET_ONE_TIME_PRE_KEYS}
 * curve ones, and splits what it publishes into uploads of at most {@value #UPLOAD_MAX_BYTES} bytes, each of which
 * fits the relay's default frame. On connect that is two uploads (the signed keys, 100 curve and 6 KEM one-time keys;
 * then 8 more KEM keys), well within the relay's upload allowance (docs/E2E.md, "Sizes and uploads").
 *
 * <p>Thread-safe if the store is (stateless).
 */
public final class PreKeys {
    /** How many one-time curve pre-keys the relay should hold after an upload. */
    public static final int TARGET_ONE_TIME_PRE_KEYS = 100;
    /** When the relay holds fewer one-time curve pre-keys than this, the client replenishes. */
    public static final int LOW_WATERMARK = 20;
    /**
     * How many one-time ML-KEM pre-keys the relay should hold after an upload: what two uploads carry beside the
     * curve keys of a connect (6 + 8), so that connecting costs two of the relay's upload allowance.
     */
    public static final int TARGET_ONE_TIME_KEM_PRE_KEYS = 14;
    /**
     * When the relay holds fewer one-time KEM pre-keys than this, the client replenishes: at most 8 are then
     * missing, which one upload carries.
     */
    public static final int KEM_LOW_WATERMARK = 7;
    /**
     * The most bytes of one encoded upload: the relay's default frame of 16,384 bytes less the Noise tag (16) and the
     * {@code UploadPreKeys} message's type, request id and length (11), so that every upload fits one default frame.
     */
    public static final int UPLOAD_MAX_BYTES = 16_384 - 16 - 11;
    /** How old a signed pre-key (curve, or last-resort KEM) may become before a new one is made. */
    public static final Duration SIGNED_PRE_KEY_ROTATION = Duration.ofDays(7);
    /**
     * How long a replaced signed pre-key (curve, or last-resort KEM) is kept after its replacement: a peer that
     * fetched the old bundle keeps naming it until this client replies, and its messages still decrypt for this long.
     * Then it is deleted, so a later theft of this client's state cannot decrypt those first messages.
     */
    public static final Duration SIGNED_PRE_KEY_GRACE = Duration.ofDays(14);
    /**
     * The most one-time curve pre-keys kept in the store: ten connections' worth of {@link #TARGET_ONE_TIME_PRE_KEYS}.
     * Beyond it the oldest are deleted, and a message that names one of them can no longer be decrypted.
     */
    public static final int MAX_STORED_ONE_TIME_PRE_KEYS = 10 * TARGET_ONE_TIME_PRE_KEYS;
    /** The most one-time KEM pre-keys kept in the store: ten connections' worth, as for the curve ones. */
    public static final int MAX_STORED_ONE_TIME_KEM_PRE_KEYS = 10 * TARGET_ONE_TIME_KEM_PRE_KEYS;

    private PreKeys() {}

    /**
     * Prepares what to publish: ensures a current signed curve pre-key and last-resort KEM pre-key (rotating them if
     * too old), generates {@code oneTimeCount} one-time curve and {@code oneTimeKemCount} one-time KEM pre-keys,
     * stores the private halves, and packs everything into uploads of at most {@value #UPLOAD_MAX_BYTES} bytes, each
     * with the signed keys (curve keys first).
     *
     * @param store the client's store
     * @param oneTimeCount how many one-time curve pre-keys to generate, 0 to {@value #MAX_STORED_ONE_TIME_PRE_KEYS}
     * @param oneTimeKemCount how many one-time KEM pre-keys to generate, 0 to
     *     {@value #MAX_STORED_ONE_TIME_KEM_PRE_KEYS}
     * @param clock the clock, for the signed keys' rotation
     * @param random the randomness source
     * @return the uploads to send, in order; at least one
     * @throws IllegalArgumentException if a count is out of range
     */
    public static List<PreKeyUpload> prepareUploads(ProtocolStore store, int oneTimeCount, int oneTimeKemCount,
            Clock clock, SecureRandom random) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        checkCount(oneTimeCount, MAX_STORED_ONE_TIME_PRE_KEYS, "one-time pre-key");
        checkCount(oneTimeKemCount, MAX_STORED_ONE_TIME_KEM_PRE_KEYS, "one-time KEM pre-key");
        Instant now = clock.instant();
        rotateIfDue(store, now, random).ifPresent(SignedPreKeyRecord::close);
        rotateLastResortIfDue(store, now, random).ifPresent(KemPreKeyRecord::close);
        IdentityKeyPair identity = store.identityKeyPair();
        try (SignedPreKeyRecord spk = currentSignedPreKey(store).orElseThrow();
                KemPreKeyRecord lastResort = currentLastResortKemPreKey(store).orElseThrow()) {
            List<PublicPreKey> oneTime = generateOneTime(store, oneTimeCount, random);
            List<SignedKemPreKey> oneTimeKem = generateOneTimeKem(store, identity, oneTimeKemCount, now, random);
            return pack(identity.publicKey(), spk.publicPreKey(), lastResort.publicPreKey(), oneTime, oneTimeKem);
        }
    }

    /**
     * Prepares one upload with all the given keys, as {@link #prepareUploads} does but without splitting: for a
     * transport without the relay's default frame limit, and for tests. A client of a securecomm relay uses
     * {@link #prepareUploads}.
     *
     * @param store the client's store
     * @param oneTimeCount how many one-time curve pre-keys to generate, 0 to
     *     {@value PreKeyUpload#MAX_ONE_TIME_PRE_KEYS}
     * @param oneTimeKemCount how many one-time KEM pre-keys to generate, 0 to
     *     {@value PreKeyUpload#MAX_ONE_TIME_KEM_PRE_KEYS}
     * @param clock the clock, for the signed keys' rotation
     * @param random the randomness source
     * @return the upload
     * @throws IllegalArgumentException if a count is out of range, or the upload would be longer than
     *     {@value PreKeyUpload#MAX_ENCODED_BYTES} bytes (nothing is generated then)
     */
    public static PreKeyUpload prepareUpload(ProtocolStore store, int oneTimeCount, int oneTimeKemCount, Clock clock,
            SecureRandom random) {
        checkCount(oneTimeCount, PreKeyUpload.MAX_ONE_TIME_PRE_KEYS, "one-time pre-key");
        checkCount(oneTimeKemCount, PreKeyUpload.MAX_ONE_TIME_KEM_PRE_KEYS, "one-time KEM pre-key");
        int length = PreKeyUpload.encodedLength(oneTimeCount, oneTimeKemCount);
        if (length > PreKeyUpload.MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("one upload of " + oneTimeCount + " one-time and " + oneTimeKemCount
                    + " one-time KEM pre-keys would take " + length + " bytes; the most is "
                    + PreKeyUpload.MAX_ENCODED_BYTES);
        }
        List<PreKeyUpload> parts = prepareUploads(store, oneTimeCount, oneTimeKemCount, clock, random);
        PreKeyUpload first = parts.get(0);
        List<PublicPreKey> oneTime = new ArrayList<>();
        List<SignedKemPreKey> oneTimeKem = new ArrayList<>();
        for (PreKeyUpload u : parts) {
            oneTime.addAll(u.oneTimePreKeys());
            oneTimeKem.addAll(u.oneTimeKemPreKeys());
        }
        return new PreKeyUpload(first.identity(), first.signedPreKey(), first.lastResortKemPreKey(), oneTime,
                oneTimeKem);
    }

    private static void checkCount(int count, int max, String what) {
        if (count < 0 || count > max) {
            throw new IllegalArgumentException(what + " count must be 0.." + max + ", got " + count);
        }
    }

    /** Splits the one-time keys into uploads of at most {@link #UPLOAD_MAX_BYTES}, curve keys first. */
    static List<PreKeyUpload> pack(IdentityKey identity, SignedPublicPreKey spk, SignedKemPreKey lastResort,
            List<PublicPreKey> oneTime, List<SignedKemPreKey> oneTimeKem) {
        List<PreKeyUpload> uploads = new ArrayList<>();
        int ec = 0;
        int kem = 0;
        do {
            int ecHere = 0;
            int kemHere = 0;
            while (ec + ecHere < oneTime.size() && ecHere < PreKeyUpload.MAX_ONE_TIME_PRE_KEYS
                    && PreKeyUpload.encodedLength(ecHere + 1, 0) <= UPLOAD_MAX_BYTES) {
                ecHere++;
            }
            while (ec + ecHere == oneTime.size() && kem + kemHere < oneTimeKem.size()
                    && kemHere < PreKeyUpload.MAX_ONE_TIME_KEM_PRE_KEYS
                    && PreKeyUpload.encodedLength(ecHere, kemHere + 1) <= UPLOAD_MAX_BYTES) {
                kemHere++;
            }
            uploads.add(new PreKeyUpload(identity, spk, lastResort, oneTime.subList(ec, ec + ecHere),
                    oneTimeKem.subList(kem, kem + kemHere)));
            ec += ecHere;
            kem += kemHere;
        } while (ec < oneTime.size() || kem < oneTimeKem.size());
        return uploads;
    }

    private static List<PublicPreKey> generateOneTime(ProtocolStore store, int count, SecureRandom random) {
        List<PublicPreKey> keys = new ArrayList<>(count);
        Set<Integer> batch = new HashSet<>();
        int id = firstNewId(store.preKeyIds(), count, random);
        for (int i = 0; i < count; i++, id++) {
            id = nextFree(id, store::containsPreKey);
            try (OneTimePreKeyRecord r = OneTimePreKeyRecord.generate(id, random)) {
                store.storePreKey(r);
                keys.add(r.publicPreKey());
                batch.add(id);
            }
        }
        prune(store.preKeyIds(), batch, MAX_STORED_ONE_TIME_PRE_KEYS, store::removePreKey);
        return keys;
    }

    private static List<SignedKemPreKey> generateOneTimeKem(ProtocolStore store, IdentityKeyPair identity, int count,
            Instant now, SecureRandom random) {
        List<SignedKemPreKey> keys = new ArrayList<>(count);
        Set<Integer> batch = new HashSet<>();
        List<Integer> oneTimeIds = kemIds(store, KemPreKeyKind.ONE_TIME);
        int id = firstNewId(oneTimeIds, count, random);
        for (int i = 0; i < count; i++, id++) {
            id = nextFree(id, store::containsKemPreKey); // the last-resort key's id among them
            try (KemPreKeyRecord r = KemPreKeyRecord.generate(identity, id, KemPreKeyKind.ONE_TIME, now, random)) {
                store.storeKemPreKey(r);
                keys.add(r.publicPreKey());
                batch.add(id);
            }
        }
        prune(kemIds(store, KemPreKeyKind.ONE_TIME), batch, MAX_STORED_ONE_TIME_KEM_PRE_KEYS,
                store::removeKemPreKey);
        return keys;
    }

    /** The identifiers of the stored KEM pre-keys of one kind (reading a record costs no ML-KEM work). */
    private static List<Integer> kemIds(KemPreKeyStore store, KemPreKeyKind kind) {
        List<Integer> ids = new ArrayList<>();
        for (int id : store.kemPreKeyIds()) {
            store.loadKemPreKey(id).ifPresent(r -> {
                if (r.kind() == kind) {
                    ids.add(id);
                }
                r.close();
            });
        }
        return ids;
    }

    /** Skips identifiers in use: only after a wrap to 1, or past the last-resort KEM pre-key's random id. */
    private static int nextFree(int id, IntPredicate used) {
        while (used.test(id)) {
            id = id == Integer.MAX_VALUE ? 1 : id + 1;
        }
        return id;
    }

    /**
     * Rotates the signed curve pre-key and the last-resort KEM pre-key if either is due, and deletes replaced ones
     * whose grace period is over. A connected client calls this on a schedule (say hourly); the time of every
     * decision is the clock's.
     *
     * @param store the client's store
     * @param clock the clock
     * @param random the randomness source
     * @return an upload with the current signed keys and no one-time pre-keys (the relay keeps the ones it holds), to
     *     send to the relay; or empty if neither was due
     */
    public static Optional<PreKeyUpload> rotateSignedPreKeysIfDue(ProtocolStore store, Clock clock,
            SecureRandom random) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Instant now = clock.instant();
        Optional<SignedPreKeyRecord> spk = rotateIfDue(store, now, random);
        Optional<KemPreKeyRecord> lastResort = rotateLastResortIfDue(store, now, random);
        spk.ifPresent(SignedPreKeyRecord::close);
        lastResort.ifPresent(KemPreKeyRecord::close);
        if (spk.isEmpty() && lastResort.isEmpty()) {
            return Optional.empty();
        }
        try (SignedPreKeyRecord currentSpk = currentSignedPreKey(store).orElseThrow();
                KemPreKeyRecord currentLastResort = currentLastResortKemPreKey(store).orElseThrow()) {
            return Optional.of(new PreKeyUpload(store.identityKeyPair().publicKey(), currentSpk.publicPreKey(),
                    currentLastResort.publicPreKey(), List.of(), List.of()));
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
     * Makes and stores a new last-resort KEM pre-key if there is none or the newest is older than
     * {@link #SIGNED_PRE_KEY_ROTATION}, then deletes replaced ones past their grace period.
     *
     * @return the new last-resort key (the caller closes it), or empty if none was due
     */
    private static Optional<KemPreKeyRecord> rotateLastResortIfDue(ProtocolStore store, Instant now,
            SecureRandom random) {
        Optional<KemPreKeyRecord> current = currentLastResortKemPreKey(store);
        boolean due = current.map(c -> c.createdAt().plus(SIGNED_PRE_KEY_ROTATION).isBefore(now)).orElse(true);
        current.ifPresent(KemPreKeyRecord::close);
        KemPreKeyRecord fresh = null;
        if (due) {
            int id;
            do {
                id = random.nextInt(Integer.MAX_VALUE);
            } while (store.containsKemPreKey(id));
            fresh = KemPreKeyRecord.generate(store.identityKeyPair(), id, KemPreKeyKind.LAST_RESORT, now, random);
            store.storeKemPreKey(fresh);
        }
        List<KemPreKeyRecord> all = lastResortNewestFirst(store);
        for (int i = 1; i < all.size(); i++) {
            if (!all.get(i - 1).createdAt().plus(SIGNED_PRE_KEY_GRACE).isAfter(now)) {
                store.removeKemPreKey(all.get(i).id());
            }
        }
        all.forEach(KemPreKeyRecord::close);
        return Optional.ofNullable(fresh);
    }

    /**
     * The identifier of the first key of a new batch: after the largest stored one of its kind, or random in a fresh
     * store. Identifiers stay within 1 to {@link Integer#MAX_VALUE}; a batch that would pass the top starts again at
     * 1 (after some twenty million connections).
     */
    private static int firstNewId(List<Integer> ids, int count, SecureRandom random) {
        long next = ids.isEmpty() ? 1 + random.nextInt(1 << 30) : 1L + Collections.max(ids);
        return next + count - 1 > Integer.MAX_VALUE ? 1 : (int) next;
    }

    /** Deletes the oldest (smallest) one-time keys beyond {@code max}, never one of the batch just published. */
    private static void prune(List<Integer> stored, Set<Integer> batch, int max, IntConsumer remove) {
        List<Integer> older = new ArrayList<>(stored);
        int excess = older.size() - max;
        if (excess <= 0) {
            return;
        }
        older.removeAll(batch);
        Collections.sort(older);
        for (int id : older.subList(0, Math.min(excess, older.size()))) {
            remove.accept(id);
        }
    }

    /**
     * Tells whether the client should replenish, given how many one-time pre-keys of each kind the relay still holds.
     *
     * @param remainingAtRelay the relay's count of one-time curve pre-keys
     * @param remainingKemAtRelay the relay's count of one-time KEM pre-keys
     * @return whether either is below its watermark ({@value #LOW_WATERMARK}, {@value #KEM_LOW_WATERMARK})
     */
    public static boolean needsReplenish(int remainingAtRelay, int remainingKemAtRelay) {
        return remainingAtRelay < LOW_WATERMARK || remainingKemAtRelay < KEM_LOW_WATERMARK;
    }

    /**
     * Prepares the uploads that bring the relay back to {@value #TARGET_ONE_TIME_PRE_KEYS} one-time curve and
     * {@value #TARGET_ONE_TIME_KEM_PRE_KEYS} one-time KEM pre-keys.
     *
     * @param store the client's store
     * @param remainingAtRelay how many one-time curve pre-keys the relay still holds
     * @param remainingKemAtRelay how many one-time KEM pre-keys the relay still holds
     * @param clock the clock
     * @param random the randomness source
     * @return the uploads, in order (one without one-time keys if the relay has enough of both)
     */
    public static List<PreKeyUpload> replenish(ProtocolStore store, int remainingAtRelay, int remainingKemAtRelay,
            Clock clock, SecureRandom random) {
        return prepareUploads(store, Math.max(0, TARGET_ONE_TIME_PRE_KEYS - Math.max(0, remainingAtRelay)),
                Math.max(0, TARGET_ONE_TIME_KEM_PRE_KEYS - Math.max(0, remainingKemAtRelay)), clock, random);
    }

    /**
     * Returns the newest signed curve pre-key.
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

    /**
     * Returns the newest last-resort KEM pre-key.
     *
     * @param store the store
     * @return the newest last-resort KEM pre-key (the caller owns and closes it), or empty if there is none
     */
    public static Optional<KemPreKeyRecord> currentLastResortKemPreKey(KemPreKeyStore store) {
        List<KemPreKeyRecord> all = lastResortNewestFirst(store);
        for (int i = 1; i < all.size(); i++) {
            all.get(i).close();
        }
        return all.stream().findFirst();
    }

    private static List<KemPreKeyRecord> lastResortNewestFirst(KemPreKeyStore store) {
        List<KemPreKeyRecord> all = new ArrayList<>();
        for (int id : store.kemPreKeyIds()) {
            store.loadKemPreKey(id).ifPresent(r -> {
                if (r.kind() == KemPreKeyKind.LAST_RESORT) {
                    all.add(r);
                } else {
                    r.close();
                }
            });
        }
        all.sort(Comparator.comparing(KemPreKeyRecord::createdAt).thenComparing(KemPreKeyRecord::id).reversed());
        return all;
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
