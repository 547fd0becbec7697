package io.securecomm.e2e.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032, pure, no context) on raw 32-byte keys and 64-byte signatures, through the JDK's
 * {@code Ed25519} provider. Keys cross this boundary as raw bytes; the JCA encodings (X.509
 * SubjectPublicKeyInfo, PKCS#8) are built from the fixed RFC 8410 prefixes. Thread-safe (stateless).
 */
public final class Ed25519 {
    /** Length of a public key. */
    public static final int PUBLIC_KEY_BYTES = 32;
    /** Length of a private key (the RFC 8032 seed). */
    public static final int PRIVATE_KEY_BYTES = 32;
    /** Length of a signature. */
    public static final int SIGNATURE_BYTES = 64;

    // RFC 8410: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    // RFC 8410: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
        0x04, 0x22, 0x04, 0x20};

    private Ed25519() {}

    /**
     * Generates a key pair.
     *
     * @param random the randomness source
     * @return {@code [private seed (32), public key (32)]}
     */
    public static byte[][] generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, random);
            KeyPair kp = g.generateKeyPair();
            byte[] priv = ((EdECPrivateKey) kp.getPrivate()).getBytes()
                    .orElseThrow(() -> new IllegalStateException("Ed25519 provider hides the private key bytes"));
            byte[] spki = kp.getPublic().getEncoded();
            byte[] pub = Arrays.copyOfRange(spki, spki.length - PUBLIC_KEY_BYTES, spki.length);
            return new byte[][] {priv, pub};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks Ed25519", e);
        }
    }

    /**
     * Signs a message.
     *
     * @param privateKey the 32-byte seed
     * @param message the message
     * @return the 64-byte signature
     */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        if (privateKey.length != PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("Ed25519 private key must be 32 bytes, was " + privateKey.length);
        }
        byte[] pkcs8 = concat(PKCS8_PREFIX, privateKey);
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /**
     * Verifies a signature. Malformed keys or signatures (wrong length, not a curve point, a
     * non-canonical scalar) are rejected like forged ones.
     *
     * @param publicKey the 32-byte public key
     * @param message the message
     * @param signature the signature
     * @return whether the signature is valid
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, publicKey)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (InvalidKeySpecException | InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks Ed25519", e);
        } catch (RuntimeException e) {
            // The JDK's EdDSA decoding reports some off-curve points as unchecked exceptions.
            return false;
        }
    }

    /**
     * Concatenates byte arrays.
     *
     * @param parts the arrays
     * @return a fresh array
     */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
