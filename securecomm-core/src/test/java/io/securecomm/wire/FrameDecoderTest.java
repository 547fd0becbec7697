package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static List<byte[]> decodeAll(FrameDecoder d, ByteBuffer in) throws FrameException {
        List<byte[]> out = new ArrayList<>();
        byte[] f;
        while ((f = d.decode(in)) != null) {
            out.add(f);
        }
        return out;
    }

    @Test
    void decodesKnownFramesInOneChunk() throws FrameException {
        byte[] stream = HEX.parseHex("0003616263" + "0001ff" + "0002" + "0102");
        List<byte[]> frames = decodeAll(new FrameDecoder(), ByteBuffer.wrap(stream));
        assertEquals(3, frames.size());
        assertArrayEquals(HEX.parseHex("616263"), frames.get(0));
        assertArrayEquals(HEX.parseHex("ff"), frames.get(1));
        assertArrayEquals(HEX.parseHex("0102"), frames.get(2));
    }

    @Test
    void decodesOneByteAtATime() throws FrameException {
        byte[] stream = HEX.parseHex("0003616263" + "0001ff");
        FrameDecoder d = new FrameDecoder();
        List<byte[]> frames = new ArrayList<>();
        for (byte b : stream) {
            frames.addAll(decodeAll(d, ByteBuffer.wrap(new byte[] {b})));
        }
        assertEquals(2, frames.size());
        assertArrayEquals(HEX.parseHex("616263"), frames.get(0));
        assertArrayEquals(HEX.parseHex("ff"), frames.get(1));
        assertFalse(d.hasPartialFrame());
        d.finish();
    }

    @Test
    void consumesNothingBeyondTheCurrentFrame() throws FrameException {
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("0001aa" + "0002bbcc"));
        FrameDecoder d = new FrameDecoder();
        assertArrayEquals(new byte[] {(byte) 0xaa}, d.decode(in));
        assertEquals(3, in.position(), "the second frame stays with the caller");
        assertArrayEquals(HEX.parseHex("bbcc"), d.decode(in));
        assertNull(d.decode(in));
    }

    @Test
    void maximumLengthFrameIsAccepted() throws FrameException {
        byte[] payload = new byte[65535];
        payload[65534] = 7;
        byte[] frame = FrameEncoder.encode(payload);
        assertArrayEquals(HEX.parseHex("ffff"), Arrays.copyOf(frame, 2));
        assertArrayEquals(payload, new FrameDecoder().decode(ByteBuffer.wrap(frame)));
    }

    @Test
    void lengthAboveMaximumIsRejectedFromTheTwoLengthBytesAlone() {
        FrameDecoder d = new FrameDecoder(100);
        // Only the prefix arrives: the decoder must decide before any payload byte, hence before allocating.
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("0065"));
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> d.decode(in));
        assertEquals(101, e.declaredLengthBytes());
        assertEquals(100, e.maxFrameLengthBytes());
        assertEquals(0, e.streamOffset());
        assertTrue(e.getMessage().contains("101") && e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void lengthAtMaximumIsAccepted() throws FrameException {
        FrameDecoder d = new FrameDecoder(3);
        assertArrayEquals(HEX.parseHex("010203"), d.decode(ByteBuffer.wrap(HEX.parseHex("0003010203"))));
    }

    @Test
    void tooLargeReportsTheStreamOffsetOfItsFrame() throws FrameException {
        FrameDecoder d = new FrameDecoder(4);
        assertEquals(2, decodeAll(d, ByteBuffer.wrap(HEX.parseHex("0002aabb0001cc"))).size());
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> d.decode(ByteBuffer.wrap(HEX.parseHex("0005"))));
        assertEquals(7, e.streamOffset());
    }

    @Test
    void aDeclaredLengthAloneReservesLittleMemory() throws FrameException {
        FrameDecoder d = new FrameDecoder();
        assertNull(d.decode(ByteBuffer.wrap(HEX.parseHex("ffff0102"))));
        assertTrue(d.bufferCapacityBytes() <= 1024, "reserved " + d.bufferCapacityBytes());
        byte[] payload = new byte[65535];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        ByteBuffer rest = ByteBuffer.wrap(payload, 2, payload.length - 2);
        int received = 2;
        while (rest.hasRemaining()) {
            ByteBuffer chunk = ByteBuffer.wrap(payload, rest.position(), Math.min(3000, rest.remaining()));
            rest.position(rest.position() + chunk.remaining());
            received += chunk.remaining();
            byte[] f = d.decode(chunk);
            if (f == null) {
                assertTrue(d.bufferCapacityBytes() <= Math.max(1024, 2 * received),
                        d.bufferCapacityBytes() + " reserved for " + received + " received");
            } else {
                payload[0] = 0x01;
                payload[1] = 0x02;
                assertArrayEquals(payload, f);
            }
        }
        assertEquals(0, d.bufferCapacityBytes());
    }

    @Test
    void emptyFrameIsRejected() {
        FrameDecoder d = new FrameDecoder();
        EmptyFrameException e = assertThrows(EmptyFrameException.class,
                () -> d.decode(ByteBuffer.wrap(HEX.parseHex("0000"))));
        assertEquals(0, e.streamOffset());
    }

    @Test
    void failedDecoderStaysFailed() {
        FrameDecoder d = new FrameDecoder(1);
        assertThrows(FrameTooLargeException.class, () -> d.decode(ByteBuffer.wrap(HEX.parseHex("0002"))));
        assertThrows(IllegalStateException.class, () -> d.decode(ByteBuffer.wrap(HEX.parseHex("0001aa"))));
        assertThrows(IllegalStateException.class, d::finish);
    }

    @Test
    void finishBetweenFramesIsClean() throws FrameException {
        FrameDecoder d = new FrameDecoder();
        d.finish();
        decodeAll(d, ByteBuffer.wrap(HEX.parseHex("0001aa")));
        d.finish();
    }

    @Test
    void finishInsideTheLengthPrefixIsTruncated() throws FrameException {
        FrameDecoder d = new FrameDecoder();
        decodeAll(d, ByteBuffer.wrap(HEX.parseHex("0001aa00")));
        assertTrue(d.hasPartialFrame());
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, d::finish);
        assertEquals(3, e.streamOffset());
        assertEquals(1, e.receivedBytes());
    }

    @Test
    void finishInsideThePayloadIsTruncated() throws FrameException {
        FrameDecoder d = new FrameDecoder();
        assertNull(d.decode(ByteBuffer.wrap(HEX.parseHex("0004aabb"))));
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, d::finish);
        assertEquals(0, e.streamOffset());
        assertEquals(4, e.receivedBytes());
        assertTrue(e.getMessage().contains("4 of 6"), e.getMessage());
    }

    @Test
    void emptyInputNeedsMore() throws FrameException {
        FrameDecoder d = new FrameDecoder();
        assertNull(d.decode(ByteBuffer.allocate(0)));
        assertFalse(d.hasPartialFrame());
    }

    @Test
    void constructorRejectsOutOfRangeMaximum() {
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(0));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(65536));
        assertEquals(65535, new FrameDecoder().maxFrameLengthBytes());
        assertEquals(65535, FrameDecoder.DEFAULT_MAX_FRAME_LENGTH_BYTES);
    }

    @Test
    void nullBufferIsACallerMistake() {
        assertThrows(NullPointerException.class, () -> new FrameDecoder().decode(null));
    }
}
