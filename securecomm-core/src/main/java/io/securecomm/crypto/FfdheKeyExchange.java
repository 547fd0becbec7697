package io.securecomm.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPrivateKey;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;

/**
 * Finite-field Diffie-Hellman over the RFC 7919 groups (appendix A.1 ffdhe2048, A.2 ffdhe3072), generator 2, on
 * the JDK's {@code DH} provider. Public values are validated as RFC 7919 section 5.1 recommends: 2 <= y <= p-2,
 * and y^q = 1 mod p with q = (p-1)/2, so a peer cannot confine the shared secret to a small subgroup.
 */
final class FfdheKeyExchange extends AbstractKeyExchange {
    /** RFC 7919 appendix A.1, transcribed from the RFC. */
    static final String FFDHE2048_P_HEX =
            "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF9"
            + "7D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
            + "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FB"
            + "B96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
            + "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA"
            + "886B423861285C97FFFFFFFFFFFFFFFF";
    /** RFC 7919 appendix A.2, transcribed from the RFC. */
    static final String FFDHE3072_P_HEX =
            "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF9"
            + "7D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
            + "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FB"
            + "B96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
            + "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA"
            + "886B4238611FCFDCDE355B3B6519035BBC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91C"
            + "AEFE130985139270B4130C93BC437944F4FD4452E2D74DD364F2E21E71F54BFF5CAE82AB9C9DF69EE86D2BC522363A0D"
            + "ABC521979B0DEADA1DBF9A42D5C4484E0ABCD06BFA53DDEF3C1B20EE3FD59D7C25E41D2B66C62E37FFFFFFFFFFFFFFFF";

    // Declared before the instances below: static initializers run in text order.
    private static final BigInteger GENERATOR = BigInteger.TWO;

    static final FfdheKeyExchange FFDHE2048 = new FfdheKeyExchange("ffdhe2048", FFDHE2048_P_HEX);
    static final FfdheKeyExchange FFDHE3072 = new FfdheKeyExchange("ffdhe3072", FFDHE3072_P_HEX);

    private final BigInteger p;
    private final BigInteger q;
    private final BigInteger pMinusOne;
    private final DHParameterSpec params;

    private FfdheKeyExchange(String name, String pHex) {
        this(name, new BigInteger(pHex, 16));
    }

    private FfdheKeyExchange(String name, BigInteger p) {
        super(name, (p.bitLength() + 7) / 8, "public value");
        this.p = p;
        this.pMinusOne = p.subtract(BigInteger.ONE);
        this.q = pMinusOne.shiftRight(1);
        this.params = new DHParameterSpec(p, GENERATOR);
    }

    BigInteger p() {
        return p;
    }

    @Override
    public KeyExchangeKeyPair generateKeyPair() {
        KeyPairGenerator generator = JcaSupport.keyPairGenerator("DH");
        try {
            generator.initialize(params, JcaSupport.random());
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("the JDK rejected the " + name() + " parameters", e);
        }
        KeyPair pair = generator.generateKeyPair();
        byte[] x = fixedLength(((DHPrivateKey) pair.getPrivate()).getX());
        byte[] y = fixedLength(((DHPublicKey) pair.getPublic()).getY());
        return new KeyExchangeKeyPair(new KeyExchangePublicKey(name(), y), x);
    }

    @Override
    KeyExchangeKeyPair deriveKeyPair(byte[] privateKey) {
        BigInteger x = new BigInteger(1, privateKey);
        if (x.signum() == 0 || x.compareTo(pMinusOne) >= 0) {
            throw new IllegalArgumentException(name() + " private exponent must lie in 1..p-2");
        }
        byte[] copy = privateKey.clone();
        // The public value g^x mod p is the "shared secret" with the peer value g: the JCA derives it.
        byte[] y = compute(copy, GENERATOR);
        return new KeyExchangeKeyPair(new KeyExchangePublicKey(name(), y), copy);
    }

    @Override
    void validatePublicKey(byte[] encoded) throws InvalidPublicKeyException {
        BigInteger y = new BigInteger(1, encoded);
        if (y.compareTo(BigInteger.TWO) < 0 || y.compareTo(pMinusOne) >= 0) {
            throw new InvalidPublicKeyException(name() + " public value is outside 2..p-2");
        }
        if (!y.modPow(q, p).equals(BigInteger.ONE)) {
            throw new InvalidPublicKeyException(name() + " public value is not in the prime-order subgroup");
        }
    }

    @Override
    byte[] computeSharedSecret(byte[] privateKey, byte[] peerPublicKey) {
        // The peer's value was validated when it was decoded (only this class creates ffdhe public keys).
        return compute(privateKey, new BigInteger(1, peerPublicKey));
    }

    private byte[] compute(byte[] privateKey, BigInteger peerY) {
        int sizeBytes = sizeBytes();
        try {
            var factory = JcaSupport.keyFactory("DH");
            PrivateKey priv = factory.generatePrivate(new DHPrivateKeySpec(new BigInteger(1, privateKey), p,
                    GENERATOR));
            PublicKey pub = factory.generatePublic(new DHPublicKeySpec(peerY, p, GENERATOR));
            KeyAgreement agreement = JcaSupport.keyAgreement("DH");
            agreement.init(priv);
            agreement.doPhase(pub, true);
            byte[] secret = agreement.generateSecret();
            if (secret.length == sizeBytes) {
                return secret;
            }
            // Left-pad to the length of p, as RFC 8446 section 7.4.1 and the JDK since 8 do.
            byte[] padded = new byte[sizeBytes];
            System.arraycopy(secret, 0, padded, sizeBytes - secret.length, secret.length);
            Arrays.fill(secret, (byte) 0);
            return padded;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(name() + " JCA rejected a validated key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name() + " key agreement failed in the JCA provider", e);
        }
    }

    private byte[] fixedLength(BigInteger value) {
        int sizeBytes = sizeBytes();
        byte[] raw = value.toByteArray();
        byte[] out = new byte[sizeBytes];
        int n = Math.min(raw.length, sizeBytes);
        System.arraycopy(raw, raw.length - n, out, sizeBytes - n, n);
        Arrays.fill(raw, (byte) 0);
        return out;
    }
}
