package io.securecomm.crypto;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.securecomm.crypto.insecure.RepeatingKeyXorCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** XorCipher: RFC 8439 known answers, and involution/seekability properties for both implementations. */
class XorCipherTest {
    private static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final String RFC8439_2_4_2_CIPHERTEXT =
            "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
            + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
            + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            + "5af90bbf74a35be6b40b8eedf2785e42874d";

    private static byte[] key() {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) i;
        }
        return k;
    }

    // RFC 8439 section 2.4.2: key 00..1f, nonce 00:00:00:00:00:00:00:4a:00:00:00:00, initial counter 1.
    @Test
    void rfc8439Section2_4_2() {
        try (XorCipher c = XorCipher.chaCha20(key(), hex("000000000000004a00000000"), 1)) {
            byte[] data = SUNSCREEN.clone();
            c.apply(0, data, 0, data.length);
            assertEquals(RFC8439_2_4_2_CIPHERTEXT, hex(data));
            c.apply(0, data, 0, data.length);
            assertArrayEquals(SUNSCREEN, data);
        }
    }

    @Test
    void rfc8439Section2_4_2InOddFragmentsAndBackwardSeeks() {
        byte[] expected = hex(RFC8439_2_4_2_CIPHERTEXT);
        try (XorCipher c = XorCipher.chaCha20(key(), hex("000000000000004a00000000"), 1)) {
            byte[] data = SUNSCREEN.clone();
            int[] cuts = {0, 1, 7, 63, 64, 65, 100, data.length};
            for (int i = cuts.length - 2; i >= 0; i--) {
                c.apply(cuts[i], data, cuts[i], cuts[i + 1] - cuts[i]);
            }
            assertArrayEquals(expected, data);
            ByteBuffer direct = ByteBuffer.allocateDirect(SUNSCREEN.length);
            direct.put(SUNSCREEN).flip();
            for (int off = 0; off < SUNSCREEN.length; off++) {
                ByteBuffer one = direct.duplicate().position(off).limit(off + 1);
                c.apply(off, one, one);
            }
            byte[] out = new byte[SUNSCREEN.length];
            direct.get(out);
            assertArrayEquals(expected, out);
        }
    }

    @Test
    void chaCha20RejectsBadSizesAndPositions() {
        assertThrows(IllegalArgumentException.class, () -> XorCipher.chaCha20(new byte[16], new byte[12], 0));
        assertThrows(IllegalArgumentException.class, () -> XorCipher.chaCha20(new byte[32], new byte[8], 0));
        assertThrows(IllegalArgumentException.class, () -> XorCipher.chaCha20(new byte[32], new byte[12], -1));
        try (XorCipher c = XorCipher.chaCha20(new byte[32], new byte[12], Integer.MAX_VALUE)) {
            byte[] block = new byte[64];
            c.apply(0, block, 0, 64);
            assertThrows(IllegalArgumentException.class, () -> c.apply(1, block, 0, 64));
            assertThrows(IllegalArgumentException.class, () -> c.apply(-1, block, 0, 1));
        }
    }

    @Test
    void closedCipherRefusesAndToStringHidesKey() {
        XorCipher c = XorCipher.chaCha20(key(), new byte[12], 0);
        assertFalse(c.toString().contains("0001"));
        c.close();
        assertThrows(IllegalStateException.class, () -> c.apply(0, new byte[1], 0, 1));
        XorCipher r = new RepeatingKeyXorCipher(new byte[] {1, 2, 3});
        r.close();
        assertThrows(IllegalStateException.class, () -> r.apply(0, new byte[1], 0, 1));
    }

    @Test
    void repeatingKeyXorMatchesTheDefinition() {
        byte[] k = "key!x".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        byte[] expected = data.clone();
        long start = 12_345;
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= k[(int) ((start + i) % k.length)];
        }
        try (RepeatingKeyXorCipher c = new RepeatingKeyXorCipher(k)) {
            byte[] copy = data.clone();
            c.apply(start, copy, 0, copy.length);
            assertArrayEquals(expected, copy);
            ByteBuffer in = ByteBuffer.allocateDirect(data.length).put(data).flip();
            ByteBuffer out = ByteBuffer.allocateDirect(data.length);
            c.apply(start, in, out);
            assertEquals(data.length, in.position());
            assertEquals(data.length, out.position());
            byte[] viaDirect = new byte[data.length];
            out.flip().get(viaDirect);
            assertArrayEquals(expected, viaDirect);
        }
    }

    /**
     * Random sequences of calls (any offset, length and position, on arrays beyond the 64 KiB index-aligned
     * limit too) against the definition {@code data[i] ^= key[(position + i - offset) % key.length]}: exercises
     * the keystream cache of the repeating-key cipher, which must never serve a stale shift or range.
     */
    @Property(tries = 60)
    void repeatingKeyXorCallSequencesMatchTheDefinition(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int keyLength) {
        Random r = new Random(seed);
        byte[] key = randomBytes(r, keyLength);
        byte[] data = randomBytes(r, 70_000);
        byte[] model = data.clone();
        try (RepeatingKeyXorCipher c = new RepeatingKeyXorCipher(key)) {
            for (int call = 0; call < 12; call++) {
                int offset = r.nextBoolean() ? r.nextInt(2000) : r.nextInt(data.length);
                int length = r.nextInt(Math.min(data.length - offset, 20_000) + 1);
                long position = r.nextBoolean() ? offset : (r.nextLong() >>> 20);
                c.apply(position, data, offset, length);
                for (int i = 0; i < length; i++) {
                    model[offset + i] ^= key[(int) ((position + i) % keyLength)];
                }
                assertArrayEquals(model, data, "after call " + call);
            }
        }
    }

    enum Kind { CHACHA20, REPEATING_1, REPEATING_3, REPEATING_16, REPEATING_4099 }

    enum Buffers { ARRAY, HEAP, DIRECT, HEAP_TO_DIRECT, DIRECT_IN_PLACE }

    private static XorCipher cipher(Kind kind, long seed) {
        Random r = new Random(seed);
        return switch (kind) {
            case CHACHA20 -> {
                byte[] k = new byte[32];
                byte[] n = new byte[12];
                r.nextBytes(k);
                r.nextBytes(n);
                yield XorCipher.chaCha20(k, n, r.nextInt(1000));
            }
            case REPEATING_1 -> new RepeatingKeyXorCipher(randomBytes(r, 1));
            case REPEATING_3 -> new RepeatingKeyXorCipher(randomBytes(r, 3));
            case REPEATING_16 -> new RepeatingKeyXorCipher(randomBytes(r, 16));
            case REPEATING_4099 -> new RepeatingKeyXorCipher(randomBytes(r, 4099));
        };
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Applies the cipher to {@code data} (which lies at keystream position {@code pos}) through a buffer kind. */
    private static byte[] applyVia(Buffers buffers, XorCipher c, long pos, byte[] data) {
        switch (buffers) {
            case ARRAY -> {
                byte[] padded = new byte[data.length + 6];
                System.arraycopy(data, 0, padded, 3, data.length);
                c.apply(pos, padded, 3, data.length);
                return Arrays.copyOfRange(padded, 3, 3 + data.length);
            }
            case HEAP, HEAP_TO_DIRECT, DIRECT -> {
                ByteBuffer in = buffers == Buffers.DIRECT ? ByteBuffer.allocateDirect(data.length + 5)
                        : ByteBuffer.allocate(data.length + 5);
                in.position(5);
                in.put(data).position(5);
                ByteBuffer out = buffers == Buffers.HEAP ? ByteBuffer.allocate(data.length + 2)
                        : ByteBuffer.allocateDirect(data.length + 2);
                out.position(2);
                c.apply(pos, in, out);
                assertEquals(in.limit(), in.position());
                byte[] result = new byte[data.length];
                out.position(2);
                out.get(result);
                return result;
            }
            case DIRECT_IN_PLACE -> {
                ByteBuffer b = ByteBuffer.allocateDirect(data.length + 1);
                b.position(1);
                b.put(data).position(1);
                c.apply(pos, b, b);
                assertEquals(b.limit(), b.position());
                byte[] result = new byte[data.length];
                b.position(1);
                b.get(result);
                return result;
            }
            default -> throw new AssertionError(buffers);
        }
    }

    @Provide
    Arbitrary<byte[]> data() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(9000);
    }

    @Property(tries = 200)
    void isAnInvolution(@ForAll Kind kind, @ForAll Buffers buffers, @ForAll long seed,
            @ForAll("data") byte[] data, @ForAll @IntRange(min = 0, max = 1_000_000) int position) {
        try (XorCipher c = cipher(kind, seed)) {
            byte[] once = applyVia(buffers, c, position, data);
            byte[] twice = applyVia(buffers, c, position, once);
            assertArrayEquals(data, twice);
        }
    }

    @Property(tries = 200)
    void isSeekable(@ForAll Kind kind, @ForAll Buffers buffers, @ForAll long seed,
            @ForAll("data") byte[] data, @ForAll @IntRange(min = 0, max = 9000) int k) {
        int from = Math.min(k, data.length);
        try (XorCipher whole = cipher(kind, seed); XorCipher sliced = cipher(kind, seed)) {
            byte[] all = data.clone();
            whole.apply(0, all, 0, all.length);
            byte[] tail = applyVia(buffers, sliced, from, Arrays.copyOfRange(data, from, data.length));
            assertArrayEquals(Arrays.copyOfRange(all, from, all.length), tail);
        }
    }
}
