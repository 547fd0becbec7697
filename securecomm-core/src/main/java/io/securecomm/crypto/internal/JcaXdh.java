package io.securecomm.crypto.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 and X448 on the JDK's {@code XDH} provider. The JCA takes keys only as key objects, so each operation
 * builds a private key from the scalar and a public key from the u-coordinate (decoded as RFC 7748
 * {@code decodeUCoordinate} says); the {@link KeyFactory} and {@link KeyAgreement} are kept per thread, because
 * looking them up costs more than building the keys. Thread-safe.
 */
public final class JcaXdh implements XdhFunction {
    /** X25519 on the JDK. */
    public static final JcaXdh X25519 = new JcaXdh(
            "X25519", NamedParameterSpec.X25519, 32, BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19)), 9);
    /** X448 on the JDK. */
    public static final JcaXdh X448 = new JcaXdh(
            "X448", NamedParameterSpec.X448, 56,
            BigInteger.TWO.pow(448).subtract(BigInteger.TWO.pow(224)).subtract(BigInteger.ONE), 5);

    private final String name;
    private final NamedParameterSpec params;
    private final int sizeBytes;
    private final BigInteger fieldPrime;
    private final BigInteger basePointU;
    private final ThreadLocal<KeyFactory> keyFactory;
    private final ThreadLocal<KeyAgreement> keyAgreement;

    private JcaXdh(String name, NamedParameterSpec params, int sizeBytes, BigInteger fieldPrime, int baseU) {
        this.name = name;
        this.params = params;
        this.sizeBytes = sizeBytes;
        this.fieldPrime = fieldPrime;
        this.basePointU = BigInteger.valueOf(baseU);
        this.keyFactory = ThreadLocal.withInitial(() -> {
            try {
                return KeyFactory.getInstance(name);
            } catch (GeneralSecurityException e) {
                throw missing(e);
            }
        });
        this.keyAgreement = ThreadLocal.withInitial(() -> {
            try {
                return KeyAgreement.getInstance(name);
            } catch (GeneralSecurityException e) {
                throw missing(e);
            }
        });
    }

    @Override
    public int sizeBytes() {
        return sizeBytes;
    }

    @Override
    public boolean scalarMult(byte[] scalar, byte[] u, byte[] out) {
        return compute(scalar, decodeU(u), out);
    }

    @Override
    public void scalarMultBase(byte[] scalar, byte[] out) {
        // X(k, base point) is the public key (RFC 7748 section 6): the JCA has no other way to derive it.
        if (!compute(scalar, basePointU, out)) {
            throw new IllegalStateException(name + " could not derive a public key");
        }
    }

    /** Computes X(k, u) into out; false if it is all zeros (the JDK throws in that case; other providers may not). */
    private boolean compute(byte[] scalar, BigInteger u, byte[] out) {
        byte[] result;
        KeyAgreement agreement = keyAgreement.get();
        try {
            KeyFactory factory = keyFactory.get();
            PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(params, scalar));
            PublicKey publicKey = factory.generatePublic(new XECPublicKeySpec(params, u));
            agreement.init(privateKey);
            try {
                agreement.doPhase(publicKey, true);
            } catch (InvalidKeyException e) {
                // JDK 17 throws "Point has small order" here; u is reduced and well-formed, so nothing else can.
                return false;
            }
            result = agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " key agreement failed in the JCA provider", e);
        }
        int accumulated = 0;
        for (byte b : result) {
            accumulated |= b;
        }
        System.arraycopy(result, 0, out, 0, sizeBytes);
        Arrays.fill(result, (byte) 0);
        return accumulated != 0;
    }

    /** RFC 7748 decodeUCoordinate: little-endian, X25519 masks bit 255, non-canonical values are reduced mod p. */
    private BigInteger decodeU(byte[] encoded) {
        byte[] bigEndian = new byte[sizeBytes];
        for (int i = 0; i < sizeBytes; i++) {
            bigEndian[i] = encoded[sizeBytes - 1 - i];
        }
        if (sizeBytes == 32) {
            bigEndian[0] &= 0x7f;
        }
        return new BigInteger(1, bigEndian).mod(fieldPrime);
    }

    private IllegalStateException missing(Exception e) {
        return new IllegalStateException("the JDK lacks " + name + ", which every Java 17 runtime provides", e);
    }

    @Override
    public String toString() {
        return "JcaXdh[" + name + "]";
    }
}
