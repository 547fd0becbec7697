package io.securecomm.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 and X448 (RFC 7748) on the JDK's XDH provider, with raw little-endian encodings and the all-zero
 * check of RFC 7748 section 6.
 */
final class XdhKeyExchange extends AbstractKeyExchange {
    static final XdhKeyExchange X25519 = new XdhKeyExchange(
            "X25519", NamedParameterSpec.X25519, 32, BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19)), 9);
    static final XdhKeyExchange X448 = new XdhKeyExchange(
            "X448", NamedParameterSpec.X448, 56,
            BigInteger.TWO.pow(448).subtract(BigInteger.TWO.pow(224)).subtract(BigInteger.ONE), 5);

    private final NamedParameterSpec params;
    private final BigInteger fieldPrime;
    private final BigInteger basePointU;

    private XdhKeyExchange(String name, NamedParameterSpec params, int sizeBytes, BigInteger fieldPrime, int baseU) {
        super(name, sizeBytes, "public key");
        this.params = params;
        this.fieldPrime = fieldPrime;
        this.basePointU = BigInteger.valueOf(baseU);
    }

    @Override
    public KeyExchangeKeyPair generateKeyPair() {
        var generator = JcaSupport.keyPairGenerator(name());
        KeyPair pair = generator.generateKeyPair();
        byte[] scalar = ((XECPrivateKey) pair.getPrivate()).getScalar()
                .orElseThrow(() -> new IllegalStateException(name() + " provider did not expose the scalar"));
        byte[] pub = encodeU(((XECPublicKey) pair.getPublic()).getU());
        return new KeyExchangeKeyPair(new KeyExchangePublicKey(name(), pub), scalar);
    }

    @Override
    KeyExchangeKeyPair deriveKeyPair(byte[] privateKey) {
        byte[] scalar = privateKey.clone();
        // X(k, base point) is the public key (RFC 7748 section 6): the JCA has no other way to derive it.
        byte[] pub = compute(scalar, basePointU);
        if (pub == null) {
            Arrays.fill(scalar, (byte) 0);
            throw new IllegalStateException(name() + " could not derive a public key");
        }
        return new KeyExchangeKeyPair(new KeyExchangePublicKey(name(), pub), scalar);
    }

    @Override
    void validatePublicKey(byte[] encoded) {
        // Nothing to check: every string of the right length decodes to a u-coordinate (RFC 7748 section 5,
        // decodeUCoordinate); low-order points show up as the all-zero result in computeSharedSecret.
    }

    @Override
    byte[] computeSharedSecret(byte[] privateKey, byte[] peerPublicKey) throws LowOrderPointException {
        byte[] secret = compute(privateKey, decodeU(peerPublicKey));
        if (secret == null) {
            throw new LowOrderPointException(
                    name() + " peer public key is a low-order point (all-zero shared secret)");
        }
        return secret;
    }

    /** Returns X(k, u), or {@code null} if it is all zeros (the JDK throws in that case; other providers may not). */
    private byte[] compute(byte[] scalar, BigInteger u) {
        byte[] result;
        KeyAgreement agreement = JcaSupport.keyAgreement(name());
        try {
            PrivateKey privateKey =
                    JcaSupport.keyFactory(name()).generatePrivate(new XECPrivateKeySpec(params, scalar));
            PublicKey publicKey = JcaSupport.keyFactory(name()).generatePublic(new XECPublicKeySpec(params, u));
            agreement.init(privateKey);
            try {
                agreement.doPhase(publicKey, true);
            } catch (InvalidKeyException e) {
                // JDK 17 throws "Point has small order" here; u is reduced and well-formed, so nothing else can.
                return null;
            }
            result = agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name() + " key agreement failed in the JCA provider", e);
        }
        int accumulated = 0;
        for (byte b : result) {
            accumulated |= b;
        }
        if (accumulated == 0) {
            return null;
        }
        return result;
    }

    /** RFC 7748 decodeUCoordinate: little-endian, X25519 masks bit 255, non-canonical values are reduced mod p. */
    private BigInteger decodeU(byte[] encoded) {
        int sizeBytes = sizeBytes();
        byte[] bigEndian = new byte[sizeBytes];
        for (int i = 0; i < sizeBytes; i++) {
            bigEndian[i] = encoded[sizeBytes - 1 - i];
        }
        if (sizeBytes == 32) {
            bigEndian[0] &= 0x7f;
        }
        return new BigInteger(1, bigEndian).mod(fieldPrime);
    }

    private byte[] encodeU(BigInteger u) {
        int sizeBytes = sizeBytes();
        byte[] bigEndian = u.toByteArray();
        byte[] out = new byte[sizeBytes];
        for (int i = 0; i < bigEndian.length && i < sizeBytes; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }
}
