package io.securecomm.noise.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.securecomm.crypto.AeadAuthenticationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two ChaCha20-Poly1305 implementations of the Noise transport against each other and against the contract of
 * {@link RecordAead}; the known answers are in {@code RfcKnownAnswerTest} and {@code WycheproofTest}.
 */
class ChaChaPolyProviderTest {
    private static final int TAG = 16;

    private static byte[] nonce(long counter) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        return nonce;
    }

    @Test
    void bothComputeTheSameRecordsWhateverTheLengthsAndOffsets() throws Exception {
        SplittableRandom random = new SplittableRandom(18);
        byte[] key = new byte[32];
        random.nextBytes(key);
        try (RecordAead jca = ChaChaPolyProvider.JCA.create(key);
                RecordAead bc = ChaChaPolyProvider.BOUNCY_CASTLE.create(key)) {
            for (int length = 0; length <= 300; length++) {
                byte[] ad = new byte[length % 3 == 0 ? 0 : length % 40];
                random.nextBytes(ad);
                byte[] plaintext = new byte[length + 7];
                random.nextBytes(plaintext);
                int inOff = length % 7;
                byte[] fromJca = new byte[length + TAG + 5];
                byte[] fromBc = new byte[length + TAG + 5];
                int outOff = length % 5;
                assertEquals(length + TAG, jca.seal(nonce(length), ad, plaintext, inOff, length, fromJca, outOff));
                assertEquals(length + TAG, bc.seal(nonce(length), ad, plaintext, inOff, length, fromBc, outOff));
                assertArrayEquals(fromJca, fromBc, "record of " + length + " bytes");
                byte[] opened = new byte[length];
                assertEquals(length, bc.open(nonce(length), ad, fromJca, outOff, length + TAG, opened, 0));
                assertArrayEquals(Arrays.copyOfRange(plaintext, inOff, inOff + length), opened);
                assertEquals(length, jca.open(nonce(length), ad, fromBc, outOff, length + TAG, opened, 0));
                assertArrayEquals(Arrays.copyOfRange(plaintext, inOff, inOff + length), opened);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChaChaPolyProvider.class)
    void sealsAndOpensInPlace(ChaChaPolyProvider provider) throws Exception {
        byte[] plaintext = "a record sealed and opened in the same array".getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = Arrays.copyOf(plaintext, plaintext.length + TAG);
        try (RecordAead aead = provider.create(new byte[32])) {
            aead.seal(nonce(1), new byte[0], buffer, 0, plaintext.length, buffer, 0);
            assertFalse(Arrays.equals(plaintext, Arrays.copyOf(buffer, plaintext.length)));
            assertEquals(plaintext.length, aead.open(nonce(1), new byte[0], buffer, 0, buffer.length, buffer, 0));
            assertArrayEquals(plaintext, Arrays.copyOf(buffer, plaintext.length));
        }
    }

    @ParameterizedTest
    @EnumSource(ChaChaPolyProvider.class)
    void everyFlippedBitFailsAndLeavesNoPlaintextThenTheRetryOpens(ChaChaPolyProvider provider) throws Exception {
        byte[] ad = {1, 2, 3};
        byte[] plaintext = new byte[20];
        Arrays.fill(plaintext, (byte) 0x42);
        try (RecordAead aead = provider.create(new byte[32])) {
            byte[] record = new byte[plaintext.length + TAG];
            aead.seal(nonce(7), ad, plaintext, 0, plaintext.length, record, 0);
            byte[] out = new byte[plaintext.length];
            for (int bit = 0; bit < record.length * 8; bit++) {
                byte[] tampered = record.clone();
                tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                Arrays.fill(out, (byte) 0x42);
                assertThrows(AeadAuthenticationException.class,
                        () -> aead.open(nonce(7), ad, tampered, 0, tampered.length, out, 0));
                assertArrayEquals(new byte[out.length], out, "bit " + bit);
            }
            assertThrows(AeadAuthenticationException.class,
                    () -> aead.open(nonce(7), new byte[] {1, 2}, record, 0, record.length, out, 0));
            assertThrows(AeadAuthenticationException.class,
                    () -> aead.open(nonce(8), ad, record, 0, record.length, out, 0));
            assertThrows(AeadAuthenticationException.class, () -> aead.open(nonce(7), ad, record, 0, 15, out, 0));
            assertEquals(plaintext.length, aead.open(nonce(7), ad, record, 0, record.length, out, 0));
            assertArrayEquals(plaintext, out);
        }
    }

    @ParameterizedTest
    @EnumSource(ChaChaPolyProvider.class)
    void refusesToEncryptTwiceInARowWithTheSameNonce(ChaChaPolyProvider provider) {
        try (RecordAead aead = provider.create(new byte[32])) {
            byte[] out = new byte[TAG + 1];
            aead.seal(nonce(3), new byte[0], new byte[1], 0, 1, out, 0);
            assertThrows(IllegalArgumentException.class, () -> aead.seal(nonce(3), new byte[0], new byte[1], 0, 1,
                    out, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(ChaChaPolyProvider.class)
    void rejectsBadSizesAndUseAfterClose(ChaChaPolyProvider provider) {
        assertThrows(IllegalArgumentException.class, () -> provider.create(new byte[31]));
        RecordAead aead = provider.create(new byte[32]);
        byte[] out = new byte[TAG + 4];
        assertThrows(IllegalArgumentException.class, () -> aead.seal(new byte[8], new byte[0], new byte[4], 0, 4,
                out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.seal(nonce(1), new byte[0], new byte[4], 0, 4,
                out, 1));
        aead.close();
        aead.close();
        assertThrows(IllegalStateException.class, () -> aead.seal(nonce(2), new byte[0], new byte[4], 0, 4,
                out, 0));
        assertThrows(IllegalStateException.class, () -> aead.open(nonce(2), new byte[0], out, 0, out.length,
                new byte[4], 0));
    }
}
