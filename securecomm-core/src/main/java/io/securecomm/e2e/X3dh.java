package io.securecomm.e2e;

import static io.securecomm.e2e.internal.ChainCrypto.wipe;

import io.securecomm.crypto.Hkdf;
import io.securecomm.e2e.internal.Ed25519;
import io.securecomm.e2e.internal.X25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The X3DH key agreement as Signal's X3DH document (revision 1) specifies it, with curve X25519, hash
 * SHA-256 and info {@value #INFO}.
 *
 * <pre>
 * DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   DH4 = DH(EK_A, OPK_B)
 * SK  = HKDF-SHA-256(salt = 32 zero bytes, IKM = F || DH1 || DH2 || DH3 [|| DH4], info, 32 bytes)
 * F   = 32 bytes 0xFF
 * AD  = Encode(IK_A) || Encode(IK_B)   (each {@link IdentityKey#publicKeys()}, 64 bytes)
 * </pre>
 * {@code IK} here is the identity's X25519 key-agreement key; the identity's Ed25519 key signs the
 * signed pre-key, and its binding signature ties the two together (the JDK has no XEdDSA).
 *
 * <p>The initiator verifies the bundle's signatures before any DH and refuses a bad bundle. The
 * responder's one-time pre-key is deleted by {@link SessionCipher} after the first message decrypts.
 * Thread-safe (stateless).
 */
public final class X3dh {
    /** The HKDF info string. */
    public static final String INFO = "securecomm-x3dh-v1";
    /** Length of the shared secret SK. */
    public static final int SHARED_SECRET_BYTES = 32;

    private static final byte[] INFO_BYTES = INFO.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] F = filled(X25519.KEY_BYTES, (byte) 0xff);

    private X3dh() {}

    private static byte[] filled(int n, byte v) {
        byte[] b = new byte[n];
        Arrays.fill(b, v);
        return b;
    }

    /**
     * The initiator's result: the shared secret and the fields its first message must carry. A secret:
     * {@link #close()} wipes SK.
     */
    public static final class Initiation implements AutoCloseable {
        private final byte[] sk;
        private final byte[] ad;
        private final byte[] ephemeralPublicKey;
        private final PreKeyBundle bundle;

        private Initiation(byte[] sk, byte[] ad, byte[] ephemeralPublicKey, PreKeyBundle bundle) {
            this.sk = sk;
            this.ad = ad;
            this.ephemeralPublicKey = ephemeralPublicKey;
            this.bundle = bundle;
        }

        /**
         * Returns a copy of the shared secret SK.
         *
         * @return 32 bytes; the caller wipes them
         */
        public byte[] sharedSecret() {
            return sk.clone();
        }

        /**
         * Returns the associated data AD.
         *
         * @return {@code Encode(IK_A) || Encode(IK_B)}, 128 bytes
         */
        public byte[] associatedData() {
            return ad.clone();
        }

        /**
         * Returns the ephemeral public key EK_A, to send.
         *
         * @return 32 bytes
         */
        public byte[] ephemeralPublicKey() {
            return ephemeralPublicKey.clone();
        }

        /**
         * Returns the identifier of the signed pre-key used, to send.
         *
         * @return the id
         */
        public int signedPreKeyId() {
            return bundle.signedPreKey().id();
        }

        /**
         * Returns the identifier of the one-time pre-key used, if any, to send.
         *
         * @return the id or empty
         */
        public OptionalInt oneTimePreKeyId() {
            return bundle.oneTime().map(k -> OptionalInt.of(k.id())).orElse(OptionalInt.empty());
        }

        /**
         * Returns the responder's signed pre-key, its first Double Ratchet public key.
         *
         * @return 32 bytes
         */
        public byte[] responderRatchetKey() {
            return bundle.signedPreKey().publicKey();
        }

        /**
         * Returns the responder's identity key, as the bundle stated it.
         *
         * @return the identity key
         */
        public IdentityKey responderIdentity() {
            return bundle.identity();
        }

        /** Wipes SK. */
        @Override
        public void close() {
            wipe(sk);
        }

        /**
         * Redacted.
         *
         * @return a description without SK
         */
        @Override
        public String toString() {
            return "X3dh.Initiation[spk=" + signedPreKeyId() + ", opk=" + oneTimePreKeyId() + ", sk=<redacted>]";
        }
    }

    /**
     * The initiator's side: verifies the bundle, generates EK_A and computes SK and AD.
     *
     * @param initiator the initiator's identity (IK_A)
     * @param bundle the responder's pre-key bundle
     * @param random randomness for EK_A
     * @return SK, AD and the fields the first message carries
     * @throws InvalidSignatureException if the bundle's identity binding or signed pre-key signature is bad
     * @throws InvalidEncodingException if a key in the bundle is not a valid X25519 public key
     */
    public static Initiation initiate(IdentityKeyPair initiator, PreKeyBundle bundle, SecureRandom random)
            throws InvalidSignatureException, InvalidEncodingException {
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(random, "random");
        bundle.verify();
        byte[][] ek = X25519.generate(random);
        byte[] ikB = bundle.identity().agreementKey();
        byte[] spkB = bundle.signedPreKey().publicKey();
        byte[] dh1 = null;
        byte[] dh2 = null;
        byte[] dh3 = null;
        byte[] dh4 = null;
        try {
            dh1 = initiator.dh(spkB);
            dh2 = X25519.dh(ek[0], ikB);
            dh3 = X25519.dh(ek[0], spkB);
            if (bundle.oneTimePreKey() != null) {
                dh4 = X25519.dh(ek[0], bundle.oneTimePreKey().publicKey());
            }
            byte[] sk = KDF(dh1, dh2, dh3, dh4);
            return new Initiation(sk, associatedData(initiator.publicKey(), bundle.identity()), ek[1], bundle);
        } finally {
            wipe(ek[0], dh1, dh2, dh3, dh4);
        }
    }

    /**
     * The responder's side: computes SK from the initiator's identity and ephemeral key with its own
     * identity, signed pre-key and (if the message named one) one-time pre-key. The caller deletes the
     * one-time pre-key once the first message decrypts.
     *
     * @param responder the responder's identity (IK_B)
     * @param signedPreKey the signed pre-key the message names (SPK_B)
     * @param oneTimePreKey the one-time pre-key the message names (OPK_B), or {@code null}
     * @param initiator the initiator's identity (IK_A)
     * @param ephemeralPublicKey the initiator's EK_A
     * @return SK, 32 bytes; the caller wipes them
     * @throws InvalidEncodingException if a public key is not a valid X25519 public key
     */
    public static byte[] respond(IdentityKeyPair responder, SignedPreKeyRecord signedPreKey,
            OneTimePreKeyRecord oneTimePreKey, IdentityKey initiator, byte[] ephemeralPublicKey)
            throws InvalidEncodingException {
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(initiator, "initiator");
        byte[] dh1 = null;
        byte[] dh2 = null;
        byte[] dh3 = null;
        byte[] dh4 = null;
        try {
            dh1 = signedPreKey.dh(initiator.agreementKey());
            dh2 = responder.dh(ephemeralPublicKey);
            dh3 = signedPreKey.dh(ephemeralPublicKey);
            if (oneTimePreKey != null) {
                dh4 = oneTimePreKey.dh(ephemeralPublicKey);
            }
            return KDF(dh1, dh2, dh3, dh4);
        } finally {
            wipe(dh1, dh2, dh3, dh4);
        }
    }

    /**
     * The associated data both sides bind to the session: {@code Encode(IK_A) || Encode(IK_B)}.
     *
     * @param initiator the initiator's identity
     * @param responder the responder's identity
     * @return 128 bytes
     */
    public static byte[] associatedData(IdentityKey initiator, IdentityKey responder) {
        return Ed25519.concat(initiator.publicKeys(), responder.publicKeys());
    }

    static byte[] KDF(byte[] dh1, byte[] dh2, byte[] dh3, byte[] dh4) {
        byte[] km = dh4 == null ? Ed25519.concat(F, dh1, dh2, dh3) : Ed25519.concat(F, dh1, dh2, dh3, dh4);
        try {
            return Hkdf.derive(new byte[SHARED_SECRET_BYTES], km, INFO_BYTES, SHARED_SECRET_BYTES);
        } finally {
            wipe(km);
        }
    }
}
