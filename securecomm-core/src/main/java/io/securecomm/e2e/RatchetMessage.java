package io.securecomm.e2e;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.e2e.internal.ByteWriter;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One Double Ratchet message: the header {@code (dh, pn, n)} in the clear and the AEAD ciphertext.
 *
 * <p>Encoding ({@value #HEADER_BYTES}-byte header, then at least the 16-byte tag):
 * <pre>
 * +------+------+------------------+---------+--------+--------------------------+
 * | 0x01 | 0x01 | dh (32)          | pn (4)  | n (4)  | ciphertext || tag (16)   |
 * | ver  | type | sender's ratchet | prev.   | number |                          |
 * |      |      | public key       | chain   | in     |                          |
 * |      |      |                  | length  | chain  |                          |
 * +------+------+------------------+---------+--------+--------------------------+
 * </pre>
 * The associated data of the AEAD is {@code AD || header}, where {@code AD} is the PQXDH associated data
 * (fixed length, so the concatenation is unambiguous) and {@code header} is the first
 * {@value #HEADER_BYTES} bytes above, so tampering with any header byte fails authentication.
 *
 * @param dh the sender's current ratchet public key (32 bytes)
 * @param pn the number of messages in the sender's previous sending chain
 * @param n the message's number in the current sending chain
 * @param ciphertext the ciphertext followed by the tag
 */
record RatchetMessage(byte[] dh, int pn, int n, byte[] ciphertext) {
    /** Protocol version byte. */
    public static final int VERSION = 1;
    /** Type byte of a ratchet message. */
    public static final int TYPE = 1;
    /** Length of the header (version, type, dh, pn, n). */
    public static final int HEADER_BYTES = 2 + X25519.KEY_BYTES + 4 + 4;

    /**
     * Creates the message.
     *
     * @param dh 32 bytes
     * @param pn previous chain length
     * @param n message number
     * @param ciphertext ciphertext and tag, at least 16 bytes
     * @throws IllegalArgumentException if a length is wrong
     */
    public RatchetMessage {
        Objects.requireNonNull(dh, "dh");
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (dh.length != X25519.KEY_BYTES) {
            throw new IllegalArgumentException("dh must be 32 bytes, was " + dh.length);
        }
        if (ciphertext.length < AeadAlgorithm.TAG_SIZE_BYTES) {
            throw new IllegalArgumentException("ciphertext shorter than the tag");
        }
        dh = dh.clone();
        ciphertext = ciphertext.clone();
    }

    /**
     * Returns the header bytes, the part of the AEAD associated data that comes from the message.
     *
     * @return {@value #HEADER_BYTES} bytes
     */
    public byte[] header() {
        return new ByteWriter().u8(VERSION).u8(TYPE).bytes(dh).u32(pn).u32(n).toByteArray();
    }

    /**
     * Encodes the message.
     *
     * @return header then ciphertext
     */
    public byte[] encode() {
        return new ByteWriter().bytes(header()).bytes(ciphertext).toByteArray();
    }

    /**
     * Decodes a message.
     *
     * @param encoded the encoding
     * @return the message
     * @throws InvalidEncodingException if the version or type is wrong or it is too short
     */
    public static RatchetMessage decode(byte[] encoded) throws InvalidEncodingException {
        ByteReader r = new ByteReader(encoded, "ratchet message");
        int v = r.u8();
        int t = r.u8();
        if (v != VERSION || t != TYPE) {
            throw new InvalidEncodingException("ratchet message must start with version " + VERSION + " type " + TYPE
                    + ", was " + v + "/" + t);
        }
        byte[] dh = r.bytes(X25519.KEY_BYTES);
        X25519.checkCanonical(dh);
        int pn = r.u32();
        int n = r.u32();
        if (r.remaining() < AeadAlgorithm.TAG_SIZE_BYTES) {
            throw new InvalidEncodingException("ratchet message ciphertext is " + r.remaining()
                    + " bytes, shorter than the " + AeadAlgorithm.TAG_SIZE_BYTES + "-byte tag");
        }
        return new RatchetMessage(dh, pn, n, r.rest());
    }

    /**
     * Returns a copy of the ratchet public key.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] dh() {
        return dh.clone();
    }

    /**
     * Returns a copy of the ciphertext.
     *
     * @return ciphertext and tag
     */
    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * Equal when the encodings are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof RatchetMessage m && MessageDigest.isEqual(encode(), m.encode());
    }

    /**
     * Hashes the encoding.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    /**
     * Shows the header.
     *
     * @return a description without the ciphertext
     */
    @Override
    public String toString() {
        return "RatchetMessage[dh=" + HexFormat.of().formatHex(dh, 0, 8) + "..., pn=" + Integer.toUnsignedString(pn)
                + ", n=" + Integer.toUnsignedString(n) + ", ciphertext=" + ciphertext.length + " bytes]";
    }
}
