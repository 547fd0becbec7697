package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void prefixesTheBigEndianLength() {
        assertArrayEquals(HEX.parseHex("0003616263"), FrameEncoder.encode(HEX.parseHex("616263")));
        byte[] big = new byte[0x1234];
        byte[] framed = FrameEncoder.encode(big);
        assertEquals(0x12, framed[0]);
        assertEquals(0x34, framed[1]);
        assertEquals(0x1236, framed.length);
        assertEquals(0x1236, FrameEncoder.frameLength(0x1234));
    }

    @Test
    void copiesThePayload() {
        byte[] payload = {1, 2};
        byte[] framed = FrameEncoder.encode(payload);
        payload[0] = 9;
        assertArrayEquals(HEX.parseHex("00020102"), framed);
    }

    @Test
    void rejectsEmptyAndOversizedPayloads() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(new byte[65536]));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.frameLength(0));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.frameLength(65536));
        assertEquals(65537, FrameEncoder.encode(new byte[65535]).length);
    }

    @Test
    void writesIntoABuffer() {
        ByteBuffer out = ByteBuffer.allocate(8);
        FrameEncoder.encode(HEX.parseHex("00aabbcc00"), 1, 3, out);
        assertEquals(5, out.position());
        out.flip();
        byte[] written = new byte[out.remaining()];
        out.get(written);
        assertArrayEquals(HEX.parseHex("0003aabbcc"), written);
    }

    @Test
    void bufferWithoutRoomIsLeftUntouched() {
        ByteBuffer out = ByteBuffer.allocate(4);
        assertThrows(BufferOverflowException.class, () -> FrameEncoder.encode(new byte[3], 0, 3, out));
        assertEquals(0, out.position());
    }

    @Test
    void bufferVariantChecksItsArguments() {
        ByteBuffer out = ByteBuffer.allocate(100);
        assertThrows(IndexOutOfBoundsException.class, () -> FrameEncoder.encode(new byte[3], 2, 2, out));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(new byte[3], 0, 0, out));
        assertThrows(NullPointerException.class, () -> FrameEncoder.encode(null));
    }
}
