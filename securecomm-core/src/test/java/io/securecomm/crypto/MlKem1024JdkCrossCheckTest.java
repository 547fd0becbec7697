package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.securecomm.crypto.internal.MlKem1024Engine;
import java.lang.reflect.Method;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle's ML-KEM-1024 (what securecomm uses) against the JDK's own ({@code javax.crypto.KEM}, algorithm
 * {@code ML-KEM}, JDK 24 and later): two independent implementations of FIPS 203 must derive the same keys from
 * the same seed, produce the same ciphertext from the same randomness, and recover each other's secrets. The code
 * is compiled for Java 17, which has no {@code KEM} class, so the JDK side is called by reflection; on a JDK older
 * than 24 every test is skipped with a message. Run it on JDK 25 with
 * {@code JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -pl securecomm-core test -Dtest=MlKem1024JdkCrossCheckTest}.
 */
class MlKem1024JdkCrossCheckTest {
    private static final int ROUNDS = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void requireJdkMlKem() {
        int feature = Runtime.version().feature();
        String skip = "SKIPPED: the JDK's ML-KEM needs JDK 24 or later; this is JDK " + feature;
        if (feature < 24) {
            System.err.println(skip);
        }
        assumeTrue(feature >= 24, skip);
    }

    /** A SecureRandom that hands out the given bytes, in order, to whoever asks (the JDK's generator, encapsulator). */
    private static SecureRandom replaying(byte[] bytes) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;
            private int at;

            @Override
            public void nextBytes(byte[] out) {
                if (at + out.length > bytes.length) {
                    throw new IllegalStateException("asked for " + out.length + " more bytes than the test planned");
                }
                System.arraycopy(bytes, at, out, 0, out.length);
                at += out.length;
            }
        };
    }

    private static KeyPair jdkKeyPair(SecureRandom random) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("ML-KEM");
        g.initialize(new NamedParameterSpec("ML-KEM-1024"), random);
        return g.generateKeyPair();
    }

    /** The raw FIPS 203 {@code ek} at the end of the JDK's X.509 encoding. */
    private static byte[] rawPublicKey(PublicKey key) {
        byte[] x509 = key.getEncoded();
        return Arrays.copyOfRange(x509, x509.length - MlKem1024.PUBLIC_KEY_BYTES, x509.length);
    }

    /** Our raw key wrapped in the JDK's X.509 prefix (taken from a JDK key), as a JDK public key. */
    private static PublicKey jdkPublicKey(byte[] ek, PublicKey template) throws Exception {
        byte[] x509 = template.getEncoded();
        System.arraycopy(ek, 0, x509, x509.length - ek.length, ek.length);
        return KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(x509));
    }

    /** {@code KEM.getInstance("ML-KEM").newEncapsulator(key, random).encapsulate()}: {ciphertext, secret}. */
    private static byte[][] jdkEncapsulate(PublicKey key, SecureRandom random) throws Exception {
        Class<?> kemClass = Class.forName("javax.crypto.KEM");
        Object kem = kemClass.getMethod("getInstance", String.class).invoke(null, "ML-KEM");
        Object encapsulator = kemClass.getMethod("newEncapsulator", PublicKey.class, SecureRandom.class)
                .invoke(kem, key, random);
        Object encapsulated = Class.forName("javax.crypto.KEM$Encapsulator").getMethod("encapsulate")
                .invoke(encapsulator);
        Class<?> result = Class.forName("javax.crypto.KEM$Encapsulated");
        byte[] ciphertext = (byte[]) result.getMethod("encapsulation").invoke(encapsulated);
        Key secret = (Key) result.getMethod("key").invoke(encapsulated);
        return new byte[][] {ciphertext, secret.getEncoded()};
    }

    /** {@code KEM.getInstance("ML-KEM").newDecapsulator(key).decapsulate(ciphertext)}. */
    private static byte[] jdkDecapsulate(PrivateKey key, byte[] ciphertext) throws Exception {
        Class<?> kemClass = Class.forName("javax.crypto.KEM");
        Object kem = kemClass.getMethod("getInstance", String.class).invoke(null, "ML-KEM");
        Object decapsulator = kemClass.getMethod("newDecapsulator", PrivateKey.class).invoke(kem, key);
        Method decapsulate = Class.forName("javax.crypto.KEM$Decapsulator").getMethod("decapsulate", byte[].class);
        return ((Key) decapsulate.invoke(decapsulator, (Object) ciphertext)).getEncoded();
    }

    @Test
    void theSameSeedGivesTheSameKeys() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            byte[] seed = new byte[MlKem1024.SEED_BYTES];
            RANDOM.nextBytes(seed);
            // The JDK's generator draws d, then z, 32 bytes each: the seed d || z in order.
            KeyPair jdk = jdkKeyPair(replaying(seed));
            try (MlKemKeyPair ours = MlKem1024.keyPairFromSeed(seed)) {
                assertArrayEquals(rawPublicKey(jdk.getPublic()), ours.publicKey().encoded(), "round " + i);
            }
        }
    }

    @Test
    void theSameRandomnessGivesTheSameCiphertextAndSecret() throws Exception {
        KeyPair jdk = jdkKeyPair(RANDOM);
        byte[] ek = rawPublicKey(jdk.getPublic());
        for (int i = 0; i < ROUNDS; i++) {
            byte[] m = new byte[32];
            RANDOM.nextBytes(m);
            byte[][] theirs = jdkEncapsulate(jdk.getPublic(), replaying(m));
            byte[][] ours = MlKem1024Engine.encapsulate(ek, m);
            assertArrayEquals(theirs[0], ours[0], "ciphertext, round " + i);
            assertArrayEquals(theirs[1], ours[1], "secret, round " + i);
        }
    }

    @Test
    void eachDecapsulatesTheOthersCiphertexts() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            KeyPair jdk = jdkKeyPair(RANDOM);
            try (MlKemKeyPair ours = MlKem1024.generateKeyPair(RANDOM)) {
                // The JDK encapsulates to our key; we decapsulate.
                byte[][] toUs = jdkEncapsulate(jdkPublicKey(ours.publicKey().encoded(), jdk.getPublic()), RANDOM);
                assertArrayEquals(toUs[1], ours.decapsulate(toUs[0]), "JDK to us, round " + i);
                // We encapsulate to the JDK's key; the JDK decapsulates.
                try (MlKemEncapsulation toJdk = MlKem1024.encapsulate(
                        MlKem1024.publicKey(rawPublicKey(jdk.getPublic())), RANDOM)) {
                    assertArrayEquals(toJdk.sharedSecret(), jdkDecapsulate(jdk.getPrivate(), toJdk.ciphertext()),
                            "us to the JDK, round " + i);
                }
            }
        }
    }
}
