package io.securecomm.noise.internal;

import io.securecomm.noise.NoiseDh;
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
 * Noise's DH functions over the JDK's XDH provider, with raw RFC 7748 encodings: private keys are the
 * DHLEN scalar bytes (clamped by the provider), public keys and DH outputs are little-endian
 * u-coordinates.
 *
 * <p>Why an adapter here: Noise vectors fix every private key as raw bytes, so this needs the public key
 * of a raw private scalar, which it computes as {@code DH(private, base point)} (u = 9 for X25519, u = 5
 * for X448), exactly as RFC 7748 section 6 does.
 */
public final class Xdh {
    private Xdh() {}

    /**
     * Computes the public key of a raw private key.
     *
     * @param dh the DH function
     * @param privateKey DHLEN raw private bytes
     * @return DHLEN public key bytes
     */
    public static byte[] publicKey(NoiseDh dh, byte[] privateKey) {
        byte[] basePoint = new byte[dh.dhLengthBytes()];
        basePoint[0] = (byte) (dh == NoiseDh.X25519 ? 9 : 5);
        try {
            return dh(dh, privateKey, basePoint);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("XDH rejected the base point", e);
        }
    }

    /**
     * Performs {@code DH(private, public)}.
     *
     * @param dh the DH function
     * @param privateKey DHLEN raw private bytes
     * @param publicKey DHLEN raw public bytes
     * @return the DHLEN shared secret
     * @throws InvalidKeyException if the provider rejects the public key, such as a small-order point
     *     that yields an all-zero output
     */
    public static byte[] dh(NoiseDh dh, byte[] privateKey, byte[] publicKey) throws InvalidKeyException {
        if (privateKey.length != dh.dhLengthBytes() || publicKey.length != dh.dhLengthBytes()) {
            throw new IllegalArgumentException("XDH keys must be " + dh.dhLengthBytes() + " bytes");
        }
        NamedParameterSpec params = dh == NoiseDh.X25519 ? NamedParameterSpec.X25519 : NamedParameterSpec.X448;
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(params, privateKey));
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(params, decodeU(dh, publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] out = ka.generateSecret();
            if (out.length != dh.dhLengthBytes()) {
                throw new IllegalStateException("XDH returned " + out.length + " bytes");
            }
            return out;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            // The provider signals small-order and other unusable points this way too.
            InvalidKeyException ike = new InvalidKeyException("XDH rejected the public key");
            ike.initCause(e);
            throw ike;
        }
    }

    private static BigInteger decodeU(NoiseDh dh, byte[] encoded) {
        byte[] be = new byte[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            be[i] = encoded[encoded.length - 1 - i];
        }
        if (dh == NoiseDh.X25519) {
            be[0] &= 0x7f; // RFC 7748 section 5: ignore the most significant bit of the final byte
        }
        BigInteger u = new BigInteger(1, be);
        Arrays.fill(be, (byte) 0);
        return u;
    }
}
