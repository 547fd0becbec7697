package io.securecomm.e2e;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.crypto.ExplicitNonceAead;
import io.securecomm.crypto.Hkdf;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-derivation and message-encryption functions of the Double Ratchet (section 5.2 of Signal's
 * Double Ratchet document) and of sender-key chains, composed from the crypto layer's
 * {@link Hkdf} (HKDF-SHA-256) and {@link ExplicitNonceAead} (ChaCha20-Poly1305) and the JDK's
 * HMAC-SHA-256. Thread-safe (stateless). Outputs are fresh arrays the caller owns and wipes.
 */
final class ChainCrypto {
    /** Length of root, chain and message keys. */
    public static final int KEY_BYTES = 32;
    /** The AEAD that encrypts messages. */
    public static final AeadAlgorithm AEAD = AeadAlgorithm.CHACHA20_POLY1305;

    private static final byte[] MESSAGE_KEY_INPUT = {0x01};
    private static final byte[] CHAIN_KEY_INPUT = {0x02};

    private ChainCrypto() {}

    /**
     * {@code KDF_RK(rk, dh_out)}: HKDF-SHA-256 with salt {@code rk}, input key material {@code dh_out},
     * the given info, 64 bytes of output split into a new root key and a chain key.
     *
     * @param rk the root key (32 bytes)
     * @param dhOut the DH output (32 bytes)
     * @param info the application-specific info string
     * @return {@code [new root key, chain key]}
     */
    public static byte[][] KDF_RK(byte[] rk, byte[] dhOut, byte[] info) {
        byte[] okm = Hkdf.derive(rk, dhOut, info, 2 * KEY_BYTES);
        try {
            return new byte[][] {Arrays.copyOfRange(okm, 0, KEY_BYTES),
                    Arrays.copyOfRange(okm, KEY_BYTES, 2 * KEY_BYTES)};
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    /**
     * {@code KDF_CK(ck)}: HMAC-SHA-256 keyed with {@code ck}; input byte {@code 0x01} gives the message
     * key and {@code 0x02} the next chain key, as the Double Ratchet document recommends.
     *
     * @param ck the chain key (32 bytes)
     * @return {@code [next chain key, message key]}
     */
    public static byte[][] KDF_CK(byte[] ck) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ck, "HmacSHA256"));
            byte[] mk = mac.doFinal(MESSAGE_KEY_INPUT);
            byte[] next = mac.doFinal(CHAIN_KEY_INPUT);
            return new byte[][] {next, mk};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA256", e);
        }
    }

    /**
     * {@code ENCRYPT(mk, plaintext, associated_data)}: HKDF-SHA-256 (zero salt, input {@code mk}, the given
     * info) derives a 32-byte AEAD key and a 12-byte nonce; ChaCha20-Poly1305 then seals the plaintext
     * with the associated data. Each message key is used for exactly one message.
     *
     * @param mk the message key
     * @param plaintext the plaintext
     * @param associatedData the associated data
     * @param info the application-specific info string
     * @return ciphertext followed by the 16-byte tag
     */
    public static byte[] ENCRYPT(byte[] mk, byte[] plaintext, byte[] associatedData, byte[] info) {
        byte[] okm = Hkdf.derive(null, mk, info, AeadAlgorithm.KEY_SIZE_BYTES + AeadAlgorithm.NONCE_SIZE_BYTES);
        byte[] key = Arrays.copyOfRange(okm, 0, AeadAlgorithm.KEY_SIZE_BYTES);
        byte[] nonce = Arrays.copyOfRange(okm, AeadAlgorithm.KEY_SIZE_BYTES, okm.length);
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(AEAD, key)) {
            return aead.seal(nonce, associatedData, plaintext);
        } finally {
            Arrays.fill(okm, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * {@code DECRYPT(mk, ciphertext, associated_data)}, the inverse of {@link #ENCRYPT}.
     *
     * @param mk the message key
     * @param ciphertext ciphertext followed by the tag
     * @param associatedData the associated data
     * @param info the application-specific info string
     * @return the plaintext
     * @throws InvalidMessageException if authentication fails
     */
    public static byte[] DECRYPT(byte[] mk, byte[] ciphertext, byte[] associatedData, byte[] info)
            throws InvalidMessageException {
        byte[] okm = Hkdf.derive(null, mk, info, AeadAlgorithm.KEY_SIZE_BYTES + AeadAlgorithm.NONCE_SIZE_BYTES);
        byte[] key = Arrays.copyOfRange(okm, 0, AeadAlgorithm.KEY_SIZE_BYTES);
        byte[] nonce = Arrays.copyOfRange(okm, AeadAlgorithm.KEY_SIZE_BYTES, okm.length);
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(AEAD, key)) {
            return aead.open(nonce, associatedData, ciphertext);
        } catch (AeadAuthenticationException e) {
            throw new InvalidMessageException("message failed authentication (tampered, truncated, mis-addressed"
                    + " or under other keys)", e);
        } finally {
            Arrays.fill(okm, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Overwrites arrays with zeros, skipping nulls (best effort on the JVM).
     *
     * @param arrays the arrays
     */
    public static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }
}
