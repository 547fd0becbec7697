package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed pre-key with its private half, kept by its owner in a {@link SignedPreKeyStore}. Its
 * private key also becomes the owner's first Double Ratchet key pair in sessions started with it.
 *
 * <p>A secret: redacted {@link #toString()}, no value equality, {@link #close()} wipes the private key
 * (best effort on the JVM). Not thread-safe.
 */
public final class SignedPreKeyRecord implements AutoCloseable {
    private static final int VERSION = 1;

    private final int id;
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final byte[] signature;
    private final Instant createdAt;

    private SignedPreKeyRecord(int id, byte[] privateKey, byte[] publicKey, byte[] signature, Instant createdAt) {
        this.id = id;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.signature = signature;
        this.createdAt = createdAt;
    }

    /**
     * Generates a signed pre-key and signs it with the identity.
     *
     * @param identity the owner's identity, which signs the key
     * @param id the identifier
     * @param createdAt when it was made (for rotation)
     * @param random the randomness source
     * @return the new signed pre-key
     */
    public static SignedPreKeyRecord generate(IdentityKeyPair identity, int id, Instant createdAt,
            SecureRandom random) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(random, "random");
        byte[][] kp = X25519.generate(random);
        byte[] sig = identity.sign(SignedPublicPreKey.signedMessage(id, kp[1]));
        return new SignedPreKeyRecord(id, kp[0], kp[1], sig, createdAt);
    }

    /**
     * Returns the identifier.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * Returns when the key was made.
     *
     * @return the creation time
     */
    public Instant createdAt() {
        return createdAt;
    }

    /**
     * Returns the public half with its signature, to publish.
     *
     * @return the signed public pre-key
     */
    public SignedPublicPreKey publicPreKey() {
        return new SignedPublicPreKey(id, publicKey, signature);
    }

    byte[] dh(byte[] peerPublic) throws InvalidEncodingException {
        return X25519.dh(privateKey, peerPublic);
    }

    byte[] privateKeyCopy() {
        return privateKey.clone();
    }

    byte[] publicKeyCopy() {
        return publicKey.clone();
    }

    /** A deep copy, so that stores and callers can each close their own. */
    SignedPreKeyRecord copy() {
        return new SignedPreKeyRecord(id, privateKey.clone(), publicKey.clone(), signature.clone(), createdAt);
    }

    byte[] encodeSecret() {
        return new ByteWriter().u8(VERSION).u32(id).bytes(privateKey).bytes(publicKey).bytes(signature)
                .u64(createdAt.toEpochMilli()).toByteArray();
    }

    static SignedPreKeyRecord decodeSecret(byte[] b) throws InvalidEncodingException {
        ByteReader r = new ByteReader(b, "signed pre-key record");
        if (r.u8() != VERSION) {
            throw new InvalidEncodingException("signed pre-key record has an unknown version");
        }
        SignedPreKeyRecord rec = new SignedPreKeyRecord(r.u32(), r.bytes(X25519.KEY_BYTES), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES), Instant.ofEpochMilli(r.u64()));
        r.end();
        return rec;
    }

    /** Wipes the private key. */
    @Override
    public void close() {
        Arrays.fill(privateKey, (byte) 0);
    }

    /**
     * Redacted.
     *
     * @return the id only
     */
    @Override
    public String toString() {
        return "SignedPreKeyRecord[id=" + id + ", private=<redacted>]";
    }
}
