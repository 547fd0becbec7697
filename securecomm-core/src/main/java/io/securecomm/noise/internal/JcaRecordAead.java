package io.securecomm.noise.internal;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.crypto.ExplicitNonceAead;

/**
 * {@link RecordAead} on the JDK's providers: {@link ExplicitNonceAead}, whose JCA {@code Cipher}s are created once
 * and initialised per record. Not thread-safe.
 */
public final class JcaRecordAead implements RecordAead {
    private final ExplicitNonceAead aead;

    /**
     * Creates the AEAD; the key array is copied.
     *
     * @param algorithm the AEAD algorithm
     * @param key the 32-byte key
     * @throws IllegalArgumentException if the key has the wrong length
     */
    public JcaRecordAead(AeadAlgorithm algorithm, byte[] key) {
        this.aead = ExplicitNonceAead.create(algorithm, key);
    }

    @Override
    public int seal(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        return aead.seal(nonce, associatedData, in, inOff, inLen, out, outOff);
    }

    @Override
    public int open(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AeadAuthenticationException {
        return aead.open(nonce, associatedData, in, inOff, inLen, out, outOff);
    }

    @Override
    public void close() {
        aead.close();
    }

    /**
     * Describes this instance without any key material.
     *
     * @return the wrapped AEAD's description
     */
    @Override
    public String toString() {
        return "JcaRecordAead[" + aead + "]";
    }
}
