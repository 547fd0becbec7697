package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PublicPreKey;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's in-memory store of published pre-keys, per online client: the latest signed pre-key and a
 * queue of one-time pre-keys, each handed out at most once. Nothing is written to disk, and a client's
 * entry is dropped when it leaves ({@link #remove}), so a client publishes afresh on every connection.
 *
 * <p>The relay only checks what it can without secrets ({@link PreKeyUpload#decode} verifies the
 * signatures; the identity's X25519 key must be the client's Noise static key); it never holds a private
 * key.
 *
 * <p>Bundle requests are bounded, so that no client can drain another's one-time pre-keys (which would leave
 * later sessions without the replay protection they give, X3DH section 4.2):
 * <ul>
 *   <li><b>per requester</b>: one client gets at most {@value #MAX_BUNDLES_PER_REQUESTER_AND_TARGET} bundles of
 *       the same client within {@link #BUNDLE_REQUEST_WINDOW} (an honest client needs one per session); further
 *       requests are refused ({@link Waiter#refused});</li>
 *   <li><b>per target</b>: at most {@value #MAX_ONE_TIME_PRE_KEYS_PER_TARGET} of one client's one-time pre-keys
 *       are handed out within the window, whoever asks; beyond that, bundles come without one (X3DH allows it),
 *       so that many requesters together can slow the use of a client's one-time pre-keys, but neither drain
 *       them nor make the client unreachable.</li>
 * </ul>
 * Both are sliding windows over the injected {@link Clock}.
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

    /** The most one-time pre-keys kept per client; further ones in an upload are ignored. */
    public static final int MAX_ONE_TIME_PRE_KEYS_PER_CLIENT = PreKeyUpload.MAX_ONE_TIME_PRE_KEYS;

    /** The most bundle requests that may wait for one client's first upload. */
    public static final int MAX_WAITING_REQUESTS_PER_CLIENT = 256;

    private final ConcurrentHashMap<Integer, Entry> entries = new ConcurrentHashMap<>();
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
     * Stores a client's upload: the signed pre-key replaces the previous one, the one-time pre-keys are
     * added (up to {@value #MAX_ONE_TIME_PRE_KEYS_PER_CLIENT}).
     *
     * @param clientId the uploading client
     * @param noiseStaticKey the client's Noise static public key, as authenticated by the handshake
     * @param encodedUpload the upload as the client sent it
     * @return how many one-time pre-keys the relay now holds for the client
     * @throws E2eException if the upload does not decode, a signature fails, or its identity is not the
     *     client's Noise key (nothing is stored)
     */
    public int upload(int clientId, byte[] noiseStaticKey, byte[] encodedUpload) throws E2eException {
        Objects.requireNonNull(noiseStaticKey, "noiseStaticKey");
        PreKeyUpload upload = PreKeyUpload.decode(encodedUpload);
        if (!MessageDigest.isEqual(upload.identity().agreementKey(), noiseStaticKey)) {
            throw new E2eException("the upload's identity key is not the key this client proved in the handshake");
        }
        Entry e = entries.computeIfAbsent(clientId, id -> new Entry());
        java.util.List<java.util.Map.Entry<Waiter, Handout>> answers = new java.util.ArrayList<>();
        int left;
        synchronized (e) {
            if (e.upload != null && !e.upload.identity().equals(upload.identity())) {
                throw new E2eException("the upload's identity differs from this client's earlier upload");
            }
            e.upload = upload;
            for (PublicPreKey k : upload.oneTimePreKeys()) {
                if (e.oneTime.size() < MAX_ONE_TIME_PRE_KEYS_PER_CLIENT) {
                    e.oneTime.add(k);
                }
            }
            Instant now = clock.instant();
            for (Waiter w : e.waiting) {
                PublicPreKey oneTime = e.takeOneTime(now);
                answers.add(java.util.Map.entry(w, new Handout(upload.bundle(oneTime), e.oneTime.size())));
            }
            e.waiting.clear();
            left = e.oneTime.size();
        }
        // Outside the lock: a waiter writes to its requester's channel.
        answers.forEach(a -> a.getKey().bundle(a.getValue()));
        return left;
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
     * @return the bundle now, or empty if the request waits (or was refused: too many waiting, then
     *     {@code waiter.gone()} was called; too many requests, then {@code waiter.refused(...)} was)
     */
    public Optional<Handout> takeBundleOrWait(int requesterId, int clientId, Waiter waiter) {
        Objects.requireNonNull(waiter, "waiter");
        Entry e = entries.computeIfAbsent(clientId, id -> new Entry());
        Instant now = clock.instant();
        boolean tooOften;
        synchronized (e) {
            tooOften = !e.admitRequest(requesterId, now);
            if (!tooOften && e.upload != null) {
                PublicPreKey oneTime = e.takeOneTime(now);
                return Optional.of(new Handout(e.upload.bundle(oneTime), e.oneTime.size()));
            }
            if (!tooOften && e.waiting.size() < MAX_WAITING_REQUESTS_PER_CLIENT) {
                e.waiting.add(waiter);
                return Optional.empty();
            }
        }
        // Refusals are answered outside the lock: a waiter writes to its requester's channel.
        if (tooOften) {
            waiter.refused("client " + requesterId + " asked for the pre-key bundles of client " + clientId
                    + " too often: at most " + MAX_BUNDLES_PER_REQUESTER_AND_TARGET + " per "
                    + BUNDLE_REQUEST_WINDOW.toMinutes() + " minutes");
        } else {
            waiter.gone();
        }
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
        Entry e = entries.get(clientId);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            return e.waiting.remove(waiter);
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

        /** The owner left, or too many requests were waiting: no bundle will come. */
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
        Entry e = entries.remove(clientId);
        if (e != null) {
            java.util.List<Waiter> gone;
            synchronized (e) {
                gone = new java.util.ArrayList<>(e.waiting);
                e.waiting.clear();
            }
            gone.forEach(Waiter::gone);
        }
    }

    /**
     * One handed-out bundle.
     *
     * @param bundle the bundle for the requester
     * @param remaining how many one-time pre-keys of the owner are left
     */
    public record Handout(PreKeyBundle bundle, int remaining) {}

    /** One client's published keys and the recent requests for them; guarded by its own lock. */
    private static final class Entry {
        PreKeyUpload upload;
        final ArrayDeque<PublicPreKey> oneTime = new ArrayDeque<>();
        final java.util.List<Waiter> waiting = new java.util.ArrayList<>();
        /** Per requester: when it was given (or promised) a bundle, within the window. */
        final Map<Integer, ArrayDeque<Instant>> requests = new HashMap<>();
        /** When one-time pre-keys were handed out, within the window. */
        final ArrayDeque<Instant> oneTimeHandedOut = new ArrayDeque<>();

        /** Records a request if the requester is within its bound; forgets requests older than the window. */
        boolean admitRequest(int requesterId, Instant now) {
            Instant horizon = now.minus(BUNDLE_REQUEST_WINDOW);
            requests.values().removeIf(times -> {
                forgetBefore(times, horizon);
                return times.isEmpty();
            });
            ArrayDeque<Instant> mine = requests.computeIfAbsent(requesterId, id -> new ArrayDeque<>());
            if (mine.size() >= MAX_BUNDLES_PER_REQUESTER_AND_TARGET) {
                return false;
            }
            mine.addLast(now);
            return true;
        }

        /** The next one-time pre-key, unless none is left or the window's allowance is used up. */
        PublicPreKey takeOneTime(Instant now) {
            forgetBefore(oneTimeHandedOut, now.minus(BUNDLE_REQUEST_WINDOW));
            if (oneTime.isEmpty() || oneTimeHandedOut.size() >= MAX_ONE_TIME_PRE_KEYS_PER_TARGET) {
                return null;
            }
            oneTimeHandedOut.addLast(now);
            return oneTime.poll();
        }

        private static void forgetBefore(ArrayDeque<Instant> times, Instant horizon) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                times.removeFirst();
            }
        }
    }
}
