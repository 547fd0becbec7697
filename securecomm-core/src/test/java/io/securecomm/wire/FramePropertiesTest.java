package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FramePropertiesTest {

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
        Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(60000).ofMaxSize(65535);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, small), net.jqwik.api.Tuple.of(1, large))
                .list().ofMaxSize(8);
    }

    @Property(tries = 300)
    void framesDecodeIdenticallyUnderAnyChunking(
            @ForAll("payloads") List<byte[]> payloads,
            @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 70000) Integer> cuts) throws FrameException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            stream.writeBytes(FrameEncoder.encode(p));
        }
        byte[] bytes = stream.toByteArray();

        FrameDecoder d = new FrameDecoder();
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        int i = 0;
        while (pos < bytes.length) {
            int chunk = cuts.isEmpty() ? 1 : cuts.get(i++ % cuts.size());
            int n = Math.min(chunk, bytes.length - pos);
            ByteBuffer in = ByteBuffer.wrap(bytes, pos, n);
            byte[] f;
            while ((f = d.decode(in)) != null) {
                out.add(f);
            }
            assertEquals(0, in.remaining(), "a returned null means the chunk was used up");
            pos += n;
        }
        d.finish();
        assertEquals(payloads.size(), out.size());
        for (int k = 0; k < payloads.size(); k++) {
            assertArrayEquals(payloads.get(k), out.get(k));
        }
    }

    @Property(tries = 100)
    void oneByteAtATimeMatchesOneChunk(@ForAll("payloads") List<byte[]> payloads) throws FrameException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        payloads.forEach(p -> stream.writeBytes(FrameEncoder.encode(p)));
        byte[] bytes = stream.toByteArray();
        FrameDecoder d = new FrameDecoder();
        int frames = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte[] f = d.decode(ByteBuffer.wrap(bytes, i, 1));
            if (f != null) {
                assertArrayEquals(payloads.get(frames++), f);
            }
        }
        assertEquals(payloads.size(), frames);
    }

    @Property(tries = 1000)
    void declaredLengthAboveMaximumIsRejectedBeforeAnyPayloadByte(
            @ForAll @IntRange(min = 1, max = 65534) int max, @ForAll @IntRange(min = 1, max = 65535) int excess) {
        int declared = Math.min(65535, max + excess);
        if (declared <= max) {
            return;
        }
        FrameDecoder d = new FrameDecoder(max);
        // The whole input is the two length bytes: an allocation of `declared` bytes would be pointless,
        // and the verdict must come now, not after a payload the peer may never send.
        ByteBuffer in = ByteBuffer.wrap(new byte[] {(byte) (declared >>> 8), (byte) declared});
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> d.decode(in));
        assertEquals(declared, e.declaredLengthBytes());
        assertEquals(max, e.maxFrameLengthBytes());
    }

    @Property(tries = 3000)
    void arbitraryBytesYieldFramesOrAFrameExceptionOnly(
            @ForAll @Size(max = 600) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 300) int max,
            @ForAll @IntRange(min = 1, max = 64) int chunk) {
        FrameDecoder d = new FrameDecoder(max);
        long payloadBytes = 0;
        try {
            for (int pos = 0; pos < bytes.length; pos += chunk) {
                ByteBuffer in = ByteBuffer.wrap(bytes, pos, Math.min(chunk, bytes.length - pos));
                byte[] f;
                while ((f = d.decode(in)) != null) {
                    assertTrue(f.length >= 1 && f.length <= max);
                    payloadBytes += f.length;
                }
            }
            d.finish();
            assertTrue(payloadBytes <= bytes.length);
        } catch (FrameException expected) {
            // The only failure arbitrary input may cause.
        }
    }
}
