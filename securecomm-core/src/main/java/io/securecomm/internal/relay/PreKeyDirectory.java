package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.InvalidPreKeyException;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PublicPreKey;
import io.securecomm.e2e.SignedKemPreKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's in-memory store of published pre-keys, per online client: the latest signed curve pre-key and
 * last-resort ML-KEM pre-key, and a queue of one-time pre-keys of each kind (curve and ML-KEM), each handed out at
 * most once. Nothing is written to disk, and a client's entry is dropped when it leaves ({@link #remove}), so a client
 * publishes afresh on every connection.
 *
 * <p>The relay only checks what it can without secrets; it never holds a private key. An upload must be a PQXDH one
 * (a version 1 upload, without ML-KEM pre-keys, is refused with a message that says so), pass
 * {@link PreKeyUpload#checkKeys()} (canonical curve keys, none of small order, ML-KEM keys that pass FIPS 203's
 * check, one-time ids 1 to 2<sup>31</sup> - 1 and distinct), repeat no one-time id of its kind that the directory
 * still holds for the client, bind the client's Noise static key, and carry signatures that verify. A verified signed
 * part (identity, signed curve pre-key, last-resort KEM pre-key) is remembered by its SHA-256
 * ({@value #VERIFIED_SIGNED_PRE_KEYS_REMEMBERED} of them), so an upload that repeats one costs no verification of it
 * ({@link #needsVerification}); each one-time KEM pre-key's signature is verified every time.
 *
 * <p>Bundle requests are bounded, so that no client can drain another's one-time pre-keys (which would leave
 * later sessions without the replay protection and the early deletion they give, PQXDH sections 4.2 and 4.3):
 * <ul>
 *   <li><b>per requester</b>: one client gets at most {@value #MAX_BUNDLES_PER_REQUESTER_AND_TARGET} bundles of
 *       the same client within {@link #BUNDLE_REQUEST_WINDOW} (an honest client needs one per session); further
 *       requests are refused ({@link Waiter#refused});</li>
 *   <li><b>per target</b>: at most {@value #MAX_ONE_TIME_PRE_KEYS_PER_TARGET} of one client's one-time curve
 *       pre-keys and {@value #MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET} of its one-time KEM pre-keys are handed out
 *       within the window, whoever asks; beyond that, bundles come without a one-time curve pre-key and with the
 *       last-resort KEM pre-key (PQXDH allows both), so that many requesters together can slow the use of a client's
 *       one-time pre-keys, but neither drain them nor make the client unreachable. The KEM allowance is below what
 *       the client keeps at the relay ({@code PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS}), so that draining at full speed
 *       costs its owner one replenishing upload per window.</li>
 * </ul>
 * Both are sliding windows over the injected {@link Clock}. A request for a client that has not uploaded yet waits
 * for its upload, each requester in its own places ({@value #MAX_WAITING_REQUESTS_PER_REQUESTER} per target), so
 * that no number of other requesters can have an honest one refused.
 *
 * <p>Thread-safe: each entry is locked on its own, so requests for different clients never contend.
 */
public final class PreKeyDirectory {
    /** The most bundles of one client that one requester gets within {@link #BUNDLE_REQUEST_WINDOW}. */
    public static final int MAX_BUNDLES_PER_REQUESTER_AND_TARGET = 3;

    /** The most one-time pre-keys of one client handed out, to anyone, within {@link #BUNDLE_REQUEST_WINDOW}. */
    public static final int MAX_ONE_TIME_PRE_KEYS_PER_TARGET = 50;

    /** The sliding window of both bounds on bundle requests. */
    public static final Duration BUNDLE_REQUEST_WINDOW = Duration.ofMinutes(10);

    /**
     * The most one-time KEM pre-keys of one client handed out, to anyone, within {@link #BUNDLE_REQUEST_WINDOW}:
     * about one replenishing upload's worth.
     */
    public static final int MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET = 8;

    /** The most one-time curve pre-keys kept per client; further ones in an upload are ignored. */
    public static final int MAX_ONE_TIME_PRE_KEYS_PER_CLIENT = PreKeyUpload.MAX_ONE_TIME_PRE_KEYS;

    /**
     * The most one-time KEM pre-keys kept per client (1638 bytes each: 52 KiB per client, 13 MiB for a full relay of
     * 256); further ones in an upload are ignored. A client keeps 14 at the relay.
     */
    public static final int MAX_ONE_TIME_KEM_PRE_KEYS_PER_CLIENT = 32;

    /**
     * The most bundle requests of one requester that may wait for one client's first upload. There is no cap on the
     * queue as a whole that others could fill: each requester has its own places, so a client's queue holds at most
     * this many waits per other online client, and only until the handshake timeout (then {@code NO_PRE_KEYS}).
     */
    public static final int MAX_WAITING_REQUESTS_PER_REQUESTER = MAX_BUNDLES_PER_REQUESTER_AND_TARGET;

    /**
     * How many verified signed parts (identity, signed curve pre-key, last-resort KEM pre-key, with their
     * signatures) the directory remembers, by SHA-256, so that an upload that repeats one costs no signature
     * verification (three, about 0.5 ms each in the JDK); least recently used first out.
     */
    public static final int VERIFIED_SIGNED_PRE_KEYS_REMEMBERED = 4096;

    /** Bytes 1 to 1866 of an upload: the identity, the signed curve pre-key and the last-resort KEM pre-key. */
    private static final int SIGNED_PART_BYTES = PreKeyUpload.SIGNED_PART_BYTES;

    private final ConcurrentHashMap<Integer, PublishedPreKeys> entries = new ConcurrentHashMap<>();
    private final VerifiedSet verified = new VerifiedSet(VERIFIED_SIGNED_PRE_KEYS_REMEMBERED);
    private final Clock clock;

    /** Creates an empty directory on the system clock. */
    public PreKeyDirectory() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty directory.
     *
     * @param clock the time of the bounds on bundle requests
     */
    public PreKeyDirectory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores a client's upload: the signed curve pre-key and the last-resort KEM pre-key replace the previous ones,
     * the one-time pre-keys are added (up to {@value #MAX_ONE_TIME_PRE_KEYS_PER_CLIENT} curve and
     * {@value #MAX_ONE_TIME_KEM_PRE_KEYS_PER_CLIENT} KEM ones).
     *
     * @param clientId the uploading client
     * @param noiseStaticKey the client's Noise static public key, as authenticated by the handshake
     * @param encodedUpload the upload as the client sent it
     * @return how many one-time pre-keys of each kind the relay now holds for the client
     * @throws E2eException if the upload does not decode (a version 1 upload without KEM pre-keys among them:
     *     {@code PostQuantumRequiredException}), a signature fails, or its identity is not the client's Noise key
     *     (nothing is stored)
     */
    public Remaining upload(int clientId, byte[] noiseStaticKey, byte[] encodedUpload) throws E2eException {
        Objects.requireNonNull(noiseStaticKey, "noiseStaticKey");
        PreKeyUpload upload = PreKeyUpload.decodeWithoutVerifyingSignatures(encodedUpload);
        if (!MessageDigest.isEqual(upload.identity().agreementKey(), noiseStaticKey)) {
            throw new E2eException("the upload's identity key is not the key this client proved in the handshake");
        }
        ByteBuffer signedPart = signedPartDigest(encodedUpload);
        if (!verified.contains(signedPart)) {
            upload.verifySignedPart();
            verified.add(signedPart);
        }
        upload.verifyOneTimeKemPreKeys();
        PublishedPreKeys e = entries.computeIfAbsent(clientId, id -> new PublishedPreKeys());
        List<Map.Entry<Waiter, Handout>> answers = new ArrayList<>();
        Remaining left;
        synchronized (e) {
            if (e.upload != null && !e.upload.identity().equals(upload.identity())) {
                throw new E2eException("the upload's identity differs from this client's earlier upload");
            }
            for (PublicPreKey k : upload.oneTimePreKeys()) {
                if (e.oneTimeIds.contains(k.id())) {
                    throw new InvalidPreKeyException("one-time pre-key id " + k.id() + " is already published");
                }
            }
            for (SignedKemPreKey k : upload.oneTimeKemPreKeys()) {
                if (e.oneTimeKemIds.contains(k.id())) {
                    throw new InvalidPreKeyException("one-time KEM pre-key id " + k.id() + " is already published");
                }
            }
            e.upload = upload;
            for (PublicPreKey k : upload.oneTimePreKeys()) {
                if (e.oneTime.size() < MAX_ONE_TIME_PRE_KEYS_PER_CLIENT) {
                    e.oneTime.add(k);
                    e.oneTimeIds.add(k.id());
                }
            }
            for (SignedKemPreKey k : upload.oneTimeKemPreKeys()) {
                if (e.oneTimeKem.size() < MAX_ONE_TIME_KEM_PRE_KEYS_PER_CLIENT) {
                    e.oneTimeKem.add(k);
                    e.oneTimeKemIds.add(k.id());
                }
            }
            Instant now = clock.instant();
            for (Waiter w : e.waiting) {
                answers.add(Map.entry(w, e.handOut(now)));
            }
            e.waiting.clear();
            e.waitingPerRequester.clear();
            left = e.remaining();
        }
        // Outside the lock: a waiter writes to its requester's channel.
        answers.forEach(a -> a.getKey().bundle(a.getValue()));
        return left;
    }

    /**
     * Tells whether an upload's signed part needs verifying: whether its identity, signed curve pre-key and
     * last-resort KEM pre-key, with their signatures, were not verified together before (by any client's upload).
     * Reads only the fixed-place prefix of the encoding, without decoding the rest: for the relay's cost of an upload
     * before it does the work.
     *
     * @param encodedUpload an upload as a client sent it
     * @return {@code true} unless this signed part verified before (and is still remembered); {@code true} for an
     *     encoding too short to tell
     */
    public boolean needsVerification(byte[] encodedUpload) {
        if (encodedUpload.length < SIGNED_PART_BYTES + 1) {
            return true;
        }
        return !verified.contains(signedPartDigest(encodedUpload));
    }

    /**
     * How many one-time keys of each kind an upload carries, read from the two counts at their places without
     * decoding anything else: for the relay's cost of an upload before it does the work. An encoding that is too
     * short, or whose counts do not add up to its length, is counted as if all its bytes after the signed keys were
     * KEM pre-keys, the dearer kind, so that no encoding costs less than the work it can cause.
     *
     * @param encodedUpload an upload as a client sent it
     * @return the counts
     */
    public static Remaining oneTimeKeysIn(byte[] encodedUpload) {
        int fixed = PreKeyUpload.FIXED_BYTES;
        int worstCase = Math.max(0, (encodedUpload.length - fixed + SignedKemPreKey.ENCODED_BYTES - 1)
                / SignedKemPreKey.ENCODED_BYTES);
        if (encodedUpload.length < fixed) {
            return new Remaining(0, worstCase);
        }
        ByteBuffer b = ByteBuffer.wrap(encodedUpload);
        int curve = Short.toUnsignedInt(b.getShort(1 + SIGNED_PART_BYTES));
        int kemCountAt = 1 + SIGNED_PART_BYTES + 2 + curve * (4 + 32);
        if (kemCountAt + 2 > encodedUpload.length) {
            return new Remaining(0, worstCase);
        }
        int kem = Short.toUnsignedInt(b.getShort(kemCountAt));
        if (PreKeyUpload.encodedLength(curve, kem) != encodedUpload.length) {
            return new Remaining(0, worstCase);
        }
        return new Remaining(curve, kem);
    }

    /** SHA-256 of the upload's signed part, bytes 1 to {@value #SIGNED_PART_BYTES}: what its signatures cover. */
    private static ByteBuffer signedPartDigest(byte[] encodedUpload) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(encodedUpload, 1, SIGNED_PART_BYTES);
            return ByteBuffer.wrap(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Hands out a bundle now, or, if the client is online but has not uploaded yet (it was just
     * admitted, and its upload is on its way), registers the request to be answered by that upload; or refuses
     * it, if the requester asked for this client's bundle too often (see the class comment).
     *
     * @param requesterId the client asking
     * @param clientId the client whose bundle is wanted
     * @param waiter answered at most once: with the bundle when the upload arrives, {@code gone} if the
     *     client leaves first, or {@code refused} at once; the caller cancels it with {@link #cancel} after its
     *     own deadline
     * @return the bundle now, or empty if the request waits, or was refused (too many requests, or too many of
     *     this requester's waiting: then {@code waiter.refused(...)} was called)
     */
    public Optional<Handout> takeBundleOrWait(int requesterId, int clientId, Waiter waiter) {
        Objects.requireNonNull(waiter, "waiter");
        PublishedPreKeys e = entries.computeIfAbsent(clientId, id -> new PublishedPreKeys());
        Instant now = clock.instant();
        synchronized (e) {
            if (e.admitRequest(requesterId, now)) {
                if (e.upload != null) {
                    return Optional.of(e.handOut(now));
                }
                // Each requester has its own places in the queue: its waits are bounded, never another's.
                if (e.waitingPerRequester.getOrDefault(requesterId, 0) < MAX_WAITING_REQUESTS_PER_REQUESTER) {
                    e.waiting.add(waiter);
                    e.waiterOwners.put(waiter, requesterId);
                    e.waitingPerRequester.merge(requesterId, 1, Integer::sum);
                    return Optional.empty();
                }
            }
        }
        // Refusals are answered outside the lock: a waiter writes to its requester's channel.
        waiter.refused("client " + requesterId + " asked for the pre-key bundles of client " + clientId
                + " too often: at most " + MAX_BUNDLES_PER_REQUESTER_AND_TARGET + " per "
                + BUNDLE_REQUEST_WINDOW.toMinutes() + " minutes, at most " + MAX_WAITING_REQUESTS_PER_REQUESTER
                + " of them waiting for its first upload");
        return Optional.empty();
    }

    /**
     * Withdraws a waiting request (its deadline passed).
     *
     * @param clientId the client it waited for
     * @param waiter the request
     * @return {@code true} if it was still waiting (so it was never answered and never will be)
     */
    public boolean cancel(int clientId, Waiter waiter) {
        PublishedPreKeys e = entries.get(clientId);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            if (!e.waiting.remove(waiter)) {
                return false;
            }
            Integer requester = e.waiterOwners.remove(waiter);
            if (requester != null) {
                e.waitingPerRequester.computeIfPresent(requester, (id, n) -> n == 1 ? null : n - 1);
            }
            return true;
        }
    }

    /** A bundle request waiting for the owner's first upload. */
    public interface Waiter {
        /**
         * The upload arrived.
         *
         * @param handout the bundle for the requester
         */
        void bundle(Handout handout);

        /** The owner left: no bundle will come. */
        void gone();

        /**
         * The requester asked for this client's bundles too often; no bundle will come.
         *
         * @param reason one sentence, with the bound
         */
        void refused(String reason);
    }

    /**
     * Drops a client's pre-keys (it left).
     *
     * @param clientId the client
     */
    public void remove(int clientId) {
        PublishedPreKeys e = entries.remove(clientId);
        if (e != null) {
            List<Waiter> gone;
            synchronized (e) {
                gone = new ArrayList<>(e.waiting);
                e.waiting.clear();
                e.waiterOwners.clear();
                e.waitingPerRequester.clear();
            }
            gone.forEach(Waiter::gone);
        }
    }

    /**
     * One handed-out bundle.
     *
     * @param bundle the bundle for the requester
     * @param remaining how many one-time pre-keys of each kind the owner has left
     */
    public record Handout(PreKeyBundle bundle, Remaining remaining) {}

    /**
     * How many one-time pre-keys of each kind.
     *
     * @param oneTime one-time curve pre-keys
     * @param oneTimeKem one-time ML-KEM pre-keys
     */
    public record Remaining(int oneTime, int oneTimeKem) {}
}
