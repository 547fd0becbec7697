package io.securecomm.noise.internal;

import io.securecomm.noise.NoiseHash;
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
 * and SHA-512 because the crypto layer's {@code Hkdf} is fixed to one hash. Temporaries are wiped.
 */
public final class NoiseHkdf {
    private NoiseHkdf() {}

    /**
     * Derives two or three HASHLEN outputs.
     *
     * @param hash the protocol's hash function
     * @param chainingKey HASHLEN bytes
     * @param inputKeyMaterial zero or more bytes (zero, 32 or DHLEN in Noise)
     * @param numOutputs 2 or 3
     * @return the outputs, each HASHLEN bytes
     */
    public static byte[][] hkdf(NoiseHash hash, byte[] chainingKey, byte[] inputKeyMaterial, int numOutputs) {
        if (numOutputs != 2 && numOutputs != 3) {
            throw new IllegalArgumentException("num_outputs must be 2 or 3, not " + numOutputs);
        }
        byte[] tempKey = null;
        try {
            Mac mac = Mac.getInstance(hash.jcaMacName());
            mac.init(new SecretKeySpec(chainingKey, hash.jcaMacName()));
            tempKey = mac.doFinal(inputKeyMaterial);
            mac.init(new SecretKeySpec(tempKey, hash.jcaMacName()));
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
            throw new IllegalStateException("the JDK lacks " + hash.jcaMacName(), e);
        } finally {
            if (tempKey != null) {
                Arrays.fill(tempKey, (byte) 0);
            }
        }
    }
}
