package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import io.securecomm.wire.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a client publishes to the relay (PQXDH section 3.2): its identity, its current signed curve pre-key, its
 * current signed last-resort ML-KEM pre-key, a batch of one-time curve pre-keys and a batch of signed one-time ML-KEM
 * pre-keys. The relay keeps the latest signed keys, adds the one-time keys to those it holds, and builds one
 * {@link PreKeyBundle} per request with {@link #bundle(PublicPreKey, SignedKemPreKey)}, handing each one-time key out
 * once.
 *
 * <p>Encoding (version 2; every KEM pre-key is {@link SignedKemPreKey}'s 1638-byte encoding):
 * <pre>
 * +------+----------------+------------+-------------+-------------+---------------------------+
 * | 0x02 | identity (128) | spk id (4) | spk key(32) | spk sig(64) | last-resort KEM pre-key   |
 * |      |                |            |             |             | (1638)                    |
 * +------+----------------+------------+-------------+-------------+---------------------------+
 * | count (2) | count x [id (4) | key (32)] | kem count (2) | kem count x one-time KEM pre-key (1638) |
 * +-----------+---------------------------+---------------+-----------------------------------------+
 * </pre>
 * The signed part, what a relay may remember as verified, is bytes 1 to {@value #SIGNED_PART_BYTES}: the identity,
 * the signed curve pre-key and the last-resort KEM pre-key. Version 1 (X3DH, no KEM pre-keys) is refused with
 * {@link PostQuantumRequiredException}.
 *
 * @param identity the client's identity key
 * @param signedPreKey the client's current signed curve pre-key
 * @param lastResortKemPreKey the client's current signed last-resort KEM pre-key
 * @param oneTimePreKeys new one-time curve pre-keys (possibly none); copied into an unmodifiable list
 * @param oneTimeKemPreKeys new signed one-time KEM pre-keys (possibly none); copied into an unmodifiable list
 */
public record PreKeyUpload(IdentityKey identity, SignedPublicPreKey signedPreKey, SignedKemPreKey lastResortKemPreKey,
        List<PublicPreKey> oneTimePreKeys, List<SignedKemPreKey> oneTimeKemPreKeys) {
    private static final int VERSION = 2;
    private static final int X3DH_VERSION = 1;
    private static final int CURVE_PRE_KEY_BYTES = 4 + X25519.KEY_BYTES;
    /** The most one-time curve pre-keys one upload may carry. */
    public static final int MAX_ONE_TIME_PRE_KEYS = 1000;
    /** The most one-time KEM pre-keys one upload may carry. */
    public static final int MAX_ONE_TIME_KEM_PRE_KEYS = 16;
    /** The most bytes of one encoded upload: the wire's cap of the field that carries it. */
    public static final int MAX_ENCODED_BYTES = Limits.PRE_KEYS_FIELD_MAX_BYTES;
    /** Bytes of the signed part: identity (128), signed curve pre-key (4 + 32 + 64), last-resort KEM pre-key. */
    public static final int SIGNED_PART_BYTES = IdentityKey.ENCODED_BYTES + 4 + X25519.KEY_BYTES
            + Ed25519.SIGNATURE_BYTES + SignedKemPreKey.ENCODED_BYTES;
    /** Bytes of an upload without one-time keys: version, signed part and both counts. */
    public static final int FIXED_BYTES = 1 + SIGNED_PART_BYTES + 2 + 2;

    /**
     * Creates the upload.
     *
     * @param identity the identity key
     * @param signedPreKey the signed curve pre-key
     * @param lastResortKemPreKey the signed last-resort KEM pre-key
     * @param oneTimePreKeys the one-time curve pre-keys, at most {@value #MAX_ONE_TIME_PRE_KEYS}
     * @param oneTimeKemPreKeys the one-time KEM pre-keys, at most {@value #MAX_ONE_TIME_KEM_PRE_KEYS}
     * @throws IllegalArgumentException if there are too many one-time keys, the encoding would be longer than
     *     {@value #MAX_ENCODED_BYTES} bytes, or a KEM pre-key is of the wrong kind for its place
     */
    public PreKeyUpload {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(lastResortKemPreKey, "lastResortKemPreKey");
        oneTimePreKeys = List.copyOf(oneTimePreKeys);
        oneTimeKemPreKeys = List.copyOf(oneTimeKemPreKeys);
        if (oneTimePreKeys.size() > MAX_ONE_TIME_PRE_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_ONE_TIME_PRE_KEYS
                    + " one-time pre-keys per upload, got " + oneTimePreKeys.size());
        }
        if (oneTimeKemPreKeys.size() > MAX_ONE_TIME_KEM_PRE_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_ONE_TIME_KEM_PRE_KEYS + " one-time KEM pre-keys per"
                    + " upload, got " + oneTimeKemPreKeys.size());
        }
        if (lastResortKemPreKey.kind() != KemPreKeyKind.LAST_RESORT) {
            throw new IllegalArgumentException("the last-resort KEM pre-key is of kind " + lastResortKemPreKey.kind());
        }
        for (SignedKemPreKey k : oneTimeKemPreKeys) {
            if (k.kind() != KemPreKeyKind.ONE_TIME) {
                throw new IllegalArgumentException("one-time KEM pre-key " + k.id() + " is of kind " + k.kind());
            }
        }
        int length = encodedLength(oneTimePreKeys.size(), oneTimeKemPreKeys.size());
        if (length > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("the upload would take " + length + " bytes; the most is "
                    + MAX_ENCODED_BYTES);
        }
    }

    /**
     * The length of the encoding of an upload with so many one-time keys.
     *
     * @param oneTimePreKeys how many one-time curve pre-keys
     * @param oneTimeKemPreKeys how many one-time KEM pre-keys
     * @return bytes
     */
    public static int encodedLength(int oneTimePreKeys, int oneTimeKemPreKeys) {
        return FIXED_BYTES + oneTimePreKeys * CURVE_PRE_KEY_BYTES + oneTimeKemPreKeys * SignedKemPreKey.ENCODED_BYTES;
    }

    /**
     * Builds the bundle the relay hands out, with one of this upload's (or an earlier upload's) one-time keys, or
     * none.
     *
     * @param oneTimePreKey the one-time curve pre-key to hand out, or {@code null} when none is left
     * @param oneTimeKemPreKey the one-time KEM pre-key to hand out, or {@code null} when none is left: the bundle then
     *     carries the last-resort KEM pre-key
     * @return the bundle
     */
    public PreKeyBundle bundle(PublicPreKey oneTimePreKey, SignedKemPreKey oneTimeKemPreKey) {
        return new PreKeyBundle(identity, signedPreKey, oneTimePreKey,
                oneTimeKemPreKey != null ? oneTimeKemPreKey : lastResortKemPreKey);
    }

    /**
     * Checks every signature: the identity's binding, the signed curve pre-key's, the last-resort KEM pre-key's
     * ({@link #verifySignedPart()}) and each one-time KEM pre-key's ({@link #verifyOneTimeKemPreKeys()}).
     *
     * @throws InvalidSignatureException if any does not verify
     */
    public void verify() throws InvalidSignatureException {
        verifySignedPart();
        verifyOneTimeKemPreKeys();
    }

    /**
     * Checks the signatures of the signed part: the identity's binding, the signed curve pre-key and the last-resort
     * KEM pre-key.
     *
     * @throws InvalidSignatureException if any does not verify
     */
    public void verifySignedPart() throws InvalidSignatureException {
        identity.verify();
        signedPreKey.verify(identity);
        lastResortKemPreKey.verify(identity);
    }

    /**
     * Checks the signature of every one-time KEM pre-key.
     *
     * @throws InvalidSignatureException if any does not verify
     */
    public void verifyOneTimeKemPreKeys() throws InvalidSignatureException {
        for (SignedKemPreKey k : oneTimeKemPreKeys) {
            k.verify(identity);
        }
    }

    /**
     * Encodes the upload.
     *
     * @return the encoding shown above
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter().u8(VERSION).bytes(identity.encode()).u32(signedPreKey.id())
                .bytes(signedPreKey.publicKey()).bytes(signedPreKey.signature());
        lastResortKemPreKey.write(w).u16(oneTimePreKeys.size());
        for (PublicPreKey k : oneTimePreKeys) {
            w.u32(k.id()).bytes(k.publicKey());
        }
        w.u16(oneTimeKemPreKeys.size());
        for (SignedKemPreKey k : oneTimeKemPreKeys) {
            k.write(w);
        }
        return w.toByteArray();
    }

    /**
     * Decodes an upload, checks its keys ({@link #checkKeys()}) and verifies its signatures (the relay should refuse
     * an upload that fails).
     *
     * @param encoded the encoding
     * @return the upload
     * @throws PostQuantumRequiredException if it is a version 1 (X3DH) upload, without KEM pre-keys
     * @throws InvalidEncodingException if it does not parse or carries too many keys
     * @throws InvalidPreKeyException if a key or identifier is not acceptable ({@link #checkKeys()})
     * @throws InvalidSignatureException if a signature does not verify
     */
    public static PreKeyUpload decode(byte[] encoded) throws PostQuantumRequiredException, InvalidEncodingException,
            InvalidPreKeyException, InvalidSignatureException {
        PreKeyUpload u = decodeWithoutVerifyingSignatures(encoded);
        u.verify();
        return u;
    }

    /**
     * Decodes an upload and checks its keys ({@link #checkKeys()}), but does NOT verify its signatures: for a relay
     * that remembers which signed parts it has verified before and calls {@link #verifySignedPart()} for the others,
     * and {@link #verifyOneTimeKemPreKeys()} always. Anything else must use {@link #decode}.
     *
     * @param encoded the encoding
     * @return the upload, its signatures unchecked
     * @throws PostQuantumRequiredException if it is a version 1 (X3DH) upload, without KEM pre-keys
     * @throws InvalidEncodingException if it does not parse or carries too many keys
     * @throws InvalidPreKeyException if a key or identifier is not acceptable ({@link #checkKeys()})
     */
    public static PreKeyUpload decodeWithoutVerifyingSignatures(byte[] encoded)
            throws PostQuantumRequiredException, InvalidEncodingException, InvalidPreKeyException {
        ByteReader r = new ByteReader(encoded, "pre-key upload");
        int v = r.u8();
        if (v == X3DH_VERSION) {
            throw new PostQuantumRequiredException("pre-key upload version 1 has no post-quantum (ML-KEM) pre-keys;"
                    + " this relay requires PQXDH (version 2): upgrade securecomm");
        }
        if (v != VERSION) {
            throw new InvalidEncodingException("pre-key upload version " + v + " is not " + VERSION);
        }
        if (encoded.length > MAX_ENCODED_BYTES) {
            throw new InvalidEncodingException("pre-key upload of " + encoded.length + " bytes; the most is "
                    + MAX_ENCODED_BYTES);
        }
        IdentityKey id = new IdentityKey(r.bytes(Ed25519.PUBLIC_KEY_BYTES), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        SignedPublicPreKey spk = new SignedPublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        SignedKemPreKey lastResort = SignedKemPreKey.read(r);
        int n = r.u16();
        if (n > MAX_ONE_TIME_PRE_KEYS) {
            throw new InvalidEncodingException("pre-key upload carries " + n + " one-time pre-keys; the maximum is "
                    + MAX_ONE_TIME_PRE_KEYS);
        }
        List<PublicPreKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(new PublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES)));
        }
        int kemCount = r.u16();
        if (kemCount > MAX_ONE_TIME_KEM_PRE_KEYS) {
            throw new InvalidEncodingException("pre-key upload carries " + kemCount + " one-time KEM pre-keys; the"
                    + " maximum is " + MAX_ONE_TIME_KEM_PRE_KEYS);
        }
        List<SignedKemPreKey> kemKeys = new ArrayList<>(kemCount);
        for (int i = 0; i < kemCount; i++) {
            kemKeys.add(SignedKemPreKey.read(r));
        }
        r.end();
        checkKinds(lastResort, kemKeys);
        PreKeyUpload u = new PreKeyUpload(id, spk, lastResort, keys, kemKeys);
        u.checkKeys();
        return u;
    }

    private static void checkKinds(SignedKemPreKey lastResort, List<SignedKemPreKey> oneTime)
            throws InvalidPreKeyException {
        if (lastResort.kind() != KemPreKeyKind.LAST_RESORT) {
            throw new InvalidPreKeyException("the last-resort KEM pre-key's place holds a one-time KEM pre-key ("
                    + Integer.toUnsignedString(lastResort.id()) + ")");
        }
        for (SignedKemPreKey k : oneTime) {
            if (k.kind() != KemPreKeyKind.ONE_TIME) {
                throw new InvalidPreKeyException("the one-time KEM pre-keys include a last-resort one ("
                        + Integer.toUnsignedString(k.id()) + ")");
            }
        }
    }

    /**
     * Checks what a relay can check of the keys without their owner's secrets, so that it never hands out a key that
     * could not start a session, or one that would confuse its owner: the identity's agreement key, the signed curve
     * pre-key and every one-time curve pre-key must be canonical X25519 encodings ({@link X25519#checkCanonical})
     * and not points of small order (the all-zero key among them: every shared secret with one is all zeros); every
     * KEM pre-key passed FIPS 203's check when it was decoded; one-time identifiers must be 1 to 2<sup>31</sup> - 1
     * and distinct within their kind (KEM pre-keys, the last-resort one included, share one space); the signed
     * pre-key's and the last-resort KEM pre-key's identifiers must not be negative. (Each identifier is a {@code u32}
     * on the wire and an {@code int} here: the top half of the range reads as negative.)
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
        Set<Integer> ids = new HashSet<>();
        for (PublicPreKey k : oneTimePreKeys) {
            checkOneTimeId(k.id(), "one-time pre-key", ids);
            checkKey(k.publicKey(), "one-time pre-key " + k.id());
        }
        if (lastResortKemPreKey.id() < 0) {
            throw new InvalidPreKeyException("last-resort KEM pre-key id "
                    + Integer.toUnsignedString(lastResortKemPreKey.id()) + " is above 2^31 - 1");
        }
        Set<Integer> kemIds = new HashSet<>();
        kemIds.add(lastResortKemPreKey.id());
        for (SignedKemPreKey k : oneTimeKemPreKeys) {
            checkOneTimeId(k.id(), "one-time KEM pre-key", kemIds);
        }
    }

    private static void checkOneTimeId(int id, String what, Set<Integer> seen) throws InvalidPreKeyException {
        if (id <= 0) {
            throw new InvalidPreKeyException(what + " id " + Integer.toUnsignedString(id)
                    + " is outside 1 to 2^31 - 1");
        }
        if (!seen.add(id)) {
            throw new InvalidPreKeyException(what + " id " + id + " appears twice");
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
