package io.securecomm.benchmarks;

import io.securecomm.crypto.insecure.RepeatingKeyXorCipher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The XOR loops of {@link CipherBench} timed round-robin in one JVM, for a machine shared with other work: each
 * round times every variant for about 2 ms in turn, so a burst of someone else's load slows all of them alike, and
 * the report takes each variant's 10th-percentile round (the least disturbed). JMH stays the record; this decided
 * {@link RepeatingKeyXorCipher}'s loop when JMH's sequential forks caught different loads (docs/BENCHMARKS.md).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.securecomm.benchmarks.InterleavedXorLoops 1024 [rounds]
 * </pre>
 */
public final class InterleavedXorLoops {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final String[] NAMES = {"arraycopy", "bareXorLoop", "longXorLoop", "repeatingKeyXor"};

    private final byte[] source;
    private final byte[] data;
    private final byte[] keystream;
    private final RepeatingKeyXorCipher cipher;

    private InterleavedXorLoops(int size) {
        SplittableRandom random = new SplittableRandom(42);
        source = new byte[size];
        data = new byte[size];
        random.nextBytes(source);
        random.nextBytes(data);
        byte[] key = new byte[16];
        random.nextBytes(key);
        keystream = new byte[size];
        for (int i = 0; i < size; i++) {
            keystream[i] = key[i % key.length];
        }
        cipher = new RepeatingKeyXorCipher(key);
    }

    /**
     * Times the loops at one size and prints one line: each variant's time per call and its ratio to arraycopy.
     *
     * @param args the size in bytes, and optionally the number of rounds (default 400)
     */
    public static void main(String[] args) {
        System.out.println(run(Integer.parseInt(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 400, 4));
    }

    /**
     * Times the loops.
     *
     * @param size bytes per call
     * @param rounds measured rounds
     * @param warmupSeconds seconds of untimed rounds first
     * @return one line: each variant's 10th-percentile time per call and its ratio to arraycopy
     */
    static String run(int size, int rounds, int warmupSeconds) {
        InterleavedXorLoops loops = new InterleavedXorLoops(size);
        int calls = Math.max(1, 2_000_000 / size);
        long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            for (int v = 0; v < NAMES.length; v++) {
                loops.time(v, calls);
            }
        }
        double[][] nanos = new double[NAMES.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < NAMES.length; v++) {
                nanos[v][r] = (double) loops.time(v, calls) / calls;
            }
        }
        StringBuilder line = new StringBuilder("size " + size + ":");
        double copy = 0;
        for (int v = 0; v < NAMES.length; v++) {
            Arrays.sort(nanos[v]);
            double p10 = nanos[v][rounds / 10];
            copy = v == 0 ? p10 : copy;
            line.append(String.format(Locale.ROOT, "  %s %.1f ns (%.2fx)", NAMES[v], p10, copy / p10));
        }
        loops.cipher.close();
        return line.toString();
    }

    private long time(int variant, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            switch (variant) {
                case 0 -> System.arraycopy(source, 0, data, 0, data.length);
                case 1 -> bareXorLoop();
                case 2 -> longXorLoop();
                default -> cipher.apply(0, data, 0, data.length);
            }
        }
        return System.nanoTime() - start;
    }

    private void bareXorLoop() {
        byte[] d = data;
        byte[] k = keystream;
        for (int i = 0; i < d.length; i++) {
            d[i] ^= k[i];
        }
    }

    private void longXorLoop() {
        byte[] d = data;
        byte[] k = keystream;
        int i = 0;
        for (int last = d.length - Long.BYTES; i <= last; i += Long.BYTES) {
            LONGS.set(d, i, (long) LONGS.get(d, i) ^ (long) LONGS.get(k, i));
        }
        for (; i < d.length; i++) {
            d[i] ^= k[i];
        }
    }
}
