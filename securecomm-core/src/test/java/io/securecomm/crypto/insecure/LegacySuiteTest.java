package io.securecomm.crypto.insecure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.crypto.insecure.LegacyHandshakeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The legacy suite's frames and transport, byte for byte, and its documented lack of integrity. */
class LegacySuiteTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void framesHaveTheDocumentedBytes() throws Exception {
        assertEquals("53434c4547414359" + "01" + "deadbeef", HEX.formatHex(LegacyHello.clientHello(0xDEADBEEFL)
                .encode()));
        byte[] relay = LegacyHello.relayHello(2).encode();
        assertEquals("53434c4547414359" + "02" + "00000002" + "28"
                + HEX.formatHex(LegacySuite.NAME.getBytes(StandardCharsets.US_ASCII)), HEX.formatHex(relay));
        assertEquals(14 + LegacySuite.NAME.length(), relay.length);
        byte[] offer = LegacyHello.legacyOnlyOffer().encode();
        assertEquals("53434c4547414359" + "03" + "28", HEX.formatHex(offer, 0, 10));
        assertEquals(LegacyHello.legacyOnlyOffer(), LegacyHello.decode(offer));
        assertEquals(LegacyHello.relayHello(2), LegacyHello.decode(relay));
        assertEquals(13, LegacyHello.clientHello(1).encode().length);
    }

    @Test
    void legacyFramesAreRecognisedByTheirMagicOnly() {
        assertTrue(LegacySuite.isLegacyFrame(LegacyHello.clientHello(5).encode()));
        assertFalse(LegacySuite.isLegacyFrame(new byte[32]), "a Noise message 1 is 32 bytes of key");
        assertFalse(LegacySuite.isLegacyFrame("SCLEGAC".getBytes(StandardCharsets.US_ASCII)));
        LegacyHandshakeException e = assertThrows(LegacyHandshakeException.class,
                () -> LegacyHello.decode(new byte[32]));
        assertEquals(Reason.NOT_LEGACY, e.reason());
    }

    @Test
    void everyTruncationAndExtensionIsMalformed() {
        for (byte[] frame : new byte[][] {LegacyHello.clientHello(7).encode(), LegacyHello.relayHello(7).encode(),
                LegacyHello.legacyOnlyOffer().encode()}) {
            for (int n = LegacySuite.MAGIC_LENGTH_BYTES; n < frame.length; n++) {
                byte[] cut = Arrays.copyOf(frame, n);
                assertEquals(Reason.MALFORMED,
                        assertThrows(LegacyHandshakeException.class, () -> LegacyHello.decode(cut)).reason());
            }
            byte[] longer = Arrays.copyOf(frame, frame.length + 1);
            assertEquals(Reason.MALFORMED,
                    assertThrows(LegacyHandshakeException.class, () -> LegacyHello.decode(longer)).reason());
            byte[] badKind = frame.clone();
            badKind[8] = 9;
            assertEquals(Reason.MALFORMED,
                    assertThrows(LegacyHandshakeException.class, () -> LegacyHello.decode(badKind)).reason());
        }
    }

    @Test
    void bothSidesDeriveTheSameTransportAndItRoundTrips() throws Exception {
        LegacyHandshake client = LegacyHandshake.client();
        LegacyHandshake relay = LegacyHandshake.relay();
        byte[] reply = relay.readClientHello(client.writeClientHello());
        try (LegacyTransport toRelay = client.readRelayHello(reply); LegacyTransport atRelay = relay.split()) {
            for (String text : new String[] {"hello", "a somewhat longer second message", "3"}) {
                byte[] plain = text.getBytes(StandardCharsets.UTF_8);
                byte[] record = toRelay.seal(plain);
                assertEquals(plain.length, record.length, "no tag: the record is exactly as long as the message");
                assertArrayEquals(plain, atRelay.open(record));
                assertArrayEquals(plain, toRelay.open(atRelay.seal(plain)));
            }
            assertEquals(toRelay.sealPosition(), atRelay.openPosition());
            assertFalse(toRelay.toString().contains(HEX.formatHex(
                    SmallPrimeDiffieHellman.deriveXorKey(0, LegacySuite.KEY_LENGTH_BYTES))));
        }
    }

    @Test
    void theTransportIsTheDocumentedRepeatingXor() {
        byte[] key = SmallPrimeDiffieHellman.deriveXorKey(42, 16);
        try (LegacyTransport t = LegacyTransport.fromSharedSecret(42)) {
            byte[] first = t.seal(new byte[10]);
            byte[] second = t.seal(new byte[20]);
            assertArrayEquals(Arrays.copyOf(key, 10), first);
            for (int i = 0; i < 20; i++) {
                assertEquals(key[(10 + i) % 16], second[i], "the position runs on across records");
            }
        }
    }

    /** The flaw the teaching demos show: every bit flip passes, and flips exactly that plaintext bit. */
    @Property(tries = 100)
    void everyBitFlipGoesUndetected(@ForAll byte[] message, @ForAll int bitSeed) {
        if (message.length == 0) {
            return;
        }
        int bit = Math.floorMod(bitSeed, message.length * 8);
        try (LegacyTransport a = LegacyTransport.fromSharedSecret(99);
                LegacyTransport b = LegacyTransport.fromSharedSecret(99)) {
            byte[] record = a.seal(message);
            record[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] opened = b.open(record);
            assertNotEquals(Arrays.toString(message), Arrays.toString(opened));
            opened[bit / 8] ^= (byte) (1 << (bit % 8));
            assertArrayEquals(message, opened);
        }
    }

    @Test
    void outOfTurnAndFailedHandshakesThrow() throws Exception {
        LegacyHandshake client = LegacyHandshake.client();
        assertThrows(IllegalStateException.class, () -> client.readRelayHello(LegacyHello.relayHello(3).encode()));
        assertThrows(IllegalStateException.class, () -> client.readClientHello(new byte[13]));
        byte[] hello = client.writeClientHello();
        LegacyHandshakeException e = assertThrows(LegacyHandshakeException.class,
                () -> client.readRelayHello(LegacyHello.legacyOnlyOffer().encode()));
        assertEquals(Reason.UNEXPECTED_KIND, e.reason());
        assertThrows(IllegalStateException.class, () -> client.readRelayHello(LegacyHello.relayHello(3).encode()),
                "a failed handshake is permanently failed");
        LegacyHandshake relay = LegacyHandshake.relay();
        assertThrows(IllegalStateException.class, relay::split);
        assertEquals(Reason.UNEXPECTED_KIND, assertThrows(LegacyHandshakeException.class,
                () -> relay.readClientHello(LegacyHello.relayHello(3).encode())).reason());
        LegacyHandshake relay2 = LegacyHandshake.relay();
        relay2.readClientHello(hello);
        assertEquals(LegacyHello.decode(hello).publicValue(), relay2.peerPublicValue());
        assertFalse(relay2.toString().contains(Long.toString(relay2.peerPublicValue())));
    }

    /** Random bytes behind the magic only ever yield the codec's own exception, or a frame that re-encodes exactly. */
    @Property(tries = 300)
    void randomFramesYieldOnlyLegacyHandshakeException(@ForAll byte[] tail) {
        byte[] frame = new byte[LegacySuite.MAGIC_LENGTH_BYTES + tail.length];
        System.arraycopy(LegacySuite.magic(), 0, frame, 0, LegacySuite.MAGIC_LENGTH_BYTES);
        System.arraycopy(tail, 0, frame, LegacySuite.MAGIC_LENGTH_BYTES, tail.length);
        try {
            assertArrayEquals(frame, LegacyHello.decode(frame).encode());
        } catch (LegacyHandshakeException e) {
            assertEquals(Reason.MALFORMED, e.reason());
        }
    }
}
