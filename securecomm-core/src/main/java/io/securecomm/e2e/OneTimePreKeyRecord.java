package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A one-time pre-key with its private half, kept by its owner in a {@link PreKeyStore} until a
 * pre-key message (a session's first message) uses it, then deleted.
 *
 * <p>A secret: redacted {@link #toString()}, no value equality, {@link #close()} wipes the private key
 * (best effort on the JVM). Not thread-safe.
 */
public final class OneTimePreKeyRecord implements AutoCloseable {
    private static final int VERSION = 1;

    private final int id;
    private final byte[] privateKey;
    private final byte[] publicKey;

    private OneTimePreKeyRecord(int id, byte[] privateKey, byte[] publicKey) {
        this.id = id;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * Generates a one-time pre-key.
     *
     * @param id its identifier
     * @param random the randomness source
     * @return the new pre-key
     */
    public static OneTimePreKeyRecord generate(int id, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[][] kp = X25519.generate(random);
        return new OneTimePreKeyRecord(id, kp[0], kp[1]);
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
     * Returns the public half, to publish.
     *
     * @return the public pre-key
     */
    public PublicPreKey publicPreKey() {
        return new PublicPreKey(id, publicKey);
    }

    byte[] dh(byte[] peerPublic) throws InvalidEncodingException {
        return X25519.dh(privateKey, peerPublic);
    }

    /** A deep copy, so that stores and callers can each close their own. */
    OneTimePreKeyRecord copy() {
        return new OneTimePreKeyRecord(id, privateKey.clone(), publicKey.clone());
    }

    byte[] encodeSecret() {
        return new ByteWriter().u8(VERSION).u32(id).bytes(privateKey).bytes(publicKey).toByteArray();
    }

    static OneTimePreKeyRecord decodeSecret(byte[] b) throws InvalidEncodingException {
        ByteReader r = new ByteReader(b, "one-time pre-key record");
        if (r.u8() != VERSION) {
            throw new InvalidEncodingException("one-time pre-key record has an unknown version");
        }
        OneTimePreKeyRecord rec = new OneTimePreKeyRecord(r.u32(), r.bytes(X25519.KEY_BYTES),
                r.bytes(X25519.KEY_BYTES));
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
        return "OneTimePreKeyRecord[id=" + id + ", private=<redacted>]";
    }
}
