package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.wire.Limits;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pairwise plaintext's kind byte and text body. */
class PairwisePlaintextTest {
    @Test
    void textRoundTripsWithItsKindFirst() {
        byte[] p = PairwisePlaintext.text("héllo");
        assertEquals(PairwisePlaintext.KIND_TEXT, p[0]);
        assertEquals(Optional.of("héllo"), PairwisePlaintext.text(p));
        assertArrayEquals(new byte[] {2, 9, 8}, PairwisePlaintext.of(PairwisePlaintext.KIND_SENDER_KEY,
                new byte[] {9, 8}));
    }

    @Test
    void aBodyOutsideTheLimitsOrNotUtf8IsNoText() {
        assertTrue(PairwisePlaintext.text(new byte[] {1}).isEmpty(), "empty");
        assertTrue(PairwisePlaintext.text(PairwisePlaintext.of(1, new byte[Limits.TEXT_MAX_BYTES + 1])).isEmpty());
        assertEquals(Limits.TEXT_MAX_BYTES, PairwisePlaintext.text(PairwisePlaintext.of(1,
                new byte[Limits.TEXT_MAX_BYTES])).orElseThrow().length(), "the limit itself is text");
        assertTrue(PairwisePlaintext.text(new byte[] {1, (byte) 0xC3}).isEmpty(), "a truncated sequence");
        assertTrue(PairwisePlaintext.text(new byte[] {1, (byte) 0xFF}).isEmpty(), "not UTF-8 at all");
    }
}
