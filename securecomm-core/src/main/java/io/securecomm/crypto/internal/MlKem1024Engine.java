package io.securecomm.crypto.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.DestroyFailedException;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * ML-KEM-1024 (FIPS 203) on raw encodings, computed by Bouncy Castle's lightweight {@code org.bouncycastle.crypto.kems}
 * classes: the only place securecomm touches them. {@code io.securecomm.crypto.MlKem1024} is the public face.
 *
 * <p>Encodings are FIPS 203's: an encapsulation key {@code ek} of {@value #PUBLIC_KEY_BYTES} bytes, a ciphertext of
 * {@value #CIPHERTEXT_BYTES}, a shared secret of {@value #SHARED_SECRET_BYTES}, and a decapsulation key kept as its
 * {@value #SEED_BYTES}-byte seed {@code d || z} (the inputs of {@code ML-KEM.KeyGen_internal}), from which the
 * expanded key is recomputed. Encapsulation keys are checked as FIPS 203 section 7.2 requires (length, and every
 * coefficient below q: Bouncy Castle's modulus check) before any use.
 *
 * <p>Thread-safe: the static methods keep no state; a {@link DecapsulationKey} is immutable until
 * {@link DecapsulationKey#destroy()}.
 */
public final class MlKem1024Engine {
    /** Bytes of an encapsulation (public) key. */
    public static final int PUBLIC_KEY_BYTES = 1568;
    /** Bytes of a ciphertext. */
    public static final int CIPHERTEXT_BYTES = 1568;
    /** Bytes of a shared secret. */
    public static final int SHARED_SECRET_BYTES = 32;
    /** Bytes of a decapsulation key's seed, {@code d || z}. */
    public static final int SEED_BYTES = 64;
    /** Bytes of the randomness {@code m} of one encapsulation. */
    public static final int ENCAPSULATION_RANDOMNESS_BYTES = 32;

    private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_1024;

    private MlKem1024Engine() {}

    /**
     * Tells whether bytes are a valid encapsulation key: {@value #PUBLIC_KEY_BYTES} bytes whose every encoded
     * coefficient is below q = 3329 (FIPS 203, section 7.2, "modulus check").
     *
     * @param ek the candidate key
     * @return whether {@link #encapsulate} accepts it
     */
    public static boolean isValidPublicKey(byte[] ek) {
        Objects.requireNonNull(ek, "ek");
        if (ek.length != PUBLIC_KEY_BYTES) {
            return false;
        }
        try {
            new MLKEMPublicKeyParameters(PARAMETERS, ek);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Encapsulates to a key with fresh randomness ({@code ML-KEM.Encaps}).
     *
     * @param ek a valid encapsulation key
     * @param random the source of the 32-byte {@code m}
     * @return {@code {ciphertext, sharedSecret}}; the caller wipes the secret
     * @throws IllegalArgumentException if the key is not valid ({@link #isValidPublicKey})
     */
    public static byte[][] encapsulate(byte[] ek, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] m = new byte[ENCAPSULATION_RANDOMNESS_BYTES];
        random.nextBytes(m);
        try {
            return encapsulate(ek, m);
        } finally {
            Arrays.fill(m, (byte) 0);
        }
    }

    /**
     * Encapsulates with given randomness ({@code ML-KEM.Encaps_internal(ek, m)}): for known-answer tests and for the
     * public {@link #encapsulate(byte[], SecureRandom)} only; {@code m} must be fresh and secret every time.
     *
     * @param ek a valid encapsulation key
     * @param m 32 bytes
     * @return {@code {ciphertext, sharedSecret}}; the caller wipes the secret
     * @throws IllegalArgumentException if the key is not valid or {@code m} is not 32 bytes
     */
    public static byte[][] encapsulate(byte[] ek, byte[] m) {
        Objects.requireNonNull(ek, "ek");
        Objects.requireNonNull(m, "m");
        if (m.length != ENCAPSULATION_RANDOMNESS_BYTES) {
            throw new IllegalArgumentException("m must be " + ENCAPSULATION_RANDOMNESS_BYTES + " bytes, was "
                    + m.length);
        }
        if (ek.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("ML-KEM-1024 encapsulation key must be " + PUBLIC_KEY_BYTES
                    + " bytes, was " + ek.length);
        }
        MLKEMPublicKeyParameters key = new MLKEMPublicKeyParameters(PARAMETERS, ek); // modulus check
        SecretWithEncapsulation s = MLKEMGenerator.internalGenerateEncapsulated(key, m);
        try {
            return new byte[][] {s.getEncapsulation(), s.getSecret()};
        } finally {
            try {
                s.destroy();
            } catch (DestroyFailedException ignored) {
                // Best effort: the secret was copied out above.
            }
        }
    }

    /**
     * A decapsulation key, expanded once from its seed. A secret: {@link #destroy()} wipes what can be wiped (best
     * effort on the JVM); no {@code equals}, redacted {@code toString}.
     */
    public static final class DecapsulationKey {
        private final MLKEMPrivateKeyParameters key;

        private DecapsulationKey(MLKEMPrivateKeyParameters key) {
            this.key = key;
        }

        /**
         * Derives a key pair from its seed ({@code ML-KEM.KeyGen_internal(d, z)} with {@code seed = d || z}).
         *
         * @param seed {@value MlKem1024Engine#SEED_BYTES} bytes (copied)
         * @return the key
         * @throws IllegalArgumentException if the seed has the wrong length
         */
        public static DecapsulationKey fromSeed(byte[] seed) {
            Objects.requireNonNull(seed, "seed");
            if (seed.length != SEED_BYTES) {
                throw new IllegalArgumentException("ML-KEM-1024 seed must be " + SEED_BYTES + " bytes, was "
                        + seed.length);
            }
            return new DecapsulationKey(new MLKEMPrivateKeyParameters(PARAMETERS, seed.clone()));
        }

        /**
         * Imports an expanded decapsulation key of FIPS 203 ({@code dk}, 3168 bytes), checking its embedded hash:
         * for known-answer tests, whose vectors give {@code dk} rather than the seed.
         *
         * @param dk the expanded key
         * @return the key
         * @throws IllegalArgumentException if it has the wrong length or fails the check
         */
        public static DecapsulationKey fromExpandedForTesting(byte[] dk) {
            Objects.requireNonNull(dk, "dk");
            return new DecapsulationKey(new MLKEMPrivateKeyParameters(PARAMETERS, dk.clone()));
        }

        /**
         * Returns the encapsulation key.
         *
         * @return {@value MlKem1024Engine#PUBLIC_KEY_BYTES} bytes
         */
        public byte[] publicKey() {
            return key.getPublicKey();
        }

        /**
         * Returns the expanded decapsulation key {@code dk} (FIPS 203), for known-answer tests.
         *
         * @return 3168 SECRET bytes; the caller wipes them
         */
        public byte[] expandedForTesting() {
            return key.getEncoded();
        }

        /**
         * Decapsulates ({@code ML-KEM.Decaps}). A ciphertext that was not made for this key, or was changed, gives
         * an unrelated pseudo-random secret (implicit rejection), never an error: whoever uses the secret must
         * authenticate something with it.
         *
         * @param ciphertext {@value MlKem1024Engine#CIPHERTEXT_BYTES} bytes
         * @return the 32-byte shared secret; the caller wipes it
         * @throws IllegalArgumentException if the ciphertext has the wrong length
         */
        public byte[] decapsulate(byte[] ciphertext) {
            Objects.requireNonNull(ciphertext, "ciphertext");
            if (ciphertext.length != CIPHERTEXT_BYTES) {
                throw new IllegalArgumentException("ML-KEM-1024 ciphertext must be " + CIPHERTEXT_BYTES
                        + " bytes, was " + ciphertext.length);
            }
            return new MLKEMExtractor(key).extractSecret(ciphertext);
        }

        /** Wipes the key material Bouncy Castle lets us wipe. */
        public void destroy() {
            key.destroy();
        }

        /**
         * Redacted.
         *
         * @return a description without key material
         */
        @Override
        public String toString() {
            return "MlKem1024Engine.DecapsulationKey[<redacted>]";
        }
    }
}
