package io.securecomm.crypto;

import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.crypto.internal.JcaXdh;
import io.securecomm.crypto.internal.XdhFunction;
import java.util.Arrays;

/**
 * X25519 and X448 (RFC 7748) with raw little-endian encodings and the all-zero check of RFC 7748 section 6.
 * X25519 is computed by {@link Curve25519#selected()} (Bouncy Castle unless configured otherwise), X448 by the
 * JDK's XDH provider.
 */
final class XdhKeyExchange extends AbstractKeyExchange {
    static final XdhKeyExchange X25519 = x25519(Curve25519.selected());
    static final XdhKeyExchange X448 = new XdhKeyExchange("X448", JcaXdh.X448);

    private final XdhFunction function;

    private XdhKeyExchange(String name, XdhFunction function) {
        super(name, function.sizeBytes(), "public key");
        this.function = function;
    }

    /** X25519 computed by the given implementation: the tests run every vector against each. */
    static XdhKeyExchange x25519(Curve25519 implementation) {
        return new XdhKeyExchange("X25519", implementation);
    }

    @Override
    public KeyExchangeKeyPair generateKeyPair() {
        // RFC 7748 section 6.1: a private key is sizeBytes random bytes (the function clamps them).
        byte[] scalar = new byte[sizeBytes()];
        JcaSupport.random().nextBytes(scalar);
        return new KeyExchangeKeyPair(new KeyExchangePublicKey(name(), publicKey(scalar)), scalar);
    }

    @Override
    KeyExchangeKeyPair deriveKeyPair(byte[] privateKey) {
        byte[] scalar = privateKey.clone();
        return new KeyExchangeKeyPair(new KeyExchangePublicKey(name(), publicKey(scalar)), scalar);
    }

    private byte[] publicKey(byte[] scalar) {
        byte[] pub = new byte[sizeBytes()];
        function.scalarMultBase(scalar, pub);
        return pub;
    }

    @Override
    void validatePublicKey(byte[] encoded) {
        // Nothing to check: every string of the right length decodes to a u-coordinate (RFC 7748 section 5,
        // decodeUCoordinate); low-order points show up as the all-zero result in computeSharedSecret.
    }

    @Override
    byte[] computeSharedSecret(byte[] privateKey, byte[] peerPublicKey) throws LowOrderPointException {
        byte[] secret = new byte[sizeBytes()];
        if (!function.scalarMult(privateKey, peerPublicKey, secret)) {
            Arrays.fill(secret, (byte) 0);
            throw new LowOrderPointException(
                    name() + " peer public key is a low-order point (all-zero shared secret)");
        }
        return secret;
    }
}
