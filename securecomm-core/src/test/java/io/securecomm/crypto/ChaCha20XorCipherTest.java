package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The seek paths and the keystream cache of {@link ChaCha20XorCipher}: every call on one long-lived cipher, in any
 * order (forward, backward, the same block again, across block boundaries, short and long), must give exactly the
 * keystream a fresh JCA {@code ChaCha20} cipher gives at that position.
 */
class ChaCha20XorCipherTest {
    private static final int BLOCK = 64;
    private static final int SHORT = ChaCha20XorCipher.CACHED_REQUEST_MAX_BYTES;

    /** The keystream of [position, position + length) from a fresh JCA cipher, independent of the class under test. */
    private static byte[] jcaKeystream(byte[] key, byte[] nonce, int initialCounter, long position, int length)
            throws GeneralSecurityException {
        Cipher jca = Cipher.getInstance("ChaCha20");
        long block = position / BLOCK;
        int skip = (int) (position % BLOCK);
        jca.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
                new ChaCha20ParameterSpec(nonce, (int) (initialCounter + block)));
        byte[] out = jca.update(new byte[skip + length]);
        return Arrays.copyOfRange(out == null ? new byte[skip + length] : out, skip, skip + length);
    }

    private record Call(long position, int length, boolean viaBuffer) {}

    /** Runs the calls on one cipher, checking each against a fresh JCA cipher at the same position. */
    private static void check(byte[] key, byte[] nonce, int counter, List<Call> calls) throws GeneralSecurityException {
        try (XorCipher c = XorCipher.chaCha20(key, nonce, counter)) {
            for (Call call : calls) {
                byte[] expected = jcaKeystream(key, nonce, counter, call.position(), call.length());
                byte[] actual = new byte[call.length()];
                if (call.viaBuffer()) {
                    ByteBuffer in = ByteBuffer.allocateDirect(call.length() + 3).position(3);
                    ByteBuffer out = ByteBuffer.allocate(call.length() + 1).position(1);
                    c.apply(call.position(), in, out);
                    assertEquals(call.length() + 3, in.position());
                    assertEquals(call.length() + 1, out.position());
                    out.position(1).get(actual);
                } else {
                    c.apply(call.position(), actual, 0, actual.length);
                }
                assertArrayEquals(expected, actual, call.toString());
            }
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<Call> calls(long... positionLengthPairs) {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < positionLengthPairs.length; i += 2) {
            calls.add(new Call(positionLengthPairs[i], (int) positionLengthPairs[i + 1], i % 4 == 2));
        }
        return calls;
    }

    @Test
    void consecutiveShortMessagesGoForward() throws Exception {
        // 40-byte messages back to back: inside the cached blocks, then one block further each time.
        List<Call> calls = new ArrayList<>();
        for (long p = 0; p < 40 * 20; p += 40) {
            calls.add(new Call(p, 40, p % 80 == 0));
        }
        check(bytes(32, 1), bytes(12, 2), 0, calls);
    }

    @Test
    void shortMessagesStreamedWhereTheCipherStandsThenSeekBack() throws Exception {
        // Streaming 64- and 10-byte calls continue the JCA cipher in place past the cache; seeks back into the cached
        // blocks and beyond them must still see the same keystream.
        check(bytes(32, 13), bytes(12, 14), 0, calls(
                0, 64, 128, 64, 192, 64, 256, 10, 266, 10, 276, 64, 64, 64, 200, 10, 266, 5, 340, 64, 0, 1));
    }

    @Test
    void backwardSeeks() throws Exception {
        check(bytes(32, 3), bytes(12, 4), 7, calls(
                1000, 50, 900, 64, 64, 1, 0, 64, 5000, 300, 10, 20, 4990, 64, 0, 1, 0, 0));
    }

    @Test
    void theSameBlockAgainAndAgain() throws Exception {
        check(bytes(32, 5), bytes(12, 6), 1, calls(
                128, 64, 128, 64, 130, 10, 191, 1, 128, 1, 128, 64, 150, 30));
    }

    @Test
    void blockBoundaries() throws Exception {
        check(bytes(32, 7), bytes(12, 8), 0, calls(
                63, 1, 63, 2, 64, 64, 127, 2, 127, 64, 191, 64, 255, 1, 256, 63, 0, 65, 63, 130, 64, 128, 1, 64));
    }

    @Test
    void shortAndLongMessagesInterleave() throws Exception {
        // Long requests move the JCA cipher; the cache must stay right for the short ones around them.
        check(bytes(32, 9), bytes(12, 10), 3, calls(
                0, 64, 64, 1000, 10, 30, 1064, 64, 1100, 2000, 1130, 20, 100, 65, 120, 40, 3100, 64, 3164, 64));
    }

    @Test
    void theCacheStopsAtTheEndOfTheKeystream() throws Exception {
        // Counter 2^31 - 1: one block of keystream in all; the cache must not run past it.
        byte[] key = bytes(32, 11);
        byte[] nonce = bytes(12, 12);
        check(key, nonce, Integer.MAX_VALUE, calls(0, 64, 10, 20, 63, 1, 0, 1));
        try (XorCipher c = XorCipher.chaCha20(key, nonce, Integer.MAX_VALUE)) {
            assertThrows(IllegalArgumentException.class, () -> c.apply(60, new byte[5], 0, 5));
        }
    }

    @Test
    void closeWipesTheCacheAndRefusesLaterCalls() {
        XorCipher c = XorCipher.chaCha20(bytes(32, 13), bytes(12, 14), 0);
        c.apply(0, new byte[10], 0, 10);
        c.close();
        assertThrows(IllegalStateException.class, () -> c.apply(0, new byte[10], 0, 10));
        assertThrows(IllegalStateException.class, () -> c.apply(0, ByteBuffer.allocate(1), ByteBuffer.allocate(1)));
    }

    @Provide
    Arbitrary<List<Call>> callSequences() {
        Arbitrary<Long> near = Arbitraries.longs().between(0, 4 * BLOCK);
        Arbitrary<Long> far = Arbitraries.longs().between(0, 1L << 20);
        Arbitrary<Long> positions = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, near), net.jqwik.api.Tuple.of(1, far));
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, SHORT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(SHORT + 1, 700)));
        Arbitrary<Call> call = Combinators.combine(positions, lengths, Arbitraries.of(false, true)).as(Call::new);
        return call.list().ofMinSize(1).ofMaxSize(25);
    }

    /** Any call sequence on one cipher gives what a fresh cipher gives for each call. */
    @Property(tries = 150)
    void everyCallMatchesAFreshCipher(@ForAll("callSequences") List<Call> calls, @ForAll long seed)
            throws Exception {
        Random r = new Random(seed);
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        r.nextBytes(key);
        r.nextBytes(nonce);
        int counter = r.nextInt(1000);
        try (XorCipher longLived = XorCipher.chaCha20(key, nonce, counter)) {
            for (Call call : calls) {
                byte[] data = new byte[call.length()];
                r.nextBytes(data);
                byte[] expected = data.clone();
                try (XorCipher fresh = XorCipher.chaCha20(key, nonce, counter)) {
                    fresh.apply(call.position(), expected, 0, expected.length);
                }
                byte[] actual = data.clone();
                if (call.viaBuffer()) {
                    ByteBuffer b = ByteBuffer.wrap(actual);
                    longLived.apply(call.position(), b, b);
                } else {
                    longLived.apply(call.position(), actual, 0, actual.length);
                }
                assertArrayEquals(expected, actual, call.toString());
            }
        }
    }
}
