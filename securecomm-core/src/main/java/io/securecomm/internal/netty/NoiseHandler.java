package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.SecureCommException;
import io.securecomm.noise.HandshakeAction;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseMessageTooLargeException;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecurecommNoise;
import io.securecomm.wire.FrameEncoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Drives the Noise handshake over frames, then seals outbound and opens inbound transport records: the
 * Netty adapter around the sans-I/O {@link HandshakeState} and {@link SecureChannel}, the way
 * {@code SslHandler} wraps {@code SSLEngine}. The handshake is wire protocol v1's, {@link SecurecommNoise}'s profile
 * with ChaChaPoly: {@code Noise_XX_25519_ChaChaPoly_SHA256}, prologue {@code securecomm/1}.
 *
 * <p>Inbound {@code byte[]} frames are handshake messages until {@link HandshakeAction#SPLIT}, then
 * records whose plaintexts go up as {@code byte[]}. Outbound plaintexts, {@code byte[]} or {@link ByteBuf} (one
 * encoding shared by the recipients of a fan-out, released here), are sealed straight into pooled buffers that
 * already carry their frame's length prefix, which the frame encoder passes through; writing one before the
 * handshake completed fails the write. When the handshake completes
 * the handler fires {@link Established} as a user event. The handshake has a deadline: if it is not
 * complete in time, the handler fires a {@link HandshakeException} with reason
 * {@link HandshakeException.Reason#TIMED_OUT} and closes the channel; a handshake message out of turn is
 * {@link HandshakeException.Reason#UNEXPECTED_MESSAGE}. Any
 * handshake or record failure (a {@link SecureCommException}) is fired as an exception and the channel
 * is closed: a failed handshake or poisoned channel is permanently failed. Handshake payloads are empty.
 *
 * <p>The X25519 work of one handshake (three DH operations per side, about 100 µs each) runs on the
 * channel's own event loop; nothing here blocks or takes a lock. Not sharable: one per channel.
 */
public final class NoiseHandler extends ChannelDuplexHandler {
    private static final byte[] EMPTY = new byte[0];
    /** The frame's length prefix ({@link FrameEncoder}), written here in front of each sealed record. */
    private static final int FRAME_HEADER_BYTES = FrameEncoder.LENGTH_FIELD_BYTES;

    private final HandshakeState handshake;
    private final RemoteStaticCheck remoteStaticCheck;
    private final Duration handshakeTimeout;
    private SecureChannel channel;
    private ScheduledFuture<?> deadline;
    private boolean remoteChecked;
    private boolean failed;

    /**
     * Creates the handler for one connection.
     *
     * @param initiator {@code true} for the client, {@code false} for the relay
     * @param localStatic this side's static key pair, borrowed: the caller keeps it open while the channel lives
     * @param handshakeTimeout how long the handshake may take
     * @param remoteStaticCheck called once with the peer's static key as soon as it is known and
     *     authenticated, before this side sends its next handshake message
     */
    public NoiseHandler(boolean initiator, NoiseKeyPair localStatic, Duration handshakeTimeout,
            RemoteStaticCheck remoteStaticCheck) {
        // A SecureRandom per handshake, for its ephemeral key, as HandshakeState makes when given none.
        this.handshake = initiator
                ? SecurecommNoise.client(NoiseCipher.CHACHA_POLY, localStatic, new SecureRandom())
                : SecurecommNoise.server(NoiseCipher.CHACHA_POLY, localStatic, new SecureRandom());
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        this.remoteStaticCheck = Objects.requireNonNull(remoteStaticCheck, "remoteStaticCheck");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (deadline != null) {
            return;
        }
        deadline = ctx.executor().schedule(() -> fail(ctx, new HandshakeException(HandshakeException.Reason.TIMED_OUT,
                "the Noise handshake did not complete within " + handshakeTimeout.toMillis() + " ms", null)),
                handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        advance(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof byte[] frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            return;
        }
        try {
            if (channel != null) {
                ctx.fireChannelRead(channel.open(frame));
                return;
            }
            if (handshake.action() != HandshakeAction.READ_MESSAGE) {
                throw new HandshakeException(HandshakeException.Reason.UNEXPECTED_MESSAGE,
                        "received a handshake message while expecting to " + handshake.action(), null);
            }
            handshake.readMessage(frame);
            advance(ctx);
        } catch (SecureCommException e) {
            fail(ctx, e);
        }
    }

    /** Writes our handshake messages while it is our turn, checks the peer's key, and splits at the end. */
    private void advance(ChannelHandlerContext ctx) {
        try {
            if (!remoteChecked && handshake.hasRemoteStaticPublicKey()) {
                remoteChecked = true;
                remoteStaticCheck.check(handshake.remoteStaticPublicKey());
            }
            while (handshake.action() == HandshakeAction.WRITE_MESSAGE) {
                ctx.writeAndFlush(handshake.writeMessage(EMPTY))
                        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
            if (handshake.action() == HandshakeAction.SPLIT) {
                byte[] remoteStatic = handshake.remoteStaticPublicKey();
                byte[] hash = handshake.handshakeHash();
                channel = handshake.split();
                handshake.close();
                deadline.cancel(false);
                ctx.fireUserEventTriggered(new Established(remoteStatic, hash));
            }
        } catch (SecureCommException e) {
            fail(ctx, e);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // Handshake messages are written from this handler's own context, so they never pass through
        // here; every byte[] or ByteBuf written from above is a plaintext to seal.
        if (msg instanceof byte[] plaintext) {
            if (channel == null || failed) {
                promise.setFailure(new IllegalStateException("no secure channel: the handshake has not completed"));
                return;
            }
            ctx.write(sealFramed(ctx, plaintext, 0, plaintext.length), promise);
            return;
        }
        if (msg instanceof ByteBuf plaintext) {
            ByteBuf record;
            try {
                if (channel == null || failed) {
                    promise.setFailure(new IllegalStateException(
                            "no secure channel: the handshake has not completed"));
                    return;
                }
                if (plaintext.hasArray()) {
                    record = sealFramed(ctx, plaintext.array(), plaintext.arrayOffset() + plaintext.readerIndex(),
                            plaintext.readableBytes());
                } else {
                    byte[] copy = ByteBufUtil.getBytes(plaintext);
                    record = sealFramed(ctx, copy, 0, copy.length);
                }
            } finally {
                plaintext.release();
            }
            ctx.write(record, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /**
     * Seals one record straight into a pooled outbound buffer, its 2-byte frame length first: no intermediate
     * arrays, and nothing left for the frame encoder to copy (it passes buffers through).
     */
    private ByteBuf sealFramed(ChannelHandlerContext ctx, byte[] in, int inOff, int inLen) {
        int recordLength = inLen + NoiseCipher.TAG_SIZE_BYTES;
        if (inLen > SecureChannel.MAX_PLAINTEXT_SIZE_BYTES) { // before allocating for it
            throw new NoiseMessageTooLargeException("a plaintext of " + inLen + " bytes exceeds the "
                    + SecureChannel.MAX_PLAINTEXT_SIZE_BYTES + "-byte limit of a Noise transport message; split it");
        }
        // Heap, not direct: the JCA's AEADs work on arrays (a direct buffer would cost a copy inside the JCA);
        // the transport copies into its pooled direct buffer as it writes, once for the whole flush.
        ByteBuf record = ctx.alloc().heapBuffer(FRAME_HEADER_BYTES + recordLength);
        try {
            int at = record.arrayOffset() + record.writerIndex();
            byte[] out = record.array();
            out[at] = (byte) (recordLength >>> 8);
            out[at + 1] = (byte) recordLength;
            int sealed = channel.seal(in, inOff, inLen, out, at + FRAME_HEADER_BYTES);
            record.writerIndex(record.writerIndex() + FRAME_HEADER_BYTES + sealed);
            return record;
        } catch (RuntimeException e) {
            record.release();
            throw e;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cleanUp();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cleanUp();
    }

    private void cleanUp() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        handshake.close();
        if (channel != null) {
            channel.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, SecureCommException e) {
        if (failed) {
            return;
        }
        failed = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireExceptionCaught(e);
        ctx.close();
    }

    /**
     * Whether the handshake completed.
     *
     * @return {@code true} once the secure channel exists
     */
    public boolean isEstablished() {
        return channel != null;
    }

    /**
     * Checks the peer's static key during the handshake (the client pins the relay's key here).
     */
    @FunctionalInterface
    public interface RemoteStaticCheck {
        /** Accepts every key (the relay accepts any client identity). */
        RemoteStaticCheck ACCEPT_ALL = key -> {};

        /**
         * Checks the key.
         *
         * @param remoteStaticPublicKey the peer's static public key, authenticated by the handshake
         * @throws SecureCommException to abort the handshake; the exception is fired down the pipeline
         */
        void check(byte[] remoteStaticPublicKey) throws SecureCommException;
    }

    /**
     * The user event fired when the handshake completes. A handler that takes this one's slot for another suite
     * fires it too, with whatever stands for the peer's key there.
     *
     * @param remoteStaticPublicKey the peer's authenticated static public key
     * @param handshakeHash the handshake hash {@code h}, which identifies the session
     */
    public record Established(byte[] remoteStaticPublicKey, byte[] handshakeHash) {
        /**
         * Copies the arrays.
         *
         * @param remoteStaticPublicKey the peer's static public key
         * @param handshakeHash the handshake hash
         */
        public Established {
            remoteStaticPublicKey = remoteStaticPublicKey.clone();
            handshakeHash = handshakeHash.clone();
        }

        /**
         * The peer's static public key.
         *
         * @return a copy
         */
        @Override
        public byte[] remoteStaticPublicKey() {
            return remoteStaticPublicKey.clone();
        }

        /**
         * The handshake hash.
         *
         * @return a copy
         */
        @Override
        public byte[] handshakeHash() {
            return handshakeHash.clone();
        }
    }
}
