package io.securecomm.crypto.insecure;

import java.util.Arrays;

/**
 * The transport of the INSECURE legacy suite: provides NO integrity and no real confidentiality. Each record is
 * the plaintext XORed with the repeating 16-byte key ({@link RepeatingKeyXorCipher}) from a running keystream
 * position, one position per direction starting at 0, exactly as the toy did; there is no tag, so {@link
 * #open(byte[])} accepts any bytes and a flipped ciphertext bit flips the same plaintext bit, undetected.
 * Both directions use the same key, so their keystreams are identical (a two-time pad).
 *
 * <p>A secret: {@link #toString()} is redacted and {@link #close()} wipes the key (best effort on the JVM). Not
 * thread-safe.
 */
public final class LegacyTransport implements AutoCloseable {
    private final RepeatingKeyXorCipher cipher;
    private long sealPosition;
    private long openPosition;

    private LegacyTransport(byte[] key) {
        this.cipher = new RepeatingKeyXorCipher(key);
    }

    /**
     * Derives the transport from a Diffie-Hellman shared secret, as both ends (and an attacker who recovered the
     * secret) do: key = {@link SmallPrimeDiffieHellman#deriveXorKey(long, int)} with {@link
     * LegacySuite#KEY_LENGTH_BYTES}.
     *
     * @param sharedSecret the shared secret
     * @return a transport at keystream positions 0
     */
    public static LegacyTransport fromSharedSecret(long sharedSecret) {
        byte[] key = SmallPrimeDiffieHellman.deriveXorKey(sharedSecret, LegacySuite.KEY_LENGTH_BYTES);
        try {
            return new LegacyTransport(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Encrypts one outbound record (the encoded message) and advances the outbound position.
     *
     * @param plaintext the encoded message; not modified
     * @return the record
     * @throws IllegalStateException if closed
     */
    public byte[] seal(byte[] plaintext) {
        byte[] out = plaintext.clone();
        cipher.apply(sealPosition, out, 0, out.length);
        sealPosition += out.length;
        return out;
    }

    /**
     * Decrypts one inbound record and advances the inbound position. Never fails on content: there is nothing
     * to check.
     *
     * @param record the record; not modified
     * @return the plaintext, whatever the record held
     * @throws IllegalStateException if closed
     */
    public byte[] open(byte[] record) {
        byte[] out = record.clone();
        cipher.apply(openPosition, out, 0, out.length);
        openPosition += out.length;
        return out;
    }

    /**
     * The keystream position of the next outbound record.
     *
     * @return the bytes sealed so far
     */
    public long sealPosition() {
        return sealPosition;
    }

    /**
     * The keystream position of the next inbound record.
     *
     * @return the bytes opened so far
     */
    public long openPosition() {
        return openPosition;
    }

    /** Wipes the key; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        cipher.close();
    }

    /**
     * Describes the transport without the key.
     *
     * @return the positions and a redaction marker
     */
    @Override
    public String toString() {
        return "LegacyTransport[INSECURE, key=<redacted>, sealPosition=" + sealPosition + ", openPosition="
                + openPosition + "]";
    }
}
