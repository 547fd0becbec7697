package io.securecomm.benchmarks;

import io.securecomm.crypto.XorCipher;
import io.securecomm.crypto.insecure.RepeatingKeyXorCipher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * Suite 1, the cipher hot path: one pass of each {@link XorCipher} over a buffer, against the two bounds that give
 * it meaning.
 *
 * <ul>
 *   <li>{@code arraycopy}: {@code System.arraycopy} of the same size, the memory-bandwidth limit of one pass. An XOR
 *       pass reads data and keystream and writes data (three streams) where a copy moves two, so about 0.67x of the
 *       copy is the ceiling for an XOR.
 *   <li>{@code naiveXor}: {@code data[i] ^= key[i % key.length]}, the loop everybody writes first.
 *   <li>{@code bareXorLoop}: {@code data[i] ^= keystream[i]} against a keystream already laid out at the same
 *       indices: the fastest plain Java XOR loop, which C2 vectorises; no cipher can beat it in Java 17.
 *   <li>{@code longXorLoop}: the same XOR eight bytes at a time through {@code long} views, not vectorised but
 *       free of the vector loop's scalar pre- and post-loops, which dominate at small sizes.
 *   <li>{@code jcaChaCha20Stream} / {@code jcaChaCha20Init}: the JCA {@code ChaCha20} cipher alone, streaming and
 *       re-initialised per call, the bounds for {@code chaCha20Stream} / {@code chaCha20Seek}.
 * </ul>
 *
 * Throughput is reported in operations per second; bytes per second is that times {@code size}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CipherBench {
    /** Streamed positions wrap here, far below ChaCha20's 2^38-byte keystream, so a wrap (one seek) is rare. */
    private static final long STREAM_WRAP_BYTES = 1L << 30;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bytes per call. */
    @Param({"64", "1024", "16384", "65536"})
    public int size;

    private byte[] source;
    private byte[] data;
    private byte[] repeatingKey;
    private byte[] keystream;
    private RepeatingKeyXorCipher repeating;
    private XorCipher chaCha20;
    private Cipher jca;
    private SecretKeySpec jcaKey;
    private byte[] nonceA;
    private byte[] nonceB;
    /** Whether {@link #jca} was last initialised with {@link #nonceA}: the JDK refuses the same nonce twice. */
    private boolean lastWasA;
    private long streamPosition;
    private long jcaStreamPosition;

    /**
     * Creates the buffers and ciphers.
     *
     * @throws GeneralSecurityException if the JDK lacks ChaCha20
     */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(42);
        source = new byte[size];
        data = new byte[size];
        random.nextBytes(source);
        random.nextBytes(data);
        repeatingKey = new byte[16];
        random.nextBytes(repeatingKey);
        keystream = new byte[size];
        for (int i = 0; i < size; i++) {
            keystream[i] = repeatingKey[i % repeatingKey.length];
        }
        repeating = new RepeatingKeyXorCipher(repeatingKey);
        byte[] key = new byte[32];
        random.nextBytes(key);
        nonceA = new byte[12];
        random.nextBytes(nonceA);
        nonceB = nonceA.clone();
        nonceB[0] ^= 1;
        chaCha20 = XorCipher.chaCha20(key, nonceA, 0);
        jcaKey = new SecretKeySpec(key, "ChaCha20");
        jca = Cipher.getInstance("ChaCha20");
        jca.init(Cipher.ENCRYPT_MODE, jcaKey, new ChaCha20ParameterSpec(nonceA, 0));
        lastWasA = true;
    }

    /** Re-initialises the JCA cipher at counter 0 with the other of the two nonces. */
    private void reinitJca() throws GeneralSecurityException {
        lastWasA = !lastWasA;
        jca.init(Cipher.ENCRYPT_MODE, jcaKey, new ChaCha20ParameterSpec(lastWasA ? nonceA : nonceB, 0));
    }

    /** Wipes the keys. */
    @TearDown(Level.Trial)
    public void tearDown() {
        repeating.close();
        chaCha20.close();
    }

    /**
     * Baseline: a copy of {@code size} bytes.
     *
     * @return the destination, so the copy is not dead code
     */
    @Benchmark
    public byte[] arraycopy() {
        System.arraycopy(source, 0, data, 0, size);
        return data;
    }

    /**
     * Baseline: the naive repeating-key loop, with a division per byte.
     *
     * @return the data
     */
    @Benchmark
    public byte[] naiveXor() {
        byte[] d = data;
        byte[] k = repeatingKey;
        for (int i = 0; i < d.length; i++) {
            d[i] ^= k[i % k.length];
        }
        return d;
    }

    /**
     * Baseline: the bare same-index XOR loop over a precomputed keystream, the best a Java loop does.
     *
     * @return the data
     */
    @Benchmark
    public byte[] bareXorLoop() {
        byte[] d = data;
        byte[] k = keystream;
        for (int i = 0; i < d.length; i++) {
            d[i] ^= k[i];
        }
        return d;
    }

    /**
     * Baseline: the same-index XOR eight bytes at a time ({@code long} views of both arrays through a {@code
     * VarHandle}), over the same precomputed keystream: not vectorised, but without a vector loop's scalar pre- and
     * post-loops.
     *
     * @return the data
     */
    @Benchmark
    public byte[] longXorLoop() {
        byte[] d = data;
        byte[] k = keystream;
        int i = 0;
        for (int last = d.length - Long.BYTES; i <= last; i += Long.BYTES) {
            LONGS.set(d, i, (long) LONGS.get(d, i) ^ (long) LONGS.get(k, i));
        }
        for (; i < d.length; i++) {
            d[i] ^= k[i];
        }
        return d;
    }

    /**
     * {@link RepeatingKeyXorCipher}, in place, at keystream position 0 (a fresh message each call).
     *
     * @return the data
     */
    @Benchmark
    public byte[] repeatingKeyXor() {
        repeating.apply(0, data, 0, size);
        return data;
    }

    /**
     * The ChaCha20 {@link XorCipher}, streaming: each call continues where the previous one ended.
     *
     * @return the data
     */
    @Benchmark
    public byte[] chaCha20Stream() {
        chaCha20.apply(streamPosition, data, 0, size);
        streamPosition += size;
        if (streamPosition > STREAM_WRAP_BYTES) {
            streamPosition = 0;
        }
        return data;
    }

    /**
     * The ChaCha20 {@link XorCipher}, seeking back to position 0 on every call (a fresh message each call).
     *
     * @return the data
     */
    @Benchmark
    public byte[] chaCha20Seek() {
        chaCha20.apply(0, data, 0, size);
        return data;
    }

    /**
     * Baseline for {@link #chaCha20Stream()}: the JCA ChaCha20 cipher alone, {@code update} only.
     *
     * @return the data
     * @throws GeneralSecurityException never in practice
     */
    @Benchmark
    public byte[] jcaChaCha20Stream() throws GeneralSecurityException {
        jca.update(data, 0, size, data, 0);
        jcaStreamPosition += size;
        if (jcaStreamPosition > STREAM_WRAP_BYTES) {
            jcaStreamPosition = 0;
            reinitJca();
        }
        return data;
    }

    /**
     * Baseline for {@link #chaCha20Seek()}: the JCA ChaCha20 cipher initialised and run once per call (alternating
     * two nonces, since the JDK refuses to re-initialise with the previous key and nonce).
     *
     * @return the data
     * @throws GeneralSecurityException never in practice
     */
    @Benchmark
    public byte[] jcaChaCha20Init() throws GeneralSecurityException {
        reinitJca();
        jca.update(data, 0, size, data, 0);
        return data;
    }
}
