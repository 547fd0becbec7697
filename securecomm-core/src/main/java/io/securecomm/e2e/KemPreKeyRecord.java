package io.securecomm.e2e;

import io.securecomm.crypto.MlKem1024;
import io.securecomm.crypto.MlKemKeyPair;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed ML-KEM-1024 pre-key with its private half (kept as the key pair's 64-byte seed), kept by its owner in a
 * {@link KemPreKeyStore}: a one-time one until a pre-key message (a session's first message) uses it, a last-resort one
 * until its replacement's grace period is over.
 *
 * <p>A secret: redacted {@link #toString()}, no value equality, {@link #close()} wipes the private key (best effort
 * on the JVM). Not thread-safe.
 */
public final class KemPreKeyRecord implements AutoCloseable {
    private static final int VERSION = 1;

    private final int id;
    private final KemPreKeyKind kind;
    private final byte[] seed;
    private final byte[] signature;
    private final Instant createdAt;
    /** Expanded from the seed when first needed: listing a store's keys by kind and age costs no ML-KEM work. */
    private MlKemKeyPair keyPair;
    private boolean closed;

    private KemPreKeyRecord(int id, KemPreKeyKind kind, byte[] seed, byte[] signature, Instant createdAt) {
        this.id = id;
        this.kind = kind;
        this.seed = seed;
        this.signature = signature;
        this.createdAt = createdAt;
    }

    private MlKemKeyPair keyPair() {
        if (closed) {
            throw new IllegalStateException("KEM pre-key record " + Integer.toUnsignedString(id) + " is closed");
        }
        if (keyPair == null) {
            keyPair = MlKem1024.keyPairFromSeed(seed);
        }
        return keyPair;
    }

    /**
     * Generates a KEM pre-key and signs it with the identity ({@code Sig(IK, EncodeKEM(PQPK))}, see
     * {@link SignedKemPreKey}).
     *
     * @param identity the owner's identity, which signs the key
     * @param id the identifier
     * @param kind last-resort or one-time
     * @param createdAt when it was made (for the last-resort key's rotation)
     * @param random the randomness source
     * @return the new pre-key
     */
    public static KemPreKeyRecord generate(IdentityKeyPair identity, int id, KemPreKeyKind kind, Instant createdAt,
            SecureRandom random) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(random, "random");
        MlKemKeyPair kp = MlKem1024.generateKeyPair(random);
        byte[] sig = identity.sign(SignedKemPreKey.signedMessage(kind, id, kp.publicKey()));
        KemPreKeyRecord r = new KemPreKeyRecord(id, kind, kp.exportSeed(), sig, createdAt);
        r.keyPair = kp;
        return r;
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
     * Returns the kind.
     *
     * @return last-resort or one-time
     */
    public KemPreKeyKind kind() {
        return kind;
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
     * @return the signed public KEM pre-key
     */
    public SignedKemPreKey publicPreKey() {
        return new SignedKemPreKey(id, kind, keyPair().publicKey(), signature);
    }

    /** {@code PQKEM-DEC(PQPK, CT)}: the shared secret SS; the caller wipes it. */
    byte[] decapsulate(byte[] ciphertext) {
        return keyPair().decapsulate(ciphertext);
    }

    /** A deep copy, so that stores and callers can each close their own. */
    KemPreKeyRecord copy() {
        return new KemPreKeyRecord(id, kind, seed.clone(), signature.clone(), createdAt);
    }

    /** The persistent form: version(1) || id(4) || kind(1) || seed(64) || signature(64) || createdAt (ms, 8). */
    byte[] encodeSecret() {
        return new ByteWriter().u8(VERSION).u32(id).u8(kind.code()).bytes(seed).bytes(signature)
                .u64(createdAt.toEpochMilli()).toByteArray();
    }

    static KemPreKeyRecord decodeSecret(byte[] b) throws InvalidEncodingException {
        ByteReader r = new ByteReader(b, "KEM pre-key record");
        if (r.u8() != VERSION) {
            throw new InvalidEncodingException("KEM pre-key record has an unknown version");
        }
        int id = r.u32();
        KemPreKeyKind kind = KemPreKeyKind.ofCode(r.u8());
        byte[] seed = r.bytes(MlKem1024.SEED_BYTES);
        byte[] signature = r.bytes(Ed25519.SIGNATURE_BYTES);
        Instant createdAt = Instant.ofEpochMilli(r.u64());
        r.end();
        return new KemPreKeyRecord(id, kind, seed, signature, createdAt);
    }

    /** Wipes the private key. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(seed, (byte) 0);
        if (keyPair != null) {
            keyPair.close();
        }
    }

    /**
     * Redacted.
     *
     * @return the kind and the id only
     */
    @Override
    public String toString() {
        return "KemPreKeyRecord[" + kind + ", id=" + Integer.toUnsignedString(id) + ", private=<redacted>]";
    }
}
