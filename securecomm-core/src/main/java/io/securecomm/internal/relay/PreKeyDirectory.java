package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PublicPreKey;
import java.security.MessageDigest;
import java.util.ArrayDeque;
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
 * key. Thread-safe: each entry is locked on its own, so requests for different clients never contend.
 */
public final class PreKeyDirectory {
    /** The most one-time pre-keys kept per client; further ones in an upload are ignored. */
    public static final int MAX_ONE_TIME_PRE_KEYS_PER_CLIENT = PreKeyUpload.MAX_ONE_TIME_PRE_KEYS;

    /** The most bundle requests that may wait for one client's first upload. */
    public static final int MAX_WAITING_REQUESTS_PER_CLIENT = 256;

    private final ConcurrentHashMap<Integer, Entry> entries = new ConcurrentHashMap<>();

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
            for (Waiter w : e.waiting) {
                PublicPreKey oneTime = e.oneTime.poll();
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
     * admitted, and its upload is on its way), registers the request to be answered by that upload.
     *
     * @param clientId the client whose bundle is wanted
     * @param waiter answered at most once: with the bundle when the upload arrives, or {@code gone} if the
     *     client leaves first; the caller cancels it with {@link #cancel} after its own deadline
     * @return the bundle now, or empty if the request waits (or was refused: too many waiting, then
     *     {@code waiter.gone()} was called)
     */
    public Optional<Handout> takeBundleOrWait(int clientId, Waiter waiter) {
        Objects.requireNonNull(waiter, "waiter");
        Entry e = entries.computeIfAbsent(clientId, id -> new Entry());
        synchronized (e) {
            if (e.upload != null) {
                PublicPreKey oneTime = e.oneTime.poll();
                return Optional.of(new Handout(e.upload.bundle(oneTime), e.oneTime.size()));
            }
            if (e.waiting.size() < MAX_WAITING_REQUESTS_PER_CLIENT) {
                e.waiting.add(waiter);
                return Optional.empty();
            }
        }
        waiter.gone();
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

    private static final class Entry {
        PreKeyUpload upload;
        final ArrayDeque<PublicPreKey> oneTime = new ArrayDeque<>();
        final java.util.List<Waiter> waiting = new java.util.ArrayList<>();
    }
}
