package io.securecomm.e2e;

import io.securecomm.e2e.internal.ByteReader;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.e2e.internal.Ed25519;
import io.securecomm.e2e.internal.X25519;
import java.util.Objects;
import java.util.Optional;

/**
 * What the relay hands out for a peer so that a session can be started without the peer online (X3DH
 * section 3.2): the peer's identity, its current signed pre-key and, while any are left, one one-time
 * pre-key (which the relay then deletes).
 *
 * <p>Encoding (version 1):
 * <pre>
 * +---------+-----------------+-------------+--------------+----------------+---------+----------------------+
 * | 0x01    | identity (128)  | spk id (4)  | spk key (32) | spk sig (64)   | has (1) | [opk id (4) | key (32)]|
 * +---------+-----------------+-------------+--------------+----------------+---------+----------------------+
 * </pre>
 * {@code has} is 0 or 1; the one-time pre-key fields are present only when it is 1.
 *
 * @param identity the peer's identity key
 * @param signedPreKey the peer's signed pre-key
 * @param oneTimePreKey a one-time pre-key, or {@code null} when the relay has none left
 */
public record PreKeyBundle(IdentityKey identity, SignedPublicPreKey signedPreKey, PublicPreKey oneTimePreKey) {
    private static final int VERSION = 1;

    /**
     * Creates the bundle, without checking signatures (see {@link #verify()}).
     *
     * @param identity the identity key
     * @param signedPreKey the signed pre-key
     * @param oneTimePreKey the one-time pre-key, or {@code null}
     */
    public PreKeyBundle {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
    }

    /**
     * Returns the one-time pre-key, if the bundle has one.
     *
     * @return the one-time pre-key or empty
     */
    public Optional<PublicPreKey> oneTime() {
        return Optional.ofNullable(oneTimePreKey);
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
     * Encodes the bundle.
     *
     * @return the encoding shown above
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter().u8(VERSION).bytes(identity.encode()).u32(signedPreKey.id())
                .bytes(signedPreKey.publicKey()).bytes(signedPreKey.signature()).bool(oneTimePreKey != null);
        if (oneTimePreKey != null) {
            w.u32(oneTimePreKey.id()).bytes(oneTimePreKey.publicKey());
        }
        return w.toByteArray();
    }

    /**
     * Decodes a bundle and verifies both signatures.
     *
     * @param encoded the encoding
     * @return the bundle
     * @throws InvalidEncodingException if it does not parse
     * @throws InvalidSignatureException if a signature does not verify
     */
    public static PreKeyBundle decode(byte[] encoded) throws InvalidEncodingException, InvalidSignatureException {
        ByteReader r = new ByteReader(encoded, "pre-key bundle");
        int v = r.u8();
        if (v != VERSION) {
            throw new InvalidEncodingException("pre-key bundle version " + v + " is not " + VERSION);
        }
        IdentityKey id = IdentityKey.read(r);
        SignedPublicPreKey spk = new SignedPublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES),
                r.bytes(Ed25519.SIGNATURE_BYTES));
        PublicPreKey opk = r.bool() ? new PublicPreKey(r.u32(), r.bytes(X25519.KEY_BYTES)) : null;
        r.end();
        PreKeyBundle b = new PreKeyBundle(id, spk, opk);
        b.verify();
        return b;
    }
}
