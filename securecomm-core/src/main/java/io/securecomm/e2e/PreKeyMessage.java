package io.securecomm.e2e;

import io.securecomm.crypto.MlKem1024;
import io.securecomm.e2e.internal.ByteWriter;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The initiator's messages until the responder first replies: PQXDH's initial message (section 3.3 of the PQXDH
 * specification: the identity key, the ephemeral key, the KEM ciphertext and the identifiers of the pre-keys used)
 * around a Double Ratchet message.
 *
 * <p>Encoding (type {@value #TYPE}):
 * <pre>
 * +------+------+----------------+----------------+-----------+---------+--------------+------------+-----------------+-----------------+
 * | 0x01 | 0x05 | identity (128) | ephemeral (32) | spk id(4) | has (1) | [opk id (4)] | kem id (4) | KEM ciphertext  | ratchet message |
 * | ver  | type | IK_A           | EK_A           |           | 0 or 1  |              |            | CT (1568)       | (its encoding)  |
 * +------+------+----------------+----------------+-----------+---------+--------------+------------+-----------------+-----------------+
 * </pre>
 * The identity, the ephemeral key and the KEM ciphertext are authenticated implicitly: they determine SK, so any
 * change makes the inner message fail authentication (a changed ciphertext decapsulates to an unrelated secret, by
 * ML-KEM's implicit rejection). Type 2, X3DH's pre-key message without a KEM ciphertext, is refused with
 * {@link PostQuantumRequiredException}.
 *
 * @param initiator the initiator's identity key IK_A
 * @param ephemeralKey the initiator's ephemeral key EK_A (32 bytes)
 * @param signedPreKeyId the responder's signed curve pre-key used
 * @param oneTimePreKeyId the responder's one-time curve pre-key used, or empty
 * @param kemPreKeyId the responder's KEM pre-key used (one-time or last-resort)
 * @param kemCiphertext the KEM ciphertext CT that encapsulates SS to that key (1568 bytes)
 * @param message the first Double Ratchet message (or a later one sent before any reply)
 */
record PreKeyMessage(IdentityKey initiator, byte[] ephemeralKey, int signedPreKeyId,
        OptionalInt oneTimePreKeyId, int kemPreKeyId, byte[] kemCiphertext, RatchetMessage message) {
    /** Type byte of a PQXDH pre-key message. */
    public static final int TYPE = 5;
    /** Type byte of an X3DH pre-key message, from a client older than PQXDH: refused. */
    public static final int X3DH_TYPE = 2;

    /**
     * Creates the message.
     *
     * @param initiator IK_A
     * @param ephemeralKey EK_A, 32 bytes
     * @param signedPreKeyId the signed pre-key id
     * @param oneTimePreKeyId the one-time pre-key id or empty
     * @param kemPreKeyId the KEM pre-key id
     * @param kemCiphertext the KEM ciphertext, 1568 bytes
     * @param message the ratchet message
     * @throws IllegalArgumentException if the ephemeral key or the ciphertext has the wrong length
     */
    public PreKeyMessage {
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(ephemeralKey, "ephemeralKey");
        Objects.requireNonNull(oneTimePreKeyId, "oneTimePreKeyId");
        Objects.requireNonNull(kemCiphertext, "kemCiphertext");
        Objects.requireNonNull(message, "message");
        if (ephemeralKey.length != X25519.KEY_BYTES) {
            throw new IllegalArgumentException("ephemeral key must be 32 bytes, was " + ephemeralKey.length);
        }
        if (kemCiphertext.length != MlKem1024.CIPHERTEXT_BYTES) {
            throw new IllegalArgumentException("KEM ciphertext must be " + MlKem1024.CIPHERTEXT_BYTES + " bytes, was "
                    + kemCiphertext.length);
        }
        ephemeralKey = ephemeralKey.clone();
        kemCiphertext = kemCiphertext.clone();
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
     * Returns a copy of the KEM ciphertext.
     *
     * @return 1568 bytes
     */
    @Override
    public byte[] kemCiphertext() {
        return kemCiphertext.clone();
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
        return w.u32(kemPreKeyId).bytes(kemCiphertext).bytes(message.encode()).toByteArray();
    }

    /**
     * Decodes a pre-key message and verifies the initiator's identity binding.
     *
     * @param encoded the encoding
     * @return the message
     * @throws PostQuantumRequiredException if it is an X3DH pre-key message (type 2), without a KEM ciphertext
     * @throws InvalidEncodingException if it does not parse
     * @throws InvalidSignatureException if the identity's binding signature is bad
     */
    public static PreKeyMessage decode(byte[] encoded)
            throws PostQuantumRequiredException, InvalidEncodingException, InvalidSignatureException {
        ByteReader r = new ByteReader(encoded, "pre-key message");
        int v = r.u8();
        int t = r.u8();
        if (v == RatchetMessage.VERSION && t == X3DH_TYPE) {
            throw new PostQuantumRequiredException("pre-key message without a KEM ciphertext (X3DH, type 2, from an"
                    + " older client) refused: securecomm requires post-quantum session set-up (PQXDH)");
        }
        if (v != RatchetMessage.VERSION || t != TYPE) {
            throw new InvalidEncodingException("pre-key message must start with version " + RatchetMessage.VERSION
                    + " type " + TYPE + ", was " + v + "/" + t);
        }
        IdentityKey id = IdentityKey.read(r);
        byte[] ek = r.bytes(X25519.KEY_BYTES);
        X25519.checkCanonical(ek);
        int spk = r.u32();
        OptionalInt opk = r.bool() ? OptionalInt.of(r.u32()) : OptionalInt.empty();
        int kem = r.u32();
        byte[] ct = r.bytes(MlKem1024.CIPHERTEXT_BYTES);
        RatchetMessage m = RatchetMessage.decode(r.rest());
        return new PreKeyMessage(id, ek, spk, opk, kem, ct, m);
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
     * Describes the message without its ciphertexts.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "PreKeyMessage[initiator=" + initiator.fingerprint() + ", spk=" + signedPreKeyId + ", opk="
                + oneTimePreKeyId + ", kem=" + Integer.toUnsignedString(kemPreKeyId) + ", " + message + "]";
    }
}
