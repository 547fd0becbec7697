package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteReader;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import io.securecomm.e2e.internal.X25519;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a client publishes to the relay: its identity, its current signed pre-key and a batch of
 * one-time pre-keys. The relay keeps the latest signed pre-key, adds the one-time pre-keys to those it
 * holds, and builds one {@link PreKeyBundle} per request with {@link #bundle(PublicPreKey)}, handing each
 * one-time pre-key out once.
 *
 * <p>Encoding (version 1):
 * <pre>
 * +------+----------------+------------+-------------+-------------+-----------+-------------------------+
 * | 0x01 | identity (128) | spk id (4) | spk key(32) | spk sig(64) | count (2) | count x [id (4)|key (32)]|
 * +------+----------------+------------+-------------+-------------+-----------+-------------------------+
 * </pre>
 *
 * @param identity the client's identity key
 * @param signedPreKey the client's current signed pre-key
 * @param oneTimePreKeys new one-time pre-keys (possibly none); copied into an unmodifiable list
 */
public record PreKeyUpload(IdentityKey identity, SignedPublicPreKey signedPreKey, List<PublicPreKey> oneTimePreKeys) {
    private static final int VERSION = 1;
    /** The most one-time pre-keys one upload may carry. */
    public static final int MAX_ONE_TIME_PRE_KEYS = 1000;

    /**
     * Creates the upload.
     *
     * @param identity the identity key
     * @param signedPreKey the signed pre-key
     * @param oneTimePreKeys the one-time pre-keys, at most {@value #MAX_ONE_TIME_PRE_KEYS}
     * @throws IllegalArgumentException if there are too many one-time pre-keys
     */
    public PreKeyUpload {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        oneTimePreKeys = List.copyOf(oneTimePreKeys);
        if (oneTimePreKeys.size() > MAX_ONE_TIME_PRE_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_ONE_TIME_PRE_KEYS + " one-time pre-keys per upload, got "
                    + oneTimePreKeys.size());
        }
    }

    /**
     * Builds the bundle the relay hands out, with one of this upload's (or an earlier upload's)
     * one-time pre-keys, or none.
     *
     * @param oneTimePreKey the one-time pre-key to hand out, or {@code null} when none is left
     * @return the bundle
     */
    public PreKeyBundle bundle(PublicPreKey oneTimePreKey) {
        return new PreKeyBundle(identity, signedPreKey, oneTimePreKey);
    }

    /**
     * Checks the identity's binding signature and the signed pre-key's signature.
     *
     * @throws InvalidSignatureException if either does not verify
     */
    public void verify() throws InvalidSignatureException {
        identity.verify();
        signedPreKey.verify(identity);
    }

    /**
     * Encodes the upload.
     *
     * @return the encoding shown above
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter().u8(VERSION).bytes(identity.encode()).u32(signedPreKey.id())
                .bytes(signedPreKey.publicKey()).bytes(signedPreKey.signature()).u16(oneTimePreKeys.size());
        for (PublicPreKey k : oneTimePreKeys) {
            w.u32(k.id()).bytes(k.publicKey());
        }
        return w.toByteArray();
    }

    /**
     * Decodes an upload, checks its keys ({@link #checkKeys()}) and verifies its signatures (the relay should refuse
     * an upload that fails).
     *
     * @param encoded the encoding
     * @return the upload
     * @throws InvalidEncodingException if it does not parse or carries too many keys
     * @throws InvalidPreKeyException if a key or identifier is not acceptable ({@link #checkKeys()})
     * @throws InvalidSignatureException if a signature does not verify
     */
    public static PreKeyUpload decode(byte[] encoded)
            throws InvalidEncodingException, InvalidPreKeyException, InvalidSignatureException {
        PreKeyUpload u = decodeWithoutVerifyingSignatures(encoded);
        u.verify();
        return u;
    }

    /**
     * Decodes an upload and checks its keys ({@link #checkKeys()}), but does NOT verify its signatures: for a relay
     * that remembers which (identity, signed pre-key, signature) it has verified before and calls {@link #verify()}
     * itself for the others. Anything else must use {@link #decode}.
     *
     * @param encoded the encoding
     * @return the upload, its signatures unchecked
     * @throws InvalidEncodingException if it does not parse or carries too many keys
     * @throws InvalidPreKeyException if a key or identifier is not acceptable ({@link #checkKeys()})
     */
    public static PreKeyUpload decodeWithoutVerifyingSignatures(byte[] encoded)
            throws InvalidEncodingException, InvalidPreKeyException {
        ByteReader r = new ByteReader(encoded, "pre-key upload");
        int v = r.u8();
        if (v != VERSION) {
            throw new InvalidEncodingException("pre-key upload version " + v + " is not " + VERSION);
        }
        IdentityKey id = new IdentityKey(r.bytes(Ed25519.PUBLIC_KEY_BYTES), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        SignedPublicPreKey spk = new SignedPublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        int n = r.u16();
        if (n > MAX_ONE_TIME_PRE_KEYS) {
            throw new InvalidEncodingException("pre-key upload carries " + n + " one-time pre-keys; the maximum is "
                    + MAX_ONE_TIME_PRE_KEYS);
        }
        List<PublicPreKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(new PublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES)));
        }
        r.end();
        PreKeyUpload u = new PreKeyUpload(id, spk, keys);
        u.checkKeys();
        return u;
    }

    /**
     * Checks what a relay can check of the keys without their owner's secrets, so that it never hands out a key
     * that could not start a session, or one that would: the identity's agreement key, the signed pre-key and every
     * one-time pre-key must be canonical X25519 encodings ({@link X25519#checkCanonical}) and not points of small
     * order (the all-zero key among them: every shared secret with one is all zeros); one-time pre-key identifiers
     * must be 1 to 2<sup>31</sup> - 1 and distinct within the upload; the signed pre-key's identifier must not be
     * negative. (Each identifier is a {@code u32} on the wire and an {@code int} here: the top half of the range
     * reads as negative.)
     *
     * @throws InvalidPreKeyException naming the first key or identifier found wrong
     */
    public void checkKeys() throws InvalidPreKeyException {
        checkKey(identity.agreementKey(), "the identity's agreement key");
        if (signedPreKey.id() < 0) {
            throw new InvalidPreKeyException("signed pre-key id " + Integer.toUnsignedString(signedPreKey.id())
                    + " is above 2^31 - 1");
        }
        checkKey(signedPreKey.publicKey(), "signed pre-key " + signedPreKey.id());
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (PublicPreKey k : oneTimePreKeys) {
            if (k.id() <= 0) {
                throw new InvalidPreKeyException("one-time pre-key id " + Integer.toUnsignedString(k.id())
                        + " is outside 1 to 2^31 - 1");
            }
            if (!ids.add(k.id())) {
                throw new InvalidPreKeyException("one-time pre-key id " + k.id() + " appears twice");
            }
            checkKey(k.publicKey(), "one-time pre-key " + k.id());
        }
    }

    private static void checkKey(byte[] key, String what) throws InvalidPreKeyException {
        try {
            X25519.checkCanonical(key);
        } catch (InvalidEncodingException e) {
            throw new InvalidPreKeyException(what + " is not a valid X25519 public key: " + e.getMessage(), e);
        }
        if (X25519.isLowOrder(key)) {
            throw new InvalidPreKeyException(what + " is a point of small order (every shared secret with it is"
                    + " all zeros)");
        }
    }
}
