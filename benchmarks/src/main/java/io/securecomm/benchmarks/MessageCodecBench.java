package io.securecomm.benchmarks;

import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPublic;
import java.nio.charset.StandardCharsets;
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
 * Suite 5b, messages: {@link MessageCodec} encoding and decoding the two messages on the hot path of a chat, a
 * client's {@link SendPublic} and the relay's {@link PublicMessage}, against the bare UTF-8 encoding and decoding
 * of the same text (the part of the work any codec must do). Texts are at most 4096 bytes, the protocol's limit
 * ({@code Limits.TEXT_MAX_BYTES}), so the sizes here differ from the other suites.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MessageCodecBench {
    /** UTF-8 bytes of text per message (ASCII, so also characters). */
    @Param({"16", "64", "1024", "4096"})
    public int size;

    private String text;
    private byte[] utf8;
    private SendPublic send;
    private PublicMessage publicMessage;
    private byte[] sendEncoded;
    private byte[] publicEncoded;

    /** Creates the messages and their encodings. */
    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder b = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            b.append((char) ('a' + i % 26));
        }
        text = b.toString();
        utf8 = text.getBytes(StandardCharsets.UTF_8);
        send = new SendPublic(42, text);
        publicMessage = new PublicMessage(7, "alice", text);
        sendEncoded = MessageCodec.encode(send);
        publicEncoded = MessageCodec.encode(publicMessage);
    }

    /**
     * Baseline: UTF-8 encoding of the text alone.
     *
     * @return the bytes
     */
    @Benchmark
    public byte[] utf8Encode() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Baseline: UTF-8 decoding of the text alone.
     *
     * @return the text
     */
    @Benchmark
    public String utf8Decode() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * Encodes a {@link SendPublic}.
     *
     * @return the encoding
     */
    @Benchmark
    public byte[] encodeSendPublic() {
        return MessageCodec.encode(send);
    }

    /**
     * Decodes a {@link SendPublic}.
     *
     * @return the message
     * @throws MalformedMessageException never: the encoding is valid
     */
    @Benchmark
    public Message decodeSendPublic() throws MalformedMessageException {
        return MessageCodec.decode(sendEncoded);
    }

    /**
     * Encodes a {@link PublicMessage}.
     *
     * @return the encoding
     */
    @Benchmark
    public byte[] encodePublicMessage() {
        return MessageCodec.encode(publicMessage);
    }

    /**
     * Decodes a {@link PublicMessage}.
     *
     * @return the message
     * @throws MalformedMessageException never: the encoding is valid
     */
    @Benchmark
    public Message decodePublicMessage() throws MalformedMessageException {
        return MessageCodec.decode(publicEncoded);
    }
}
