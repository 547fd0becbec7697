package io.securecomm.noise;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code HKDF(chaining_key, input_key_material, num_outputs)} of Noise revision 34, section 4.3, over
 * {@code HMAC-HASH} for the protocol's hash:
 *
 * <pre>
 *  temp_key = HMAC-HASH(chaining_key, input_key_material)
 *  output1  = HMAC-HASH(temp_key, 0x01)
 *  output2  = HMAC-HASH(temp_key, output1 || 0x02)
 *  output3  = HMAC-HASH(temp_key, output2 || 0x03)
 * </pre>
 *
 * This is RFC 5869 HKDF with the chaining key as salt and empty info, computed generically for SHA-256
 * and SHA-512 because the crypto layer's {@code Hkdf} is fixed to one hash. Temporaries are wiped. Package-private:
 * it takes {@link NoiseHash}, so in {@code noise.internal} it would make that package and this one import each other.
 */
final class NoiseHkdf {
    private NoiseHkdf() {}

    /**
     * Derives two or three HASHLEN outputs with a fresh {@link Mac}.
     *
     * @param hash the protocol's hash function
     * @param chainingKey HASHLEN bytes
     * @param inputKeyMaterial 0 or DHLEN bytes (or a PSK)
     * @param numOutputs 2 or 3
     * @return the outputs, each HASHLEN bytes; the caller owns and should wipe them
     * @throws IllegalArgumentException if {@code numOutputs} is not 2 or 3
     */
    public static byte[][] hkdf(NoiseHash hash, byte[] chainingKey, byte[] inputKeyMaterial, int numOutputs) {
        return hkdf(newMac(hash), chainingKey, inputKeyMaterial, numOutputs);
    }

    /**
     * Returns a new {@code HMAC-HASH} for {@link #hkdf(Mac, byte[], byte[], int)}, which a handshake keeps for all
     * its derivations (looking a {@link Mac} up costs more than using it).
     *
     * @param hash the protocol's hash function
     * @return an uninitialized {@link Mac}
     */
    public static Mac newMac(NoiseHash hash) {
        try {
            return Mac.getInstance(hash.jcaMacName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash.jcaMacName(), e);
        }
    }

    /**
     * Derives two or three HASHLEN outputs with the given {@link Mac}. The Mac is re-keyed here, so its previous
     * state does not matter; like any JCA Mac it holds its last key internally until re-keyed or dropped.
     *
     * @param mac {@code HMAC-HASH} of the protocol's hash, from {@link #newMac(NoiseHash)}; not thread-safe
     * @param chainingKey HASHLEN bytes
     * @param inputKeyMaterial 0 or DHLEN bytes (or a PSK)
     * @param numOutputs 2 or 3
     * @return the outputs, each HASHLEN bytes; the caller owns and should wipe them
     * @throws IllegalArgumentException if {@code numOutputs} is not 2 or 3
     */
    public static byte[][] hkdf(Mac mac, byte[] chainingKey, byte[] inputKeyMaterial, int numOutputs) {
        if (numOutputs != 2 && numOutputs != 3) {
            throw new IllegalArgumentException("num_outputs must be 2 or 3, not " + numOutputs);
        }
        String algorithm = mac.getAlgorithm();
        byte[] tempKey = null;
        try {
            mac.init(new SecretKeySpec(chainingKey, algorithm));
            tempKey = mac.doFinal(inputKeyMaterial);
            mac.init(new SecretKeySpec(tempKey, algorithm));
            byte[][] out = new byte[numOutputs][];
            byte[] previous = new byte[0];
            for (int i = 0; i < numOutputs; i++) {
                mac.update(previous);
                mac.update((byte) (i + 1));
                out[i] = mac.doFinal();
                previous = out[i];
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " refused a key", e);
        } finally {
            if (tempKey != null) {
                Arrays.fill(tempKey, (byte) 0);
            }
        }
    }
}
