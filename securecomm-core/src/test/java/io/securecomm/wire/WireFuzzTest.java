package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Coverage-guided fuzz targets for the wire codec (see docs/FUZZING.md). In a normal {@code mvn test} each target
 * replays the inputs under {@code src/test/resources/io/securecomm/wire/WireFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates them for as long as {@code jazzer.max_duration} allows.
 *
 * <p>Each target states what may come out: the decoder's documented checked exceptions and nothing else, no
 * allocation beyond the declared bounds, and exact re-encoding of whatever is accepted.
 */
class WireFuzzTest {

    /**
     * The frame decoder under arbitrary chunking. The input is a small header, then the stream:
     *
     * <pre>
     * +-----------+---+-------------------+------------------+
     * | max (u16) | k | k cut sizes (u16) | stream bytes ... |   max 0 means 65535; k is 1..16 (byte % 16 + 1);
     * +-----------+---+-------------------+------------------+   a cut size of 0 means 1
     * </pre>
     *
     * Every frame returned must be 1..max bytes and, re-framed, reproduce exactly the bytes consumed; the buffer
     * must grow only with bytes received; the only exceptions are {@link FrameTooLargeException},
     * {@link EmptyFrameException} and, at the end of the stream, {@link TruncatedFrameException}; after one, the
     * decoder refuses further use.
     */
    @FuzzTest(maxDuration = "2m")
    void frameDecoder(byte[] input) {
        if (input.length < 3) {
            return;
        }
        ByteBuffer header = ByteBuffer.wrap(input);
        int max = header.getShort() & 0xFFFF;
        if (max == 0) {
            max = FrameDecoder.DEFAULT_MAX_FRAME_LENGTH_BYTES;
        }
        int[] cuts = new int[(header.get() & 0xFF) % 16 + 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = header.remaining() >= 2 ? Math.max(1, header.getShort() & 0xFFFF) : 1;
        }
        byte[] stream = Arrays.copyOfRange(input, header.position(), input.length);

        FrameDecoder decoder = new FrameDecoder(max);
        ByteArrayOutputStream reframed = new ByteArrayOutputStream();
        int pos = 0;
        int cut = 0;
        long sinceFrameStart = 0;
        try {
            while (pos < stream.length) {
                int n = Math.min(cuts[cut++ % cuts.length], stream.length - pos);
                ByteBuffer in = ByteBuffer.wrap(stream, pos, n);
                while (true) {
                    int before = in.position();
                    byte[] frame = decoder.decode(in);
                    sinceFrameStart += in.position() - before;
                    // Memory follows the bytes received, never the declared length alone.
                    assertTrue(decoder.bufferCapacityBytes() <= Math.min(max, Math.max(1024, 2 * sinceFrameStart)),
                            "buffer of " + decoder.bufferCapacityBytes() + " after " + sinceFrameStart + " bytes");
                    if (frame == null) {
                        break;
                    }
                    assertTrue(frame.length >= 1 && frame.length <= max, "frame of " + frame.length + " bytes");
                    reframed.writeBytes(FrameEncoder.encode(frame));
                    sinceFrameStart = 0;
                }
                assertEquals(0, in.remaining(), "null means the chunk was used up");
                pos += n;
            }
            decoder.finish();
            assertArrayEquals(stream, reframed.toByteArray(), "a clean end re-frames to the exact stream");
        } catch (FrameTooLargeException | EmptyFrameException | TruncatedFrameException e) {
            byte[] prefix = reframed.toByteArray();
            assertArrayEquals(Arrays.copyOf(stream, prefix.length), prefix,
                    "frames before the failure re-frame to the stream's prefix");
            assertThrows(IllegalStateException.class, () -> decoder.decode(ByteBuffer.allocate(1)));
        } catch (FrameException e) {
            throw new AssertionError("undocumented frame exception " + e.getClass().getName(), e);
        }
    }

    /**
     * The message decoder on arbitrary bytes: a message or {@link MalformedMessageException} with an offset inside
     * the input, nothing else; an accepted message re-encodes to exactly the input (the encoding is canonical).
     */
    @FuzzTest(maxDuration = "2m")
    void messageCodec(byte[] bytes) {
        Message m;
        try {
            m = MessageCodec.decode(bytes);
        } catch (MalformedMessageException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, e.getMessage());
            return;
        }
        assertArrayEquals(bytes, MessageCodec.encode(m));
    }
}
