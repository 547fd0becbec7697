package io.securecomm.e2e;

import io.securecomm.e2e.internal.Ed25519;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client's public long-term identity: an Ed25519 signing key, an X25519 key-agreement key, and the
 * Ed25519 signature that binds the X25519 key to the signing key.
 *
 * <p>Signal uses one X25519 key for both jobs and signs with XEdDSA; the JDK has no XEdDSA, so
 * securecomm uses two keys and binds them (see {@code docs/E2E.md}). The binding signature is over
 * {@code "securecomm-identity-v1" || agreementKey}. Everything that identifies a client (the
 * {@link #fingerprint()}, the {@link SafetyNumber}, the PQXDH associated data) covers both public keys.
 *
 * <p>Encoding, {@value #ENCODED_BYTES} bytes:
 * <pre>
 * +----------------------+------------------------+--------------------------+
 * | signingKey (32)      | agreementKey (32)      | binding signature (64)   |
 * | Ed25519 public key   | X25519 public key      | Ed25519 over context||xk |
 * +----------------------+------------------------+--------------------------+
 * </pre>
 *
 * <p>Immutable; arrays are copied in and out.
 *
 * @param signingKey the 32-byte Ed25519 public key
 * @param agreementKey the 32-byte X25519 public key
 * @param binding the 64-byte Ed25519 signature binding {@code agreementKey} to {@code signingKey}
 */
public record IdentityKey(byte[] signingKey, byte[] agreementKey, byte[] binding) {
    /** Length of {@link #encode()}. */
    public static final int ENCODED_BYTES = 128;

    // Ed25519 verification costs 0.1 ms (Bouncy Castle) to 0.5 ms (JDK 17) and every pre-key message, bundle and stored
    // session carries an identity; remember the encodings that verified (only successes, by full value).
    private static final int VERIFIED_CACHE_ENTRIES = 1024;
    private static final Map<ByteBuffer, Boolean> VERIFIED = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > VERIFIED_CACHE_ENTRIES;
        }
    };

    private static final byte[] BINDING_CONTEXT = "securecomm-identity-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Creates an identity key from its parts, without checking the binding (call {@link #verify()}).
     *
     * @param signingKey the 32-byte Ed25519 public key
     * @param agreementKey the 32-byte X25519 public key
     * @param binding the 64-byte binding signature
     * @throws IllegalArgumentException if a part has the wrong length
     */
    public IdentityKey {
        signingKey = checkedCopy(signingKey, Ed25519.PUBLIC_KEY_BYTES, "signingKey");
        agreementKey = checkedCopy(agreementKey, X25519.KEY_BYTES, "agreementKey");
        binding = checkedCopy(binding, Ed25519.SIGNATURE_BYTES, "binding");
    }

    private static byte[] checkedCopy(byte[] b, int len, String name) {
        Objects.requireNonNull(b, name);
        if (b.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes, was " + b.length);
        }
        return b.clone();
    }

    static byte[] bindingMessage(byte[] agreementKey) {
        return Ed25519.concat(BINDING_CONTEXT, agreementKey);
    }

    /**
     * Decodes and verifies an identity key.
     *
     * @param encoded exactly {@value #ENCODED_BYTES} bytes
     * @return the identity key, its binding signature verified
     * @throws InvalidEncodingException if the length is wrong
     * @throws InvalidSignatureException if the binding signature does not verify
     */
    public static IdentityKey decode(byte[] encoded) throws InvalidEncodingException, InvalidSignatureException {
        ByteReader r = new ByteReader(encoded, "identity key");
        IdentityKey k = read(r);
        r.end();
        return k;
    }

    /**
     * Reads and verifies an identity key from the middle of a larger encoding.
     *
     * @param r the reader
     * @return the identity key
     * @throws InvalidEncodingException if truncated
     * @throws InvalidSignatureException if the binding signature does not verify
     */
    static IdentityKey read(ByteReader r) throws InvalidEncodingException, InvalidSignatureException {
        IdentityKey k = new IdentityKey(r.bytes(Ed25519.PUBLIC_KEY_BYTES), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        k.verify();
        return k;
    }

    /**
     * Checks that the binding signature is the signing key's signature over the agreement key.
     *
     * @throws InvalidSignatureException if it is not
     */
    public void verify() throws InvalidSignatureException {
        ByteBuffer encoding = ByteBuffer.wrap(encode());
        synchronized (VERIFIED) {
            if (VERIFIED.containsKey(encoding)) {
                return;
            }
        }
        if (!Ed25519.verify(signingKey, bindingMessage(agreementKey), binding)) {
            throw new InvalidSignatureException("identity key's binding signature does not verify");
        }
        synchronized (VERIFIED) {
            VERIFIED.put(encoding, Boolean.TRUE);
        }
    }

    /**
     * Checks an Ed25519 signature made with this identity's signing key.
     *
     * @param message the signed bytes
     * @param signature the signature
     * @return whether it verifies
     */
    public boolean verifySignature(byte[] message, byte[] signature) {
        return Ed25519.verify(signingKey, message, signature);
    }

    /**
     * Returns the {@value #ENCODED_BYTES}-byte encoding.
     *
     * @return {@code signingKey || agreementKey || binding}
     */
    public byte[] encode() {
        return Ed25519.concat(signingKey, agreementKey, binding);
    }

    /**
     * Returns both public keys, {@code signingKey || agreementKey} (64 bytes): what fingerprints,
     * safety numbers and the PQXDH associated data cover. The binding signature is left out because it
     * is determined by the keys' owner, not by the keys.
     *
     * @return 64 bytes
     */
    public byte[] publicKeys() {
        return Ed25519.concat(signingKey, agreementKey);
    }

    /**
     * Returns a short fingerprint for warnings and logs: the first 16 bytes of SHA-256 over
     * {@link #publicKeys()}, in hex, grouped by 4 digits. Compare {@link SafetyNumber}s to verify a peer.
     *
     * @return e.g. {@code "3f2a 91c0 ..."}
     */
    public String fingerprint() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(publicKeys());
            String hex = HexFormat.of().formatHex(h, 0, 16);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 4) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(hex, i, i + 4);
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /**
     * Returns a copy of the Ed25519 public key.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /**
     * Returns a copy of the X25519 public key.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    /**
     * Returns a copy of the binding signature.
     *
     * @return 64 bytes
     */
    @Override
    public byte[] binding() {
        return binding.clone();
    }

    /**
     * Two identity keys are equal when both public keys and the binding signature are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey k && MessageDigest.isEqual(encode(), k.encode());
    }

    /**
     * Hashes the encoding.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    /**
     * Shows the fingerprint.
     *
     * @return {@code IdentityKey[fingerprint]}
     */
    @Override
    public String toString() {
        return "IdentityKey[" + fingerprint() + "]";
    }
}
