package io.securecomm.benchmarks;

import io.securecomm.wire.FrameDecoder;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.FrameException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Suite 5a, frames: the 2-byte length framing, encoded and decoded per second, against a copy of the same payload
 * (the least any framing that copies must cost). The largest size is the largest frame payload, 65535 bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBench {
    /** Payload bytes per frame. */
    @Param({"64", "1024", "16384", "65535"})
    public int size;

    private byte[] payload;
    private byte[] copy;
    private ByteBuffer frame;
    private ByteBuffer out;
    private FrameDecoder decoder;

    /** Creates the payload and one encoded frame. */
    @Setup(Level.Trial)
    public void setUp() {
        payload = new byte[size];
        new SplittableRandom(3).nextBytes(payload);
        copy = new byte[size];
        frame = ByteBuffer.wrap(FrameEncoder.encode(payload));
        out = ByteBuffer.allocate(FrameEncoder.frameLength(size));
        decoder = new FrameDecoder();
    }

    /**
     * Baseline: a fresh copy of the payload (what decoding a frame into a fresh array must at least do).
     *
     * @return the copy
     */
    @Benchmark
    public byte[] copyPayload() {
        byte[] c = new byte[size];
        System.arraycopy(payload, 0, c, 0, size);
        copy = c;
        return c;
    }

    /**
     * {@link FrameEncoder#encode(byte[])}: a fresh frame array.
     *
     * @return the frame
     */
    @Benchmark
    public byte[] encode() {
        return FrameEncoder.encode(payload);
    }

    /**
     * {@link FrameEncoder#encode(byte[], int, int, ByteBuffer)} into a reused buffer.
     *
     * @return the buffer
     */
    @Benchmark
    public ByteBuffer encodeInto() {
        out.clear();
        FrameEncoder.encode(payload, 0, size, out);
        return out;
    }

    /**
     * {@link FrameDecoder#decode(ByteBuffer)} of one whole frame.
     *
     * @return the payload
     * @throws FrameException never: the frame is well formed
     */
    @Benchmark
    public byte[] decode() throws FrameException {
        frame.rewind();
        return decoder.decode(frame);
    }
}
