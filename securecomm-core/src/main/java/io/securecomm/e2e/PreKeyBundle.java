package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import java.util.Objects;
import java.util.Optional;

/**
 * What the relay hands out for a peer so that a session can be started without the peer online (PQXDH section
 * 3.2): the peer's identity, its current signed curve pre-key, one signed ML-KEM pre-key (a one-time one while any
 * is left, otherwise the last-resort one) and, while any are left, one one-time curve pre-key. The relay deletes
 * the one-time keys it hands out.
 *
 * <p>Encoding (version 2; the KEM pre-key is {@link SignedKemPreKey}'s 1638-byte encoding):
 * <pre>
 * +------+----------------+------------+--------------+--------------+------------------+---------+---------------------------+
 * | 0x02 | identity (128) | spk id (4) | spk key (32) | spk sig (64) | KEM pre-key      | has (1) | [opk id (4) | opk key (32)] |
 * |      |                |            |              |              | (1638)           | 0 or 1  |                           |
 * +------+----------------+------------+--------------+--------------+------------------+---------+---------------------------+
 * </pre>
 * Version 1 (X3DH, no KEM pre-key) is refused with {@link PostQuantumRequiredException}: this version requires
 * PQXDH, so a bundle without a KEM pre-key, an older client's or one whose KEM pre-key the relay removed, never
 * starts a session.
 *
 * @param identity the peer's identity key
 * @param signedPreKey the peer's signed curve pre-key
 * @param oneTimePreKey a one-time curve pre-key, or {@code null} when the relay has none left
 * @param kemPreKey a signed one-time ML-KEM pre-key, or the signed last-resort one
 */
public record PreKeyBundle(IdentityKey identity, SignedPublicPreKey signedPreKey, PublicPreKey oneTimePreKey,
        SignedKemPreKey kemPreKey) {
    private static final int VERSION = 2;
    private static final int X3DH_VERSION = 1;
    /** The length of an encoding with a one-time curve pre-key, the longest. */
    public static final int MAX_ENCODED_BYTES = 1 + IdentityKey.ENCODED_BYTES + 4 + X25519.KEY_BYTES
            + Ed25519.SIGNATURE_BYTES + SignedKemPreKey.ENCODED_BYTES + 1 + 4 + X25519.KEY_BYTES;

    /**
     * Creates the bundle, without checking signatures (see {@link #verify()}).
     *
     * @param identity the identity key
     * @param signedPreKey the signed curve pre-key
     * @param oneTimePreKey the one-time curve pre-key, or {@code null}
     * @param kemPreKey the signed KEM pre-key (one-time or last-resort)
     */
    public PreKeyBundle {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(kemPreKey, "kemPreKey");
    }

    /**
     * Returns the one-time curve pre-key, if the bundle has one.
     *
     * @return the one-time pre-key or empty
     */
    public Optional<PublicPreKey> oneTime() {
        return Optional.ofNullable(oneTimePreKey);
    }

    /**
     * Checks the identity's binding signature, the signed curve pre-key's and the KEM pre-key's signatures (PQXDH
     * section 3.3: Alice verifies every signature and aborts if any fails).
     *
     * @throws InvalidSignatureException if any does not verify
     */
    public void verify() throws InvalidSignatureException {
        identity.verify();
        signedPreKey.verify(identity);
        kemPreKey.verify(identity);
    }

    /**
     * Encodes the bundle.
     *
     * @return the encoding shown above
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter().u8(VERSION).bytes(identity.encode()).u32(signedPreKey.id())
                .bytes(signedPreKey.publicKey()).bytes(signedPreKey.signature());
        kemPreKey.write(w).bool(oneTimePreKey != null);
        if (oneTimePreKey != null) {
            w.u32(oneTimePreKey.id()).bytes(oneTimePreKey.publicKey());
        }
        return w.toByteArray();
    }

    /**
     * Decodes a bundle and verifies its signatures.
     *
     * @param encoded the encoding
     * @return the bundle
     * @throws PostQuantumRequiredException if it is a version 1 (X3DH) bundle, without a KEM pre-key
     * @throws InvalidEncodingException if it does not parse
     * @throws InvalidPreKeyException if its KEM pre-key fails FIPS 203's check
     * @throws InvalidSignatureException if a signature does not verify
     */
    public static PreKeyBundle decode(byte[] encoded) throws PostQuantumRequiredException, InvalidEncodingException,
            InvalidPreKeyException, InvalidSignatureException {
        ByteReader r = new ByteReader(encoded, "pre-key bundle");
        int v = r.u8();
        if (v == X3DH_VERSION) {
            throw new PostQuantumRequiredException("the pre-key bundle has no ML-KEM pre-key (version 1, X3DH only):"
                    + " securecomm requires post-quantum session set-up (PQXDH); the peer's client or the relay is"
                    + " older, or the relay removed the key");
        }
        if (v != VERSION) {
            throw new InvalidEncodingException("pre-key bundle version " + v + " is not " + VERSION);
        }
        IdentityKey id = IdentityKey.read(r);
        SignedPublicPreKey spk = new SignedPublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        SignedKemPreKey kem = SignedKemPreKey.read(r);
        PublicPreKey opk = r.bool() ? new PublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES)) : null;
        r.end();
        PreKeyBundle b = new PreKeyBundle(id, spk, opk, kem);
        b.verify();
        return b;
    }
}
