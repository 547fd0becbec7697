package io.securecomm.benchmarks;

import io.securecomm.crypto.Aead;
import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.crypto.AeadKey;
import io.securecomm.crypto.ExplicitNonceAead;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Suite 2, AEADs: seal and open through the library ({@link ExplicitNonceAead} with a counter nonce, and
 * {@link Aead}, which draws a random nonce per message) against the same raw JCA calls, and against Bouncy Castle's
 * lightweight AEADs ({@code bcSeal}, {@code bcOpen}: issue 18 asked whether they cost less per short record than the
 * JCA's per-call set-up; docs/BENCHMARKS.md has the answer). All variants write into preallocated buffers.
 *
 * <p>Opens cycle through {@value #RING} messages sealed under distinct nonces, because JDK 17's ChaCha20-Poly1305
 * refuses to initialise twice in a row with the same key and nonce, even to decrypt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {
    private static final int RING = 16;
    private static final byte[] NO_AD = new byte[0];

    /** The algorithm. */
    @Param({"CHACHA20_POLY1305", "AES_256_GCM"})
    public AeadAlgorithm algorithm;

    /** Plaintext bytes per message. */
    @Param({"64", "1024", "16384", "65536"})
    public int size;

    private byte[] plaintext;
    private byte[] sealed;
    private byte[] opened;
    private byte[] randomSealed;
    private byte[][] ring;
    private byte[][] randomRing;
    private int next;
    private final byte[] nonce = new byte[12];
    private long counter;
    private Cipher jcaEncrypt;
    private Cipher jcaDecrypt;
    private SecretKeySpec jcaKey;
    private AEADCipher bcEncrypt;
    private AEADCipher bcDecrypt;
    private KeyParameter bcKey;
    private ExplicitNonceAead explicit;
    private Aead aead;
    private AeadKey aeadKey;

    /**
     * Creates keys, ciphers and the ring of sealed messages.
     *
     * @throws GeneralSecurityException if the JDK lacks the algorithm
     */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(7);
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        sealed = new byte[size + AeadAlgorithm.TAG_SIZE_BYTES];
        randomSealed = new byte[size + Aead.OVERHEAD_BYTES];
        opened = new byte[size];
        byte[] key = new byte[32];
        random.nextBytes(key);
        String transformation = algorithm == AeadAlgorithm.AES_256_GCM ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305";
        jcaKey = new SecretKeySpec(key, algorithm == AeadAlgorithm.AES_256_GCM ? "AES" : "ChaCha20");
        jcaEncrypt = Cipher.getInstance(transformation);
        jcaDecrypt = Cipher.getInstance(transformation);
        explicit = ExplicitNonceAead.create(algorithm, key);
        bcKey = new KeyParameter(key);
        bcEncrypt = algorithm == AeadAlgorithm.AES_256_GCM ? GCMBlockCipher.newInstance(AESEngine.newInstance())
                : new ChaCha20Poly1305();
        bcDecrypt = algorithm == AeadAlgorithm.AES_256_GCM ? GCMBlockCipher.newInstance(AESEngine.newInstance())
                : new ChaCha20Poly1305();
        aeadKey = AeadKey.fromBytes(algorithm, key);
        aead = Aead.create(aeadKey);
        ring = new byte[RING][];
        randomRing = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            ring[i] = explicit.seal(nonceFor(1L << 40 | i), NO_AD, plaintext);
            randomRing[i] = aead.encrypt(plaintext, NO_AD);
        }
    }

    /** Wipes the keys. */
    @TearDown(Level.Trial)
    public void tearDown() {
        explicit.close();
        aead.close();
        aeadKey.close();
    }

    private byte[] nonceFor(long n) {
        byte[] result = new byte[12];
        for (int i = 0; i < 8; i++) {
            result[4 + i] = (byte) (n >>> (8 * i));
        }
        return result;
    }

    private byte[] nextNonce() {
        long n = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonce;
    }

    private AlgorithmParameterSpec jcaParameters(byte[] n) {
        return algorithm == AeadAlgorithm.AES_256_GCM ? new GCMParameterSpec(128, n) : new IvParameterSpec(n);
    }

    /**
     * Baseline: raw JCA seal with a counter nonce.
     *
     * @return bytes written
     * @throws GeneralSecurityException never in practice
     */
    @Benchmark
    public int jcaSeal() throws GeneralSecurityException {
        jcaEncrypt.init(Cipher.ENCRYPT_MODE, jcaKey, jcaParameters(nextNonce()));
        return jcaEncrypt.doFinal(plaintext, 0, size, sealed, 0);
    }

    /**
     * {@link ExplicitNonceAead#seal(byte[], byte[], byte[], int, int, byte[], int)} with a counter nonce.
     *
     * @return bytes written
     */
    @Benchmark
    public int librarySeal() {
        return explicit.seal(nextNonce(), NO_AD, plaintext, 0, size, sealed, 0);
    }

    /**
     * {@link Aead#encrypt(byte[], int, int, byte[], byte[], int)}: a random nonce from {@code SecureRandom} per
     * message, which the baseline does not pay for.
     *
     * @return bytes written
     */
    @Benchmark
    public int randomNonceSeal() {
        return aead.encrypt(plaintext, 0, size, NO_AD, randomSealed, 0);
    }

    /**
     * Baseline: raw JCA open.
     *
     * @return bytes written
     * @throws GeneralSecurityException never in practice
     */
    @Benchmark
    public int jcaOpen() throws GeneralSecurityException {
        int i = next++ & (RING - 1);
        jcaDecrypt.init(Cipher.DECRYPT_MODE, jcaKey, jcaParameters(nonceFor(1L << 40 | i)));
        return jcaDecrypt.doFinal(ring[i], 0, ring[i].length, opened, 0);
    }

    /**
     * {@link ExplicitNonceAead#open(byte[], byte[], byte[], int, int, byte[], int)}.
     *
     * @return bytes written
     * @throws AeadAuthenticationException never: the messages are authentic
     */
    @Benchmark
    public int libraryOpen() throws AeadAuthenticationException {
        int i = next++ & (RING - 1);
        return explicit.open(nonceFor(1L << 40 | i), NO_AD, ring[i], 0, ring[i].length, opened, 0);
    }

    /**
     * {@link Aead#decrypt(byte[], int, int, byte[], byte[], int)}.
     *
     * @return bytes written
     * @throws AeadAuthenticationException never: the messages are authentic
     */
    @Benchmark
    public int randomNonceOpen() throws AeadAuthenticationException {
        int i = next++ & (RING - 1);
        return aead.decrypt(randomRing[i], 0, randomRing[i].length, NO_AD, opened, 0);
    }

    /**
     * Bouncy Castle's lightweight AEAD ({@code ChaCha20Poly1305}, or {@code GCMBlockCipher} over {@code AESEngine}),
     * sealing with a counter nonce, the key passed on every call as the JCA path does.
     *
     * @return bytes written
     * @throws InvalidCipherTextException never in practice
     */
    @Benchmark
    public int bcSeal() throws InvalidCipherTextException {
        bcEncrypt.init(true, new ParametersWithIV(bcKey, nextNonce().clone()));
        int n = bcEncrypt.processBytes(plaintext, 0, size, sealed, 0);
        return n + bcEncrypt.doFinal(sealed, n);
    }

    /**
     * Bouncy Castle's lightweight AEAD, opening.
     *
     * @return bytes written
     * @throws InvalidCipherTextException never: the messages are authentic
     */
    @Benchmark
    public int bcOpen() throws InvalidCipherTextException {
        int i = next++ & (RING - 1);
        bcDecrypt.init(false, new ParametersWithIV(bcKey, nonceFor(1L << 40 | i)));
        int n = bcDecrypt.processBytes(ring[i], 0, ring[i].length, opened, 0);
        return n + bcDecrypt.doFinal(opened, n);
    }
}
