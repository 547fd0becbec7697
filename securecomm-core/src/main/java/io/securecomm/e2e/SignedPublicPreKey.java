package io.securecomm.e2e;

import io.securecomm.e2e.internal.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The public half of a signed pre-key: an X25519 key signed by its owner's identity signing key over
 * {@code "securecomm-signed-prekey-v1" || id (4, big-endian) || publicKey}. Immutable; arrays are
 * copied in and out.
 *
 * @param id the signed pre-key's identifier
 * @param publicKey the 32-byte X25519 public key
 * @param signature the 64-byte Ed25519 signature by the owner's {@link IdentityKey}
 */
public record SignedPublicPreKey(int id, byte[] publicKey, byte[] signature) {
    private static final byte[] CONTEXT = "securecomm-signed-prekey-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Creates the record, without checking the signature (see {@link #verify(IdentityKey)}).
     *
     * @param id the identifier
     * @param publicKey the 32-byte key
     * @param signature the 64-byte signature
     * @throws IllegalArgumentException if a length is wrong
     */
    public SignedPublicPreKey {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
        if (publicKey.length != X25519.KEY_BYTES || signature.length != Ed25519.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("signed pre-key must be 32 bytes with a 64-byte signature");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    static byte[] signedMessage(int id, byte[] publicKey) {
        byte[] idBytes = {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
        return Ed25519.concat(CONTEXT, idBytes, publicKey);
    }

    /**
     * Checks the signature against the owner's identity.
     *
     * @param owner the identity the bundle claims
     * @throws InvalidSignatureException if the signature does not verify
     */
    public void verify(IdentityKey owner) throws InvalidSignatureException {
        if (!owner.verifySignature(signedMessage(id, publicKey), signature)) {
            throw new InvalidSignatureException("signed pre-key " + id + " is not signed by identity "
                    + owner.fingerprint());
        }
    }

    /**
     * Returns a copy of the public key.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
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
     * Equal when id, key and signature are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPublicPreKey p && p.id == id && MessageDigest.isEqual(p.publicKey, publicKey)
                && MessageDigest.isEqual(p.signature, signature);
    }

    /**
     * Hashes all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return (31 * id + Arrays.hashCode(publicKey)) * 31 + Arrays.hashCode(signature);
    }

    /**
     * Shows the id and the key in hex.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "SignedPublicPreKey[id=" + id + ", publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
