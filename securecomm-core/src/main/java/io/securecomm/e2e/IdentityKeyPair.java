package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A client's secret long-term identity: the Ed25519 signing key and the X25519 key-agreement key whose
 * public halves form the {@link IdentityKey}.
 *
 * <p>A secret: {@link #toString()} is redacted, there is no value equality, and {@link #close()} wipes
 * the private keys (best effort: the JVM may have copied them). After close every use throws
 * {@link IllegalStateException}. Thread-safe for concurrent reads; do not close while in use.
 */
public final class IdentityKeyPair implements AutoCloseable {
    private static final int SECRET_VERSION = 1;

    private final IdentityKey publicKey;
    private final byte[] signingPrivate;
    private final byte[] agreementPrivate;
    private volatile boolean closed;

    private IdentityKeyPair(IdentityKey publicKey, byte[] signingPrivate, byte[] agreementPrivate) {
        this.publicKey = publicKey;
        this.signingPrivate = signingPrivate;
        this.agreementPrivate = agreementPrivate;
    }

    /**
     * Generates a fresh identity with the platform's default {@link SecureRandom}.
     *
     * @return the new identity
     */
    public static IdentityKeyPair generate() {
        return generate(new SecureRandom());
    }

    /**
     * Generates a fresh identity.
     *
     * @param random the randomness source
     * @return the new identity
     */
    public static IdentityKeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[][] ed = Ed25519.generate(random);
        byte[][] x = X25519.generate(random);
        byte[] binding = Ed25519.sign(ed[0], IdentityKey.bindingMessage(x[1]));
        return new IdentityKeyPair(new IdentityKey(ed[1], x[1], binding), ed[0], x[0]);
    }

    /**
     * Returns the public identity.
     *
     * @return the identity key
     */
    public IdentityKey publicKey() {
        return publicKey;
    }

    /**
     * Returns the X25519 key-agreement key as a Noise static key pair, so that the key a client proves
     * in the Noise handshake with the relay is the same key that its {@link IdentityKey} binds.
     *
     * @return a new key pair holding a copy of the private key; the caller owns and closes it
     * @throws IllegalStateException if this identity is closed
     */
    public NoiseKeyPair noiseStaticKeyPair() {
        checkOpen();
        return NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, agreementPrivate);
    }

    /** Signs with the Ed25519 identity key; callers put a domain-separation context in {@code message}. */
    byte[] sign(byte[] message) {
        checkOpen();
        return Ed25519.sign(signingPrivate, message);
    }

    /** {@code DH(IK, publicKey)} with the X25519 identity key. */
    byte[] dh(byte[] publicKey) throws InvalidEncodingException {
        checkOpen();
        return X25519.dh(agreementPrivate, publicKey);
    }

    /** The persistent form, for the file store only: version(1) || ed25519 seed(32) || x25519(32) || identity(128). */
    byte[] encodeSecret() {
        checkOpen();
        return new ByteWriter().u8(SECRET_VERSION).bytes(signingPrivate).bytes(agreementPrivate)
                .bytes(publicKey.encode()).toByteArray();
    }

    static IdentityKeyPair decodeSecret(byte[] encoded) throws InvalidEncodingException, InvalidSignatureException {
        ByteReader r = new ByteReader(encoded, "identity key pair");
        int v = r.u8();
        if (v != SECRET_VERSION) {
            throw new InvalidEncodingException("identity key pair version " + v + " is not " + SECRET_VERSION);
        }
        byte[] ed = r.bytes(Ed25519.PRIVATE_KEY_BYTES);
        byte[] x = r.bytes(X25519.KEY_BYTES);
        IdentityKey pub = IdentityKey.read(r);
        r.end();
        return new IdentityKeyPair(pub, ed, x);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("identity key pair is closed");
        }
    }

    /** Wipes the private keys. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(signingPrivate, (byte) 0);
        Arrays.fill(agreementPrivate, (byte) 0);
    }

    /**
     * Redacted: shows only the public fingerprint.
     *
     * @return {@code IdentityKeyPair[public=..., private=<redacted>]}
     */
    @Override
    public String toString() {
        return "IdentityKeyPair[public=" + publicKey.fingerprint() + ", private=<redacted>]";
    }
}
