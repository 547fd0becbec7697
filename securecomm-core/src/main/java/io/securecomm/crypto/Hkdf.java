package io.securecomm.crypto;

import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) with HMAC-SHA256, plus the Noise specification's {@code HKDF(chaining_key,
 * input_key_material, num_outputs)} (Noise revision 34, section 4.3).
 *
 * <p>Stateless and thread-safe. Intermediate keys are wiped after use (best effort on the JVM).
 */
public final class Hkdf {
    /** HashLen of RFC 5869 for SHA-256, in bytes. */
    public static final int HASH_LENGTH_BYTES = 32;
    /** The largest output {@link #expand} can produce: 255 * HashLen bytes (RFC 5869 section 2.3). */
    public static final int MAX_OUTPUT_LENGTH_BYTES = 255 * HASH_LENGTH_BYTES;

    private static final String HMAC_SHA256 = "HmacSHA256";

    private Hkdf() {}

    /**
     * HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869 section 2.2).
     *
     * @param salt the salt; {@code null} or empty means HashLen zero bytes, as the RFC specifies
     * @param ikm the input keying material; may be empty
     * @return PRK, {@value #HASH_LENGTH_BYTES} bytes
     */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        Objects.requireNonNull(ikm, "ikm");
        byte[] key = salt == null || salt.length == 0 ? new byte[HASH_LENGTH_BYTES] : salt;
        Mac mac = hmac(key);
        return mac.doFinal(ikm);
    }

    /**
     * HKDF-Expand(PRK, info, L) (RFC 5869 section 2.3): T(0) = empty, T(i) = HMAC-Hash(PRK, T(i-1) | info | i),
     * output the first L bytes of T(1) | T(2) | ...
     *
     * @param prk the pseudorandom key, at least {@value #HASH_LENGTH_BYTES} bytes
     * @param info context and application specific information; {@code null} means empty
     * @param lengthBytes L, the output length, from 0 to {@value #MAX_OUTPUT_LENGTH_BYTES}
     * @return the output keying material, {@code lengthBytes} long
     * @throws IllegalArgumentException if PRK is shorter than HashLen or L is out of range
     */
    public static byte[] expand(byte[] prk, byte[] info, int lengthBytes) {
        Objects.requireNonNull(prk, "prk");
        if (prk.length < HASH_LENGTH_BYTES) {
            throw new IllegalArgumentException("PRK must be at least " + HASH_LENGTH_BYTES + " bytes, got "
                    + prk.length);
        }
        if (lengthBytes < 0 || lengthBytes > MAX_OUTPUT_LENGTH_BYTES) {
            throw new IllegalArgumentException(
                    "HKDF output length must be 0.." + MAX_OUTPUT_LENGTH_BYTES + " bytes, got " + lengthBytes);
        }
        byte[] infoBytes = info == null ? new byte[0] : info;
        Mac mac = hmac(prk);
        byte[] okm = new byte[lengthBytes];
        byte[] t = new byte[0];
        int written = 0;
        try {
            for (int i = 1; written < lengthBytes; i++) {
                mac.update(t);
                mac.update(infoBytes);
                mac.update((byte) i);
                Arrays.fill(t, (byte) 0);
                t = mac.doFinal();
                int n = Math.min(t.length, lengthBytes - written);
                System.arraycopy(t, 0, okm, written, n);
                written += n;
            }
        } finally {
            Arrays.fill(t, (byte) 0);
        }
        return okm;
    }

    /**
     * HKDF(salt, IKM, info, L) = HKDF-Expand(HKDF-Extract(salt, IKM), info, L).
     *
     * @param salt the salt; {@code null} or empty means HashLen zero bytes
     * @param ikm the input keying material; may be empty
     * @param info context information; {@code null} means empty
     * @param lengthBytes the output length, from 0 to {@value #MAX_OUTPUT_LENGTH_BYTES}
     * @return the output keying material
     * @throws IllegalArgumentException if the length is out of range
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int lengthBytes) {
        byte[] prk = extract(salt, ikm);
        try {
            return expand(prk, info, lengthBytes);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /**
     * The Noise specification's {@code HKDF(chaining_key, input_key_material, num_outputs)}: {@code temp_key =
     * HMAC-HASH(chaining_key, input_key_material)}, {@code output1 = HMAC-HASH(temp_key, byte(0x01))}, {@code
     * output2 = HMAC-HASH(temp_key, output1 || byte(0x02))}, {@code output3 = HMAC-HASH(temp_key, output2 ||
     * byte(0x03))}. This equals RFC 5869 with salt = chaining key, empty info and L = 32 * num_outputs.
     *
     * @param chainingKey the chaining key {@code ck}, {@value #HASH_LENGTH_BYTES} bytes in Noise
     * @param inputKeyMaterial the input key material: empty, 32 bytes or a DH output, as Noise specifies
     * @param outputs {@code num_outputs}, 2 or 3
     * @return {@code outputs} arrays of {@value #HASH_LENGTH_BYTES} bytes each
     * @throws IllegalArgumentException if {@code outputs} is not 2 or 3, or the chaining key is empty
     */
    public static byte[][] deriveOutputs(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
        Objects.requireNonNull(chainingKey, "chainingKey");
        Objects.requireNonNull(inputKeyMaterial, "inputKeyMaterial");
        if (outputs != 2 && outputs != 3) {
            throw new IllegalArgumentException("Noise HKDF produces 2 or 3 outputs, not " + outputs);
        }
        if (chainingKey.length == 0) {
            throw new IllegalArgumentException("chaining key must not be empty");
        }
        byte[] tempKey = hmac(chainingKey).doFinal(inputKeyMaterial);
        try {
            Mac mac = hmac(tempKey);
            byte[][] result = new byte[outputs][];
            byte[] previous = new byte[0];
            for (int i = 0; i < outputs; i++) {
                mac.update(previous);
                mac.update((byte) (i + 1));
                result[i] = mac.doFinal();
                previous = result[i];
            }
            return result;
        } finally {
            Arrays.fill(tempKey, (byte) 0);
        }
    }

    private static Mac hmac(byte[] key) {
        Mac mac = JcaSupport.mac(HMAC_SHA256);
        try {
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 rejected a " + key.length + "-byte key", e);
        }
        return mac;
    }
}
