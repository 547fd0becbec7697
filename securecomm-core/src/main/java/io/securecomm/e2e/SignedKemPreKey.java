package io.securecomm.e2e;

import io.securecomm.crypto.InvalidPublicKeyException;
import io.securecomm.crypto.MlKem1024;
import io.securecomm.crypto.MlKemPublicKey;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The public half of a signed ML-KEM-1024 pre-key (PQXDH's {@code PQSPK} or {@code PQOPK}): an encapsulation key
 * signed by its owner's identity signing key over
 * <pre>
 *   "securecomm-kem-prekey-v1" || kind (1) || id (4, big-endian) || EncodeKEM(key)
 *   EncodeKEM(key) = 0x01 (ML-KEM-1024) || the 1568-byte FIPS 203 encapsulation key
 * </pre>
 * {@code EncodeKEM} is distinct from the curve keys' encoding (a 32-byte u-coordinate signed under
 * {@code "securecomm-signed-prekey-v1"}): other context, other length, a type byte, so no signature over one can pass
 * for a signature over the other (PQXDH section 4.5). The signature also covers the kind and the id, so a relay can
 * neither relabel a one-time key as last-resort nor move a key to another id.
 *
 * <p>Encoding, {@value #ENCODED_BYTES} bytes:
 * <pre>
 * +----------+--------+---------------------------------------+----------------+
 * | kind (1) | id (4) | EncodeKEM: 0x01 (1) | key (1568)      | signature (64) |
 * +----------+--------+---------------------------------------+----------------+
 * </pre>
 * Immutable; the signature array is copied in and out.
 *
 * @param id the pre-key's identifier, chosen by its owner
 * @param kind last-resort or one-time
 * @param publicKey the checked ML-KEM-1024 encapsulation key
 * @param signature the 64-byte Ed25519 signature by the owner's {@link IdentityKey}
 */
public record SignedKemPreKey(int id, KemPreKeyKind kind, MlKemPublicKey publicKey, byte[] signature) {
    /** The {@code EncodeKEM} type byte of ML-KEM-1024. */
    public static final int ML_KEM_1024_TYPE = 0x01;
    /** Length of {@link #encode()}. */
    public static final int ENCODED_BYTES = 1 + 4 + 1 + MlKem1024.PUBLIC_KEY_BYTES + Ed25519.SIGNATURE_BYTES;

    private static final byte[] CONTEXT = "securecomm-kem-prekey-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Creates the record, without checking the signature (see {@link #verify(IdentityKey)}).
     *
     * @param id the identifier
     * @param kind the kind
     * @param publicKey the encapsulation key
     * @param signature the 64-byte signature
     * @throws IllegalArgumentException if the signature is not 64 bytes
     */
    public SignedKemPreKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
        if (signature.length != Ed25519.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("KEM pre-key signature must be 64 bytes, was " + signature.length);
        }
        signature = signature.clone();
    }

    /** {@code EncodeKEM(key)}: the type byte and the encapsulation key. */
    static byte[] encodeKem(MlKemPublicKey key) {
        return new ByteWriter().u8(ML_KEM_1024_TYPE).bytes(key.encoded()).toByteArray();
    }

    static byte[] signedMessage(KemPreKeyKind kind, int id, MlKemPublicKey key) {
        return new ByteWriter().bytes(CONTEXT).u8(kind.code()).u32(id).bytes(encodeKem(key)).toByteArray();
    }

    /**
     * Checks the signature against the owner's identity.
     *
     * @param owner the identity the bundle or upload claims
     * @throws InvalidSignatureException if the signature does not verify
     */
    public void verify(IdentityKey owner) throws InvalidSignatureException {
        if (!owner.verifySignature(signedMessage(kind, id, publicKey), signature)) {
            throw new InvalidSignatureException(kindName() + " KEM pre-key " + Integer.toUnsignedString(id)
                    + " is not signed by identity " + owner.fingerprint());
        }
    }

    private String kindName() {
        return kind == KemPreKeyKind.LAST_RESORT ? "last-resort" : "one-time";
    }

    /**
     * Encodes the key.
     *
     * @return the {@value #ENCODED_BYTES} bytes shown above
     */
    public byte[] encode() {
        return write(new ByteWriter()).toByteArray();
    }

    ByteWriter write(ByteWriter w) {
        return w.u8(kind.code()).u32(id).bytes(encodeKem(publicKey)).bytes(signature);
    }

    /**
     * Decodes a key {@link #encode()} wrote, as the relay keeps a published one-time KEM pre-key in its store, checking
     * its structure and the encapsulation key, not its signature (the relay verified it when it was uploaded).
     *
     * @param encoded exactly {@value #ENCODED_BYTES} bytes
     * @return the key
     * @throws InvalidEncodingException if the kind or the KEM type byte is unknown, or the length is wrong
     * @throws InvalidPreKeyException if the encapsulation key fails FIPS 203's check
     */
    public static SignedKemPreKey decode(byte[] encoded) throws InvalidEncodingException, InvalidPreKeyException {
        ByteReader r = new ByteReader(encoded, "KEM pre-key");
        SignedKemPreKey key = read(r);
        r.end();
        return key;
    }

    /**
     * Reads a key from the middle of a larger encoding, checking its structure and the encapsulation key (FIPS
     * 203's modulus check), not its signature.
     *
     * @param r the reader
     * @return the key
     * @throws InvalidEncodingException if the kind or the KEM type byte is unknown, or the input ends early
     * @throws InvalidPreKeyException if the encapsulation key fails FIPS 203's check
     */
    static SignedKemPreKey read(ByteReader r) throws InvalidEncodingException, InvalidPreKeyException {
        KemPreKeyKind kind = KemPreKeyKind.ofCode(r.u8());
        int id = r.u32();
        int type = r.u8();
        if (type != ML_KEM_1024_TYPE) {
            throw new InvalidEncodingException("unknown KEM type " + type + " (only 1, ML-KEM-1024, is defined)");
        }
        byte[] key = r.bytes(MlKem1024.PUBLIC_KEY_BYTES);
        byte[] signature = r.bytes(Ed25519.SIGNATURE_BYTES);
        try {
            return new SignedKemPreKey(id, kind, MlKem1024.publicKey(key), signature);
        } catch (InvalidPublicKeyException e) {
            throw new InvalidPreKeyException("KEM pre-key " + Integer.toUnsignedString(id) + " is not a valid"
                    + " ML-KEM-1024 key: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a copy of the signature.
     *
     * @return 64 bytes
     */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Equal when id, kind, key and signature are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignedKemPreKey p && p.id == id && p.kind == kind && p.publicKey.equals(publicKey)
                && MessageDigest.isEqual(p.signature, signature);
    }

    /**
     * Hashes all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(id, kind, publicKey, Arrays.hashCode(signature));
    }

    /**
     * Shows the kind, the id and the start of the key.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "SignedKemPreKey[" + kindName() + ", id=" + Integer.toUnsignedString(id) + ", " + publicKey + "]";
    }
}
