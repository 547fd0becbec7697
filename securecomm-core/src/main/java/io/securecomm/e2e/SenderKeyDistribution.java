package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import java.util.Objects;

/**
 * A room member's sender key, as sent to each other member through their pairwise
 * {@link SessionCipher} session: the sending chain's identifier, its current iteration and chain key,
 * and the Ed25519 public key that signs the chain's messages. Whoever holds it can read the member's
 * room messages from that iteration on (not earlier ones).
 *
 * <p>Encoding:
 * <pre>
 * +------+------+--------------+---------------+-----------------+----------------------+
 * | 0x01 | 0x04 | chain id (4) | iteration (4) | chain key (32)  | signing key (32)     |
 * +------+------+--------------+---------------+-----------------+----------------------+
 * </pre>
 *
 * <p>A secret (it carries a chain key): redacted {@link #toString()}, no value equality,
 * {@link #close()} wipes the chain key. Not thread-safe.
 */
public final class SenderKeyDistribution implements AutoCloseable {
    /** Type byte of a sender-key distribution. */
    public static final int TYPE = 4;
    /** Length of the encoding. */
    public static final int ENCODED_BYTES = 2 + 4 + 4 + ChainCrypto.KEY_BYTES + Ed25519.PUBLIC_KEY_BYTES;

    private final int chainId;
    private final int iteration;
    private final byte[] chainKey;
    private final byte[] signingKey;

    /**
     * Creates a distribution.
     *
     * @param chainId the chain's identifier
     * @param iteration the iteration of {@code chainKey}
     * @param chainKey the 32-byte chain key (copied)
     * @param signingKey the 32-byte Ed25519 public key (copied)
     * @throws IllegalArgumentException if a length is wrong
     */
    public SenderKeyDistribution(int chainId, int iteration, byte[] chainKey, byte[] signingKey) {
        Objects.requireNonNull(chainKey, "chainKey");
        Objects.requireNonNull(signingKey, "signingKey");
        if (chainKey.length != ChainCrypto.KEY_BYTES || signingKey.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("chain key and signing key must be 32 bytes each");
        }
        this.chainId = chainId;
        this.iteration = iteration;
        this.chainKey = chainKey.clone();
        this.signingKey = signingKey.clone();
    }

    /**
     * Returns the chain's identifier.
     *
     * @return the chain id
     */
    public int chainId() {
        return chainId;
    }

    /**
     * Returns the iteration the chain key is at.
     *
     * @return the iteration
     */
    public int iteration() {
        return iteration;
    }

    /**
     * Returns a copy of the signing public key.
     *
     * @return 32 bytes
     */
    public byte[] signingKey() {
        return signingKey.clone();
    }

    byte[] chainKey() {
        return chainKey.clone();
    }

    /**
     * Encodes the distribution, to encrypt with the pairwise session. The bytes are secret.
     *
     * @return {@value #ENCODED_BYTES} bytes
     */
    public byte[] encode() {
        return new ByteWriter().u8(RatchetMessage.VERSION).u8(TYPE).u32(chainId).u32(iteration).bytes(chainKey)
                .bytes(signingKey).toByteArray();
    }

    /**
     * Decodes a distribution (after the pairwise session decrypted it).
     *
     * @param encoded the encoding
     * @return the distribution
     * @throws InvalidEncodingException if it does not parse
     */
    public static SenderKeyDistribution decode(byte[] encoded) throws InvalidEncodingException {
        ByteReader r = new ByteReader(encoded, "sender-key distribution");
        int v = r.u8();
        int t = r.u8();
        if (v != RatchetMessage.VERSION || t != TYPE) {
            throw new InvalidEncodingException("sender-key distribution must start with version "
                    + RatchetMessage.VERSION + " type " + TYPE + ", was " + v + "/" + t);
        }
        SenderKeyDistribution d = new SenderKeyDistribution(r.u32(), r.u32(), r.bytes(ChainCrypto.KEY_BYTES),
                r.bytes(Ed25519.PUBLIC_KEY_BYTES));
        r.end();
        return d;
    }

    /** Wipes the chain key. */
    @Override
    public void close() {
        ChainCrypto.wipe(chainKey);
    }

    /**
     * Redacted.
     *
     * @return the chain id and iteration only
     */
    @Override
    public String toString() {
        return "SenderKeyDistribution[chain=" + Integer.toUnsignedString(chainId) + ", iteration="
                + Integer.toUnsignedString(iteration) + ", chainKey=<redacted>]";
    }
}
