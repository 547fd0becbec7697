package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PublicPreKey;
import io.securecomm.e2e.SignedKemPreKey;
import io.securecomm.relay.store.PreKeyHandout;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.PreKeyRecord;
import io.securecomm.wire.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the relay lays out what it keeps in its {@link io.securecomm.relay.store.RelayStore}, which stores opaque bytes:
 * the records of a pre-key upload, the bundle made from a hand-out, and a stored message.
 *
 * <pre>
 * SIGNED record         an encoded PreKeyUpload without one-time keys: identity, signed curve pre-key and
 *                       last-resort ML-KEM pre-key with their signatures (key id: the signed pre-key's)
 * ONE_TIME record       the 32-byte X25519 public key (key id: its id)
 * ONE_TIME_KEM record   an encoded SignedKemPreKey (key id: its id)
 *
 * stored message        +------+---------------------+-------------------------+
 *                       | n u8 | sender's key, n B   | ciphertext, as sent     |
 *                       +------+---------------------+-------------------------+
 * </pre>
 *
 * <p>The relay verified every signature when the upload arrived; the store holds nothing it did not accept.
 */
final class StoredRecords {
    private StoredRecords() {}

    /** The store's records of an accepted upload. */
    static List<PreKeyRecord> records(PreKeyUpload upload) {
        List<PreKeyRecord> out = new ArrayList<>(1 + upload.oneTimePreKeys().size()
                + upload.oneTimeKemPreKeys().size());
        out.add(new PreKeyRecord(PreKeyKind.SIGNED, upload.signedPreKey().id(), new PreKeyUpload(upload.identity(),
                upload.signedPreKey(), upload.lastResortKemPreKey(), List.of(), List.of()).encode()));
        for (PublicPreKey k : upload.oneTimePreKeys()) {
            out.add(new PreKeyRecord(PreKeyKind.ONE_TIME, k.id(), k.publicKey()));
        }
        for (SignedKemPreKey k : upload.oneTimeKemPreKeys()) {
            out.add(new PreKeyRecord(PreKeyKind.ONE_TIME_KEM, k.id(), k.encode()));
        }
        return out;
    }

    /**
     * The bundle a hand-out from the store makes, or empty if it holds no signed pre-key.
     *
     * @throws E2eException if a record does not decode (the store was changed by something else)
     */
    static Optional<PreKeyBundle> bundle(PreKeyHandout handout) throws E2eException {
        Optional<PreKeyRecord> signed = handout.record(PreKeyKind.SIGNED);
        if (signed.isEmpty()) {
            return Optional.empty();
        }
        PreKeyUpload keys = PreKeyUpload.decodeWithoutVerifyingSignatures(signed.get().publicRecord());
        PublicPreKey oneTime = handout.record(PreKeyKind.ONE_TIME)
                .map(r -> new PublicPreKey(r.keyId(), r.publicRecord())).orElse(null);
        Optional<PreKeyRecord> kem = handout.record(PreKeyKind.ONE_TIME_KEM);
        return Optional.of(keys.bundle(oneTime, kem.isPresent() ? SignedKemPreKey.decode(kem.get().publicRecord())
                : null));
    }

    /** A stored message: the sender's identity key, then the ciphertext. */
    static byte[] message(byte[] senderKey, byte[] ciphertext) {
        byte[] out = new byte[1 + senderKey.length + ciphertext.length];
        out[0] = (byte) senderKey.length;
        System.arraycopy(senderKey, 0, out, 1, senderKey.length);
        System.arraycopy(ciphertext, 0, out, 1 + senderKey.length, ciphertext.length);
        return out;
    }

    /** The sender's key of a stored message, or empty if the bytes are not one. */
    static Optional<byte[]> senderKey(byte[] stored) {
        int n = stored.length == 0 ? 0 : stored[0] & 0xFF;
        if (n < Limits.IDENTITY_KEY_MIN_BYTES || n > Limits.IDENTITY_KEY_MAX_BYTES || stored.length < 2 + n
                || stored.length - 1 - n > Limits.ENVELOPE_FIELD_MAX_BYTES) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(stored, 1, 1 + n));
    }

    /** The ciphertext of a stored message whose {@link #senderKey} was present. */
    static byte[] ciphertext(byte[] stored) {
        return Arrays.copyOfRange(stored, 1 + (stored[0] & 0xFF), stored.length);
    }
}
