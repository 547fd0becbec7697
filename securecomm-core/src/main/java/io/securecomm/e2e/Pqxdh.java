package io.securecomm.e2e;

import static io.securecomm.e2e.ChainCrypto.wipe;

import io.securecomm.crypto.Hkdf;
import io.securecomm.crypto.MlKem1024;
import io.securecomm.crypto.MlKemEncapsulation;
import io.securecomm.e2e.internal.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The PQXDH key agreement as Signal's specification (<i>The PQXDH Key Agreement Protocol</i>,
 * signal.org/docs/specifications/pqxdh, revision 2 and later) defines it, with curve X25519, hash SHA-256, pqkem
 * ML-KEM-1024 and info {@value #INFO}:
 *
 * <pre>
 * DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   DH4 = DH(EK_A, OPK_B)
 * (CT, SS) = PQKEM-ENC(PQPK_B)        PQPK_B: a signed one-time KEM pre-key, or the signed last-resort one
 * SK  = HKDF-SHA-256(salt = 32 zero bytes, IKM = F || DH1 || DH2 || DH3 [|| DH4] || SS, info, 32 bytes)
 * F   = 32 bytes 0xFF
 * AD  = Encode(IK_A) || Encode(IK_B)   (each {@link IdentityKey#publicKeys()}, 64 bytes)
 * </pre>
 * {@code IK} is the identity's X25519 key-agreement key; the identity's Ed25519 key signs the signed curve pre-key
 * and every KEM pre-key, and its binding signature ties the two together (the JDK has no XEdDSA).
 *
 * <p>The initiator verifies all of the bundle's signatures before any DH or encapsulation and refuses a bad
 * bundle. The responder's one-time pre-keys (curve and KEM) are deleted by {@link SessionCipher} after the first
 * message decrypts. Thread-safe (stateless).
 */
final class Pqxdh {
    /**
     * The HKDF info string: securecomm's own identifier and the parameters, joined by {@code '_'} as the
     * specification's example does ({@code "MyProtocol_CURVE25519_SHA-512_CRYSTALS-KYBER-1024"}).
     */
    public static final String INFO = "securecomm-pqxdh-v1_CURVE25519_SHA-256_ML-KEM-1024";
    /** Length of the shared secret SK. */
    public static final int SHARED_SECRET_BYTES = 32;

    private static final byte[] INFO_BYTES = INFO.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] F = filled(X25519.KEY_BYTES, (byte) 0xff);

    private Pqxdh() {}

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
        private final byte[] kemCiphertext;
        private final PreKeyBundle bundle;

        private Initiation(byte[] sk, byte[] ad, byte[] ephemeralPublicKey, byte[] kemCiphertext,
                PreKeyBundle bundle) {
            this.sk = sk;
            this.ad = ad;
            this.ephemeralPublicKey = ephemeralPublicKey;
            this.kemCiphertext = kemCiphertext;
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
         * Returns the KEM ciphertext CT, to send.
         *
         * @return 1568 bytes
         */
        public byte[] kemCiphertext() {
            return kemCiphertext.clone();
        }

        /**
         * Returns the identifier of the signed curve pre-key used, to send.
         *
         * @return the id
         */
        public int signedPreKeyId() {
            return bundle.signedPreKey().id();
        }

        /**
         * Returns the identifier of the one-time curve pre-key used, if any, to send.
         *
         * @return the id or empty
         */
        public OptionalInt oneTimePreKeyId() {
            return bundle.oneTime().map(k -> OptionalInt.of(k.id())).orElse(OptionalInt.empty());
        }

        /**
         * Returns the identifier of the KEM pre-key encapsulated to, to send.
         *
         * @return the id
         */
        public int kemPreKeyId() {
            return bundle.kemPreKey().id();
        }

        /**
         * Returns the responder's signed curve pre-key, its first Double Ratchet public key.
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
            return "Pqxdh.Initiation[spk=" + signedPreKeyId() + ", opk=" + oneTimePreKeyId() + ", kem="
                    + Integer.toUnsignedString(kemPreKeyId()) + ", sk=<redacted>]";
        }
    }

    /**
     * The initiator's side: verifies the bundle, generates EK_A, encapsulates to the KEM pre-key and computes SK and
     * AD.
     *
     * @param initiator the initiator's identity (IK_A)
     * @param bundle the responder's pre-key bundle
     * @param random randomness for EK_A and the encapsulation
     * @return SK, AD and the fields the first message carries
     * @throws InvalidSignatureException if any of the bundle's signatures is bad
     * @throws InvalidEncodingException if a curve key in the bundle is not a valid X25519 public key
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
        byte[] ss = null;
        try (MlKemEncapsulation kem = MlKem1024.encapsulate(bundle.kemPreKey().publicKey(), random)) {
            dh1 = initiator.dh(spkB);
            dh2 = X25519.dh(ek[0], ikB);
            dh3 = X25519.dh(ek[0], spkB);
            if (bundle.oneTimePreKey() != null) {
                dh4 = X25519.dh(ek[0], bundle.oneTimePreKey().publicKey());
            }
            ss = kem.sharedSecret();
            byte[] sk = KDF(dh1, dh2, dh3, dh4, ss);
            return new Initiation(sk, associatedData(initiator.publicKey(), bundle.identity()), ek[1],
                    kem.ciphertext(), bundle);
        } finally {
            wipe(ek[0], dh1, dh2, dh3, dh4, ss);
        }
    }

    /**
     * The responder's side: computes SK from the initiator's identity, ephemeral key and KEM ciphertext with its own
     * identity, signed curve pre-key, KEM pre-key and (if the message named one) one-time curve pre-key. The caller
     * deletes the one-time pre-keys once the first message decrypts. A changed ciphertext does not fail here: it
     * decapsulates to an unrelated secret, and the first message then fails authentication.
     *
     * @param responder the responder's identity (IK_B)
     * @param signedPreKey the signed curve pre-key the message names (SPK_B)
     * @param oneTimePreKey the one-time curve pre-key the message names (OPK_B), or {@code null}
     * @param kemPreKey the KEM pre-key the message names (PQPK_B)
     * @param initiator the initiator's identity (IK_A)
     * @param ephemeralPublicKey the initiator's EK_A
     * @param kemCiphertext the initiator's CT
     * @return SK, 32 bytes; the caller wipes them
     * @throws InvalidEncodingException if a public key is not a valid X25519 public key
     */
    public static byte[] respond(IdentityKeyPair responder, SignedPreKeyRecord signedPreKey,
            OneTimePreKeyRecord oneTimePreKey, KemPreKeyRecord kemPreKey, IdentityKey initiator,
            byte[] ephemeralPublicKey, byte[] kemCiphertext) throws InvalidEncodingException {
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(kemPreKey, "kemPreKey");
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(kemCiphertext, "kemCiphertext");
        byte[] dh1 = null;
        byte[] dh2 = null;
        byte[] dh3 = null;
        byte[] dh4 = null;
        byte[] ss = null;
        try {
            dh1 = signedPreKey.dh(initiator.agreementKey());
            dh2 = responder.dh(ephemeralPublicKey);
            dh3 = signedPreKey.dh(ephemeralPublicKey);
            if (oneTimePreKey != null) {
                dh4 = oneTimePreKey.dh(ephemeralPublicKey);
            }
            ss = kemPreKey.decapsulate(kemCiphertext);
            return KDF(dh1, dh2, dh3, dh4, ss);
        } finally {
            wipe(dh1, dh2, dh3, dh4, ss);
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

    /** {@code KDF(KM)} of section 2.2, on {@code KM = DH1 || DH2 || DH3 [|| DH4] || SS}, in this order. */
    static byte[] KDF(byte[] dh1, byte[] dh2, byte[] dh3, byte[] dh4, byte[] ss) {
        Objects.requireNonNull(ss, "ss");
        byte[] km = dh4 == null ? Ed25519.concat(F, dh1, dh2, dh3, ss) : Ed25519.concat(F, dh1, dh2, dh3, dh4, ss);
        try {
            return Hkdf.derive(new byte[SHARED_SECRET_BYTES], km, INFO_BYTES, SHARED_SECRET_BYTES);
        } finally {
            wipe(km);
        }
    }
}
