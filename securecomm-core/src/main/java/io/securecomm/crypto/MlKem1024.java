package io.securecomm.crypto;

import io.securecomm.crypto.internal.MlKem1024Engine;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * ML-KEM-1024, the module-lattice key-encapsulation mechanism of FIPS 203 at its highest parameter set (NIST
 * security category 5), believed to resist attackers with a large quantum computer. securecomm uses it in PQXDH, so
 * that the key of a new end-to-end session does not depend on elliptic-curve Diffie-Hellman alone.
 *
 * <pre>
 *   owner:  MlKemKeyPair kp = MlKem1024.generateKeyPair(random);      publish kp.publicKey()
 *   sender: try (MlKemEncapsulation e = MlKem1024.encapsulate(pk, random)) {
 *               send(e.ciphertext()); use(e.sharedSecret());
 *           }
 *   owner:  byte[] ss = kp.decapsulate(ciphertext);                   the same 32 bytes
 * </pre>
 *
 * <p>The implementation is Bouncy Castle's ({@code org.bouncycastle.crypto.kems}, behind
 * {@code io.securecomm.crypto.internal}); the tests check it against NIST's ACVP vectors and C2SP's accumulated
 * FIPS 203 vectors, and against the JDK's own {@code ML-KEM} (JDK 24 and later) when they run on such a JDK. Public
 * keys from elsewhere pass FIPS 203's input check ({@link #publicKey(byte[])}). Decapsulation never fails on a
 * well-sized ciphertext: a forged or changed one yields an unrelated secret (implicit rejection), which the protocol
 * around it must detect, as PQXDH does by authenticating the first message with the derived key.
 *
 * <p>Stateless and thread-safe.
 */
public final class MlKem1024 {
    /** Bytes of an encoded public (encapsulation) key. */
    public static final int PUBLIC_KEY_BYTES = MlKem1024Engine.PUBLIC_KEY_BYTES;
    /** Bytes of a ciphertext. */
    public static final int CIPHERTEXT_BYTES = MlKem1024Engine.CIPHERTEXT_BYTES;
    /** Bytes of a shared secret. */
    public static final int SHARED_SECRET_BYTES = MlKem1024Engine.SHARED_SECRET_BYTES;
    /** Bytes of a private key's seed, {@code d || z}. */
    public static final int SEED_BYTES = MlKem1024Engine.SEED_BYTES;

    private MlKem1024() {}

    /**
     * Generates a key pair ({@code ML-KEM.KeyGen}): 64 random bytes {@code d || z} from {@code random}, expanded.
     *
     * @param random the source of the seed
     * @return the key pair; the caller closes it
     */
    public static MlKemKeyPair generateKeyPair(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[SEED_BYTES];
        random.nextBytes(seed);
        try {
            return new MlKemKeyPair(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Recomputes a key pair from its seed ({@code ML-KEM.KeyGen_internal(d, z)}), as {@link MlKemKeyPair#exportSeed()}
     * returned it.
     *
     * @param seed {@value #SEED_BYTES} SECRET bytes {@code d || z} (copied; the caller wipes its array)
     * @return the key pair; the caller closes it
     * @throws IllegalArgumentException if the seed is not {@value #SEED_BYTES} bytes
     */
    public static MlKemKeyPair keyPairFromSeed(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("ML-KEM-1024 seed must be " + SEED_BYTES + " bytes, was " + seed.length);
        }
        return new MlKemKeyPair(seed);
    }

    /**
     * Decodes and checks a public key received from elsewhere: {@value #PUBLIC_KEY_BYTES} bytes whose every encoded
     * coefficient is below q (FIPS 203, section 7.2).
     *
     * @param encoded the encoding
     * @return the key
     * @throws InvalidPublicKeyException if the length is wrong or the modulus check fails
     */
    public static MlKemPublicKey publicKey(byte[] encoded) throws InvalidPublicKeyException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length != PUBLIC_KEY_BYTES) {
            throw new InvalidPublicKeyException("ML-KEM-1024 public key must be " + PUBLIC_KEY_BYTES + " bytes, was "
                    + encoded.length);
        }
        if (!MlKem1024Engine.isValidPublicKey(encoded)) {
            throw new InvalidPublicKeyException("ML-KEM-1024 public key fails the FIPS 203 modulus check (a"
                    + " coefficient is not below q = 3329)");
        }
        return new MlKemPublicKey(encoded);
    }

    /**
     * Makes a fresh shared secret for the owner of {@code publicKey} ({@code ML-KEM.Encaps}).
     *
     * @param publicKey the owner's key
     * @param random the source of the encapsulation's 32 random bytes
     * @return the ciphertext and the shared secret; the caller closes it
     */
    public static MlKemEncapsulation encapsulate(MlKemPublicKey publicKey, SecureRandom random) {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(random, "random");
        byte[][] r = MlKem1024Engine.encapsulate(publicKey.encodedNoCopy(), random);
        return new MlKemEncapsulation(r[0], r[1]);
    }
}
