package io.securecomm.e2e;

import io.securecomm.crypto.KeyExchange;
import io.securecomm.crypto.LowOrderPointException;
import io.securecomm.crypto.internal.Curve25519;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * X25519 (RFC 7748) on raw 32-byte keys: the {@code DH} function of X3DH and the Double Ratchet,
 * computed like the crypto layer's {@link KeyExchange#x25519()} by {@link Curve25519#selected()}. A peer's
 * public key that yields an all-zero shared secret (a low-order point) is refused. Thread-safe (stateless).
 */
final class X25519 {
    /** Length of public keys, private keys and shared secrets. */
    public static final int KEY_BYTES = 32;

    private X25519() {}

    /**
     * Generates a key pair.
     *
     * @param random the randomness source
     * @return {@code [private key (32), public key (32)]}
     */
    public static byte[][] generate(SecureRandom random) {
        return Curve25519.selected().x25519Generate(random);
    }

    /**
     * Computes {@code DH(privateKey, publicKey)}, refusing low-order points as the crypto layer's {@link
     * KeyExchange#x25519()} does.
     *
     * @param privateKey our 32-byte private key
     * @param publicKey the peer's 32-byte public key
     * @return the 32-byte shared secret
     * @throws InvalidEncodingException if the public key has the wrong length or is a low-order point
     */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) throws InvalidEncodingException {
        if (publicKey.length != KEY_BYTES) {
            throw new InvalidEncodingException("X25519 public key must be 32 bytes, was " + publicKey.length);
        }
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes, was " + privateKey.length);
        }
        checkCanonical(publicKey);
        // The same function and check as KeyExchange.x25519().agree, without building (and deriving the public
        // key of) a key pair for every DH.
        byte[] secret = new byte[KEY_BYTES];
        if (!Curve25519.selected().scalarMult(privateKey, publicKey, secret)) {
            Arrays.fill(secret, (byte) 0);
            String reason = "X25519 peer public key is a low-order point (all-zero shared secret)";
            throw new InvalidEncodingException("X25519 public key rejected: " + reason,
                    new LowOrderPointException(reason));
        }
        return secret;
    }

    /**
     * The canonical encodings of the points of small order on Curve25519 (0, 1, the two points of order 8, and
     * p - 1 of order 2): a public key among them makes every shared secret all zeros, whatever the private key.
     * The non-canonical encodings of small-order points (p, p + 1, and any with the top bit set) are refused by
     * {@link #checkCanonical} already.
     */
    private static final byte[][] LOW_ORDER = {
        HexFormat.of().parseHex("0000000000000000000000000000000000000000000000000000000000000000"),
        HexFormat.of().parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
        HexFormat.of().parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        HexFormat.of().parseHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        HexFormat.of().parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    };

    /**
     * Tells whether a canonical public key is a point of small order (the all-zero key among them), without any
     * scalar multiplication: a table look-up, so that a relay can check a thousand uploaded keys for the cost of
     * comparing bytes.
     *
     * @param publicKey a 32-byte public key, canonical ({@link #checkCanonical})
     * @return {@code true} if every shared secret with it would be all zeros
     */
    public static boolean isLowOrder(byte[] publicKey) {
        boolean found = false;
        for (byte[] point : LOW_ORDER) {
            found |= Arrays.equals(point, publicKey);
        }
        return found;
    }

    /**
     * Refuses a public key that is not the canonical encoding of a field element: the top bit set (RFC
     * 7748 ignores it) or a value of at least 2^255 - 19. Such encodings compute the same shared secret
     * as another encoding, so accepting them would let a relay alter a message's bytes without changing
     * its meaning, and slip a replay past checks that compare keys byte for byte.
     *
     * @param publicKey a 32-byte public key
     * @throws InvalidEncodingException if it is not canonical
     */
    public static void checkCanonical(byte[] publicKey) throws InvalidEncodingException {
        if (publicKey.length != KEY_BYTES) {
            throw new InvalidEncodingException("X25519 public key must be 32 bytes, was " + publicKey.length);
        }
        if ((publicKey[31] & 0x80) != 0) {
            throw new InvalidEncodingException("X25519 public key has its top bit set (non-canonical)");
        }
        // p = 2^255 - 19: little-endian ed ff ff ... ff 7f. Values p..2^255-1 are non-canonical.
        boolean allFf = publicKey[31] == 0x7f;
        for (int i = 1; i < 31 && allFf; i++) {
            allFf = publicKey[i] == (byte) 0xff;
        }
        if (allFf && (publicKey[0] & 0xff) >= 0xed) {
            throw new InvalidEncodingException("X25519 public key is not reduced modulo 2^255 - 19 (non-canonical)");
        }
    }
}
