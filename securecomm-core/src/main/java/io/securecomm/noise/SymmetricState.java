package io.securecomm.noise;

import io.securecomm.crypto.AeadAuthenticationException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * A Noise {@code SymmetricState} (revision 34, section 5.2): a {@link CipherState}, the chaining key
 * {@code ck} and the handshake hash {@code h}.
 *
 * <p>A secret: {@link #close()} wipes {@code ck} and closes the cipher state (best effort on the JVM).
 * Not thread-safe.
 */
public final class SymmetricState implements AutoCloseable {
    private final NoiseProtocol protocol;
    /** HASH for MixHash; null once closed. */
    private MessageDigest digest;
    /** HMAC-HASH for every HKDF of this handshake (one lookup instead of one per MixKey); null once closed. */
    private Mac mac;
    private final CipherState cipherState;
    private byte[] ck;
    private byte[] h;

    /**
     * {@code InitializeSymmetric(protocol_name)}: {@code h} is the name padded with zeros to HASHLEN, or
     * its hash if longer; {@code ck = h}; the cipher key is empty.
     *
     * @param protocol the protocol, whose name is hashed
     */
    public SymmetricState(NoiseProtocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        try {
            this.digest = MessageDigest.getInstance(protocol.hash().jcaDigestName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + protocol.hash().jcaDigestName(), e);
        }
        this.mac = NoiseHkdf.newMac(protocol.hash());
        byte[] name = protocol.nameBytes();
        int hashLen = protocol.hash().hashLengthBytes();
        h = name.length <= hashLen ? Arrays.copyOf(name, hashLen) : digest.digest(name);
        ck = h.clone();
        cipherState = new CipherState(protocol.cipher());
    }

    /**
     * {@code MixKey(input_key_material)}: {@code ck, temp_k = HKDF(ck, ikm, 2)}, then
     * {@code InitializeKey(temp_k)} with {@code temp_k} truncated to 32 bytes.
     *
     * @param inputKeyMaterial a DH output or ephemeral public key
     */
    public void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = NoiseHkdf.hkdf(openMac(), ck, inputKeyMaterial, 2);
        Arrays.fill(ck, (byte) 0);
        ck = out[0];
        initializeTruncated(out[1]);
    }

    /**
     * {@code MixHash(data)}: {@code h = HASH(h || data)}.
     *
     * @param data the bytes to bind into the transcript
     */
    public void mixHash(byte[] data) {
        if (digest == null) {
            throw new IllegalStateException("this SymmetricState is closed");
        }
        digest.update(h);
        digest.update(data);
        h = digest.digest();
    }

    /**
     * {@code MixKeyAndHash(input_key_material)}: {@code ck, temp_h, temp_k = HKDF(ck, ikm, 3)},
     * {@code MixHash(temp_h)}, then {@code InitializeKey(temp_k)} truncated to 32 bytes. Used for psks.
     *
     * @param inputKeyMaterial the pre-shared key
     */
    public void mixKeyAndHash(byte[] inputKeyMaterial) {
        byte[][] out = NoiseHkdf.hkdf(openMac(), ck, inputKeyMaterial, 3);
        Arrays.fill(ck, (byte) 0);
        ck = out[0];
        mixHash(out[1]);
        initializeTruncated(out[2]);
    }

    /**
     * {@code GetHandshakeHash()}: returns {@code h}, which after the handshake identifies it uniquely
     * (for channel binding).
     *
     * @return a copy of {@code h}, HASHLEN bytes
     */
    public byte[] getHandshakeHash() {
        return h.clone();
    }

    /**
     * Returns whether the cipher state has a key, which decides whether {@code s} is sent encrypted.
     *
     * @return {@code HasKey()} of the cipher state
     */
    public boolean hasKey() {
        return cipherState.hasKey();
    }

    /**
     * {@code EncryptAndHash(plaintext)}: {@code ciphertext = EncryptWithAd(h, plaintext)}, then
     * {@code MixHash(ciphertext)}.
     *
     * @param plaintext the plaintext
     * @return the ciphertext (the plaintext itself while the key is empty)
     */
    public byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    /**
     * {@code DecryptAndHash(ciphertext)}: {@code plaintext = DecryptWithAd(h, ciphertext)}, then
     * {@code MixHash(ciphertext)}.
     *
     * @param ciphertext the ciphertext
     * @return the plaintext
     * @throws AeadAuthenticationException if the ciphertext does not authenticate
     */
    public byte[] decryptAndHash(byte[] ciphertext) throws AeadAuthenticationException {
        byte[] plaintext = cipherState.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /**
     * {@code Split()}: {@code temp_k1, temp_k2 = HKDF(ck, zerolen, 2)}, truncated to 32 bytes, as two new
     * cipher states.
     *
     * @return {@code c1} (initiator to responder) and {@code c2} (responder to initiator)
     */
    public CipherStatePair split() {
        byte[][] out = NoiseHkdf.hkdf(openMac(), ck, new byte[0], 2);
        byte[] k1 = Arrays.copyOf(out[0], NoiseCipher.KEY_SIZE_BYTES);
        byte[] k2 = Arrays.copyOf(out[1], NoiseCipher.KEY_SIZE_BYTES);
        try {
            CipherState c1 = new CipherState(protocol.cipher());
            CipherState c2 = new CipherState(protocol.cipher());
            c1.initializeKey(k1);
            c2.initializeKey(k2);
            return new CipherStatePair(c1, c2);
        } finally {
            Arrays.fill(out[0], (byte) 0);
            Arrays.fill(out[1], (byte) 0);
            Arrays.fill(k1, (byte) 0);
            Arrays.fill(k2, (byte) 0);
        }
    }

    /**
     * Wipes {@code ck}, closes the cipher state and drops the hash and HMAC objects, so that a finished handshake
     * kept by its owner holds no JCA state; {@link #getHandshakeHash()} still works, the other operations throw
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        Arrays.fill(ck, (byte) 0);
        cipherState.close();
        digest = null;
        mac = null;
    }

    private Mac openMac() {
        if (mac == null) {
            throw new IllegalStateException("this SymmetricState is closed");
        }
        return mac;
    }

    /**
     * Returns a redacted description.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "SymmetricState[" + protocol + ", keys redacted]";
    }

    private void initializeTruncated(byte[] tempK) {
        byte[] key = Arrays.copyOf(tempK, NoiseCipher.KEY_SIZE_BYTES);
        try {
            cipherState.initializeKey(key);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(tempK, (byte) 0);
        }
    }
}
