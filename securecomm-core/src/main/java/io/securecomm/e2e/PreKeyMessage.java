package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteReader;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.X25519;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The initiator's messages until the responder first replies: the X3DH initial-message fields (section
 * 3.3 of the X3DH document) around a Double Ratchet message.
 *
 * <p>Encoding:
 * <pre>
 * +------+------+----------------+----------------+-----------+---------+-------------+-------------------+
 * | 0x01 | 0x02 | identity (128) | ephemeral (32) | spk id(4) | has (1) | [opk id (4)]| ratchet message   |
 * | ver  | type | IK_A           | EK_A           |           | 0 or 1  |             | (its own encoding)|
 * +------+------+----------------+----------------+-----------+---------+-------------+-------------------+
 * </pre>
 * The identity and the ephemeral key are authenticated implicitly: they determine SK, so any change
 * makes the inner message fail authentication.
 *
 * @param initiator the initiator's identity key IK_A
 * @param ephemeralKey the initiator's ephemeral key EK_A (32 bytes)
 * @param signedPreKeyId the responder's signed pre-key used
 * @param oneTimePreKeyId the responder's one-time pre-key used, or empty
 * @param message the first Double Ratchet message (or a later one sent before any reply)
 */
public record PreKeyMessage(IdentityKey initiator, byte[] ephemeralKey, int signedPreKeyId,
        OptionalInt oneTimePreKeyId, RatchetMessage message) {
    /** Type byte of a pre-key message. */
    public static final int TYPE = 2;

    /**
     * Creates the message.
     *
     * @param initiator IK_A
     * @param ephemeralKey EK_A, 32 bytes
     * @param signedPreKeyId the signed pre-key id
     * @param oneTimePreKeyId the one-time pre-key id or empty
     * @param message the ratchet message
     * @throws IllegalArgumentException if the ephemeral key is not 32 bytes
     */
    public PreKeyMessage {
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(ephemeralKey, "ephemeralKey");
        Objects.requireNonNull(oneTimePreKeyId, "oneTimePreKeyId");
        Objects.requireNonNull(message, "message");
        if (ephemeralKey.length != X25519.KEY_BYTES) {
            throw new IllegalArgumentException("ephemeral key must be 32 bytes, was " + ephemeralKey.length);
        }
        ephemeralKey = ephemeralKey.clone();
    }

    /**
     * Returns a copy of EK_A.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    /**
     * Encodes the message.
     *
     * @return the encoding shown above
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter().u8(RatchetMessage.VERSION).u8(TYPE).bytes(initiator.encode())
                .bytes(ephemeralKey).u32(signedPreKeyId).bool(oneTimePreKeyId.isPresent());
        oneTimePreKeyId.ifPresent(w::u32);
        return w.bytes(message.encode()).toByteArray();
    }

    /**
     * Decodes a pre-key message and verifies the initiator's identity binding.
     *
     * @param encoded the encoding
     * @return the message
     * @throws InvalidEncodingException if it does not parse
     * @throws InvalidSignatureException if the identity's binding signature is bad
     */
    public static PreKeyMessage decode(byte[] encoded) throws InvalidEncodingException, InvalidSignatureException {
        ByteReader r = new ByteReader(encoded, "pre-key message");
        int v = r.u8();
        int t = r.u8();
        if (v != RatchetMessage.VERSION || t != TYPE) {
            throw new InvalidEncodingException("pre-key message must start with version " + RatchetMessage.VERSION
                    + " type " + TYPE + ", was " + v + "/" + t);
        }
        IdentityKey id = IdentityKey.read(r);
        byte[] ek = r.bytes(X25519.KEY_BYTES);
        X25519.checkCanonical(ek);
        int spk = r.u32();
        OptionalInt opk = r.bool() ? OptionalInt.of(r.u32()) : OptionalInt.empty();
        RatchetMessage m = RatchetMessage.decode(r.rest());
        return new PreKeyMessage(id, ek, spk, opk, m);
    }

    /**
     * Equal when the encodings are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PreKeyMessage m && MessageDigest.isEqual(encode(), m.encode());
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
     * Describes the message without its ciphertext.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "PreKeyMessage[initiator=" + initiator.fingerprint() + ", spk=" + signedPreKeyId + ", opk="
                + oneTimePreKeyId + ", " + message + "]";
    }
}
