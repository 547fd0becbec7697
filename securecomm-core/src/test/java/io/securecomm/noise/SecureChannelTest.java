package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecureChannelTest {
    private SecureChannel client;
    private SecureChannel server;

    @BeforeEach
    void handshake() throws Exception {
        NoisePair p = NoisePair.of("Noise_XX_25519_AESGCM_SHA256");
        p.pump(new byte[0]);
        client = p.initiator.split();
        server = p.responder.split();
    }

    private void assertPoisonedBy(byte[] record, SecureChannelException.Reason reason) {
        SecureChannelException e = assertThrows(SecureChannelException.class, () -> server.open(record));
        assertEquals(reason, e.reason());
        assertTrue(server.isPoisoned());
        assertThrows(IllegalStateException.class, () -> server.open(record));
        assertThrows(IllegalStateException.class, () -> server.seal(new byte[0]));
        assertThrows(IllegalStateException.class, server::rekeyInbound);
    }

    @Test
    void recordsRoundTripInOrderBothWays() throws Exception {
        for (int i = 0; i < 5; i++) {
            byte[] msg = {(byte) i};
            assertArrayEquals(msg, server.open(client.seal(msg)));
            assertArrayEquals(msg, client.open(server.seal(msg)));
        }
        assertArrayEquals(new byte[0], server.open(client.seal(new byte[0])));
        assertFalse(server.isPoisoned());
    }

    @Test
    void aReplayedRecordIsRejectedAndPoisons() throws Exception {
        byte[] r = client.seal(new byte[] {1});
        server.open(r);
        assertPoisonedBy(r, SecureChannelException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void aReorderedRecordIsRejectedAndPoisons() throws Exception {
        client.seal(new byte[] {1});
        byte[] second = client.seal(new byte[] {2});
        assertPoisonedBy(second, SecureChannelException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void aTruncatedRecordIsRejectedAndPoisons() {
        byte[] r = client.seal(new byte[] {1, 2, 3});
        assertPoisonedBy(Arrays.copyOf(r, r.length - 1), SecureChannelException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void aRecordShorterThanATagIsRejectedAndPoisons() {
        assertPoisonedBy(new byte[15], SecureChannelException.Reason.RECORD_TOO_SHORT);
    }

    @Test
    void anOversizedRecordIsRejectedAndPoisons() {
        assertPoisonedBy(new byte[65536], SecureChannelException.Reason.RECORD_TOO_LARGE);
    }

    @Test
    void aRecordForTheOtherDirectionIsRejected() {
        byte[] fromServer = server.seal(new byte[] {1});
        assertPoisonedBy(fromServer, SecureChannelException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void everyFlippedBitOfARecordIsRejected() throws Exception {
        byte[] r = client.seal(new byte[] {1, 2, 3, 4});
        for (int bit = 0; bit < r.length * 8; bit++) {
            handshake();
            byte[] record = client.seal(new byte[] {1, 2, 3, 4});
            record[bit / 8] ^= (byte) (1 << (bit % 8));
            assertPoisonedBy(record, SecureChannelException.Reason.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void plaintextLimitIsTheNoiseMessageLimitMinusTheTag() throws Exception {
        assertThrows(NoiseMessageTooLargeException.class,
                () -> client.seal(new byte[SecureChannel.MAX_PLAINTEXT_SIZE_BYTES + 1]));
        byte[] max = client.seal(new byte[SecureChannel.MAX_PLAINTEXT_SIZE_BYTES]);
        assertEquals(65535, max.length);
        assertEquals(SecureChannel.MAX_PLAINTEXT_SIZE_BYTES, server.open(max).length);
    }

    @Test
    void rekeyMustHappenOnBothSidesAtTheSamePoint() throws Exception {
        client.rekeyOutbound();
        server.rekeyInbound();
        assertArrayEquals(new byte[] {1}, server.open(client.seal(new byte[] {1})));
        server.rekeyOutbound();
        client.rekeyInbound();
        assertArrayEquals(new byte[] {2}, client.open(server.seal(new byte[] {2})));

        client.rekeyOutbound(); // the server does not follow
        assertPoisonedBy(client.seal(new byte[] {3}), SecureChannelException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void closedChannelIsUnusableAndRedacted() {
        assertTrue(client.toString().contains("redacted"));
        client.close();
        assertThrows(IllegalStateException.class, () -> client.seal(new byte[0]));
    }

    @Test
    void bufferVariantsWorkInPlaceWithOffsets() throws Exception {
        byte[] buf = new byte[3 + 5 + 16];
        byte[] plaintext = {1, 2, 3, 4, 5};
        System.arraycopy(plaintext, 0, buf, 3, 5);
        assertEquals(21, client.seal(buf, 3, 5, buf, 3));
        assertEquals(5, server.open(buf, 3, 21, buf, 3));
        assertArrayEquals(plaintext, Arrays.copyOfRange(buf, 3, 8));
        assertArrayEquals(new byte[] {9}, server.open(client.seal(new byte[] {9})), "array and buffer calls share n");
    }

    @Test
    void aFailedBufferOpenLeavesNoPlaintextAndPoisons() {
        byte[] record = client.seal(new byte[] {1, 2, 3});
        record[0] ^= 1;
        byte[] out = new byte[3];
        Arrays.fill(out, (byte) 7);
        assertThrows(SecureChannelException.class, () -> server.open(record, 0, record.length, out, 0));
        assertArrayEquals(new byte[3], out);
        assertTrue(server.isPoisoned());
    }
}
