package io.securecomm.e2e;

import static io.securecomm.e2e.ChainCrypto.wipe;

import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sender-key chain, as Signal's group design keeps it: a chain identifier, a chain key advanced
 * with {@code KDF_CK} (HMAC-SHA-256) once per message, and an Ed25519 key that signs every message of
 * the chain. The sender's own state holds the private signing key; a recipient's holds the public key.
 *
 * <p>Room message encoding (type 3):
 * <pre>
 * +------+------+--------------+---------------+----------------------+-----------------+
 * | 0x01 | 0x03 | chain id (4) | iteration (4) | ciphertext || tag    | signature (64)  |
 * +------+------+--------------+---------------+----------------------+-----------------+
 * </pre>
 * The message key of iteration {@code i} comes from {@code KDF_CK} applied {@code i} times; it is
 * expanded with HKDF-SHA-256 (info {@code "securecomm-sender-key-message-v1"}) into a ChaCha20-Poly1305
 * key and nonce, with the first {@value #HEADER_BYTES} bytes as associated data. The signature is
 * Ed25519 over {@code "securecomm-room-message-v1" || everything before it}; recipients check it
 * before they decrypt.
 *
 * <p>Out-of-order messages: a recipient may skip at most {@value #MAX_SKIP} iterations per message and
 * keeps at most {@value #MAX_SKIP} skipped message keys (oldest deleted first). Used keys are deleted
 * (forward secrecy along the chain). A failed decryption leaves the state unchanged.
 *
 * <p>A secret: redacted {@link #toString()}, {@link #close()} wipes the keys. Not thread-safe.
 */
final class SenderKeyState implements AutoCloseable {
    /** The most iterations one message may skip, and the most skipped message keys kept. */
    public static final int MAX_SKIP = 1000;
    /** Type byte of a room message. */
    public static final int MESSAGE_TYPE = 3;
    /** Length of a room message's header (version, type, chain id, iteration). */
    public static final int HEADER_BYTES = 10;

    private static final byte[] INFO_MESSAGE = "securecomm-sender-key-message-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE_CONTEXT = "securecomm-room-message-v1".getBytes(StandardCharsets.US_ASCII);

    private final int chainId;
    private final byte[] signingPublic;
    private final byte[] signingPrivate;
    private int iteration;
    private byte[] chainKey;
    private final LinkedHashMap<Integer, byte[]> skipped = new LinkedHashMap<>();

    private SenderKeyState(int chainId, int iteration, byte[] chainKey, byte[] signingPublic, byte[] signingPrivate) {
        this.chainId = chainId;
        this.iteration = iteration;
        this.chainKey = chainKey;
        this.signingPublic = signingPublic;
        this.signingPrivate = signingPrivate;
    }

    /**
     * Creates a fresh sending chain: random chain id, random chain key, new signing key pair.
     *
     * @param random the randomness source
     * @return the sender's own state
     */
    public static SenderKeyState newSendingChain(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] ck = new byte[ChainCrypto.KEY_BYTES];
        random.nextBytes(ck);
        byte[][] kp = Ed25519.generate(random);
        return new SenderKeyState(random.nextInt(), 0, ck, kp[1], kp[0]);
    }

    /**
     * Creates a recipient's state from a distribution received through a pairwise session.
     *
     * @param d the distribution
     * @return the receiving state
     */
    public static SenderKeyState fromDistribution(SenderKeyDistribution d) {
        return new SenderKeyState(d.chainId(), d.iteration(), d.chainKey(), d.signingKey(), null);
    }

    /**
     * Returns the chain identifier.
     *
     * @return the chain id
     */
    public int chainId() {
        return chainId;
    }

    /**
     * Returns the iteration of the current chain key (the next message's iteration).
     *
     * @return the iteration
     */
    public int iteration() {
        return iteration;
    }

    /**
     * Returns how many skipped message keys are kept.
     *
     * @return the count
     */
    public int skippedKeyCount() {
        return skipped.size();
    }

    /**
     * Returns the distribution of this sending chain at its current iteration, to send to a member
     * (who then reads messages from this iteration on).
     *
     * @return the distribution; the caller closes it after sending
     * @throws IllegalStateException if this is a receiving state
     */
    public SenderKeyDistribution distribution() {
        requireSending();
        return new SenderKeyDistribution(chainId, iteration, chainKey, signingPublic);
    }

    private void requireSending() {
        if (signingPrivate == null) {
            throw new IllegalStateException("this is a receiving sender-key state");
        }
    }

    /**
     * Encrypts and signs the next room message, advancing the chain and deleting the used key.
     *
     * @param plaintext the plaintext
     * @return the room message encoding
     * @throws IllegalStateException if this is a receiving state
     */
    public byte[] encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        requireSending();
        byte[][] out = ChainCrypto.KDF_CK(chainKey);
        wipe(chainKey);
        chainKey = out[0];
        byte[] mk = out[1];
        try {
            byte[] header = new ByteWriter().u8(RatchetMessage.VERSION).u8(MESSAGE_TYPE).u32(chainId).u32(iteration)
                    .toByteArray();
            byte[] ct = ChainCrypto.ENCRYPT(mk, plaintext, header, INFO_MESSAGE);
            byte[] body = Ed25519.concat(header, ct);
            byte[] sig = Ed25519.sign(signingPrivate, Ed25519.concat(SIGNATURE_CONTEXT, body));
            iteration++;
            return Ed25519.concat(body, sig);
        } finally {
            wipe(mk);
        }
    }

    /**
     * Reads the chain id of a room message without checking anything else.
     *
     * @param message a room message
     * @return its chain id
     * @throws InvalidEncodingException if it is not a room message
     */
    public static int chainIdOf(byte[] message) throws InvalidEncodingException {
        ByteReader r = new ByteReader(message, "room message");
        int v = r.u8();
        int t = r.u8();
        if (v != RatchetMessage.VERSION || t != MESSAGE_TYPE) {
            throw new InvalidEncodingException("room message must start with version " + RatchetMessage.VERSION
                    + " type " + MESSAGE_TYPE + ", was " + v + "/" + t);
        }
        int id = r.u32();
        r.u32();
        if (r.remaining() < 16 + Ed25519.SIGNATURE_BYTES) {
            throw new InvalidEncodingException("room message too short for a tag and a signature");
        }
        return id;
    }

    /**
     * Checks the signature, then decrypts a room message of this chain (bounded skip, replay refused).
     * On any failure the state is unchanged.
     *
     * @param message the room message
     * @return the plaintext
     * @throws InvalidEncodingException if it is not a room message of this chain
     * @throws InvalidSignatureException if the signature is not this chain's
     * @throws DuplicateMessageException if its key was already used
     * @throws TooManySkippedMessagesException if it is more than {@value #MAX_SKIP} iterations ahead
     * @throws InvalidMessageException if authentication fails
     */
    public byte[] decrypt(byte[] message) throws InvalidEncodingException, InvalidSignatureException,
            DuplicateMessageException, TooManySkippedMessagesException, InvalidMessageException {
        Objects.requireNonNull(message, "message");
        if (chainIdOf(message) != chainId) {
            throw new InvalidEncodingException("room message belongs to another chain");
        }
        int sigAt = message.length - Ed25519.SIGNATURE_BYTES;
        byte[] body = Arrays.copyOf(message, sigAt);
        byte[] sig = Arrays.copyOfRange(message, sigAt, message.length);
        if (!Ed25519.verify(signingPublic, Ed25519.concat(SIGNATURE_CONTEXT, body), sig)) {
            throw new InvalidSignatureException("room message is not signed by the sender's distributed key");
        }
        ByteReader r = new ByteReader(body, "room message");
        byte[] header = r.bytes(HEADER_BYTES);
        ByteReader hr = new ByteReader(header, "room message header");
        hr.bytes(6);
        int msgIteration = hr.u32();
        byte[] ct = r.rest();
        long target = Integer.toUnsignedLong(msgIteration);
        long current = Integer.toUnsignedLong(iteration);
        byte[] mk = skipped.get(msgIteration);
        if (mk != null) {
            byte[] pt = ChainCrypto.DECRYPT(mk, ct, header, INFO_MESSAGE);
            wipe(skipped.remove(msgIteration));
            return pt;
        }
        if (target < current) {
            throw new DuplicateMessageException("room message iteration " + Long.toString(target)
                    + " was already decrypted (or its key expired)");
        }
        if (target - current > MAX_SKIP) {
            throw new TooManySkippedMessagesException(target - current, MAX_SKIP);
        }
        // Derive on copies; commit only if the message authenticates.
        byte[] ck = chainKey.clone();
        LinkedHashMap<Integer, byte[]> newSkipped = new LinkedHashMap<>();
        try {
            for (long i = current; i < target; i++) {
                byte[][] out = ChainCrypto.KDF_CK(ck);
                wipe(ck);
                ck = out[0];
                newSkipped.put((int) i, out[1]);
            }
            byte[][] out = ChainCrypto.KDF_CK(ck);
            wipe(ck);
            ck = out[0];
            mk = out[1];
            byte[] pt;
            try {
                pt = ChainCrypto.DECRYPT(mk, ct, header, INFO_MESSAGE);
            } finally {
                wipe(mk);
            }
            wipe(chainKey);
            chainKey = ck;
            ck = null;
            iteration = (int) (target + 1);
            skipped.putAll(newSkipped);
            newSkipped.clear();
            Iterator<Map.Entry<Integer, byte[]>> it = skipped.entrySet().iterator();
            while (skipped.size() > MAX_SKIP && it.hasNext()) {
                wipe(it.next().getValue());
                it.remove();
            }
            return pt;
        } finally {
            wipe(ck);
            for (byte[] k : newSkipped.values()) {
                wipe(k);
            }
        }
    }

    /**
     * Returns a deep copy (for tests of forward secrecy: a snapshot of a recipient's state).
     *
     * @return an independent copy
     */
    SenderKeyState copy() {
        SenderKeyState c = new SenderKeyState(chainId, iteration, chainKey.clone(), signingPublic.clone(),
                signingPrivate == null ? null : signingPrivate.clone());
        for (Map.Entry<Integer, byte[]> e : skipped.entrySet()) {
            c.skipped.put(e.getKey(), e.getValue().clone());
        }
        return c;
    }

    /** Wipes the chain key, the skipped keys and the private signing key. */
    @Override
    public void close() {
        wipe(chainKey, signingPrivate);
        for (byte[] k : skipped.values()) {
            wipe(k);
        }
        skipped.clear();
    }

    /**
     * Redacted.
     *
     * @return the chain id and iteration only
     */
    @Override
    public String toString() {
        return "SenderKeyState[chain=" + Integer.toUnsignedString(chainId) + ", iteration="
                + Integer.toUnsignedString(iteration) + ", " + (signingPrivate == null ? "receiving" : "sending")
                + ", keys=<redacted>]";
    }
}
