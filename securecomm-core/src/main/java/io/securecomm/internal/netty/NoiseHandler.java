package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.SecureCommException;
import io.securecomm.internal.noise.NoiseConnection;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecureChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The Netty adapter of one connection's sans-I/O {@link NoiseConnection}, the way {@code SslHandler} wraps
 * {@code SSLEngine}: it hands the connection each inbound {@code byte[]} frame, writes the handshake messages it
 * makes, sends record plaintexts up as {@code byte[]}, and seals outbound plaintexts, {@code byte[]} or
 * {@link ByteBuf} (one encoding shared by the recipients of a fan-out, released here), into pooled direct buffers
 * that already carry their frame's length prefix, which the frame encoder passes through; writing one before the
 * handshake completed fails the write. When the handshake completes the handler fires {@link Established} as a user
 * event. The handshake has a deadline: if it is not complete in time, the handler fires a
 * {@link HandshakeException} with reason {@link HandshakeException.Reason#TIMED_OUT} and closes the channel; a
 * handshake message out of turn is {@link HandshakeException.Reason#UNEXPECTED_MESSAGE}. Any handshake or record
 * failure (a {@link SecureCommException}) is fired as an exception and the channel is closed: a failed handshake or
 * poisoned channel is permanently failed.
 *
 * <p>The X25519 work of one handshake (three DH operations per side, about 100 µs each) runs on the
 * channel's own event loop; nothing here blocks or takes a lock. Not sharable: one per channel.
 */
public final class NoiseHandler extends ChannelDuplexHandler {
    /** The longest framed record: a length prefix and the longest Noise transport message. */
    private static final int MAX_FRAMED_BYTES = NoiseConnection.framedLength(SecureChannel.MAX_PLAINTEXT_SIZE_BYTES);
    /** Per thread (an event loop's): where records are sealed before they are copied into their direct buffer. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[4096];
        }
    };

    private final NoiseConnection connection;
    private final Duration handshakeTimeout;
    private ScheduledFuture<?> deadline;
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
        this.connection = new NoiseConnection(initiator, localStatic,
                Objects.requireNonNull(remoteStaticCheck, "remoteStaticCheck"));
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
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
            boolean handshaking = !connection.isEstablished();
            byte[] plaintext = connection.read(frame);
            if (handshaking) {
                advance(ctx);
            } else {
                ctx.fireChannelRead(plaintext);
            }
        } catch (SecureCommException e) {
            fail(ctx, e);
        }
    }

    /** Writes the handshake messages the connection makes now, and says when it is established. */
    private void advance(ChannelHandlerContext ctx) {
        try {
            for (byte[] message : connection.advance()) {
                ctx.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
            if (connection.isEstablished()) {
                deadline.cancel(false);
                ctx.fireUserEventTriggered(new Established(connection.remoteStaticPublicKey(),
                        connection.handshakeHash()));
            }
        } catch (SecureCommException e) {
            fail(ctx, e);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // Handshake messages are written from this handler's own context, so they never pass through
        // here; every byte[] or ByteBuf written from above is a plaintext to seal.
        if (!(msg instanceof byte[]) && !(msg instanceof ByteBuf)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf record;
        try {
            if (!connection.canSeal()) {
                promise.setFailure(new IllegalStateException("no secure channel: the handshake has not completed"));
                return;
            }
            if (msg instanceof byte[] plaintext) {
                record = sealFramed(ctx, plaintext, 0, plaintext.length);
            } else if (((ByteBuf) msg).hasArray()) {
                ByteBuf plaintext = (ByteBuf) msg;
                record = sealFramed(ctx, plaintext.array(), plaintext.arrayOffset() + plaintext.readerIndex(),
                        plaintext.readableBytes());
            } else {
                byte[] copy = ByteBufUtil.getBytes((ByteBuf) msg);
                record = sealFramed(ctx, copy, 0, copy.length);
            }
        } finally {
            ReferenceCountUtil.release(msg); // a shared encoding's reference; nothing for a byte[]
        }
        ctx.write(record, promise);
    }

    /**
     * Seals one record into a pooled direct buffer, its 2-byte frame length first, ready for the socket: the
     * transport writes a direct buffer as it is, and nothing is left for the frame encoder to copy (it passes buffers
     * through). The JCA's AEADs work on arrays (given a direct buffer they would allocate an array per call), so the
     * record is sealed into this thread's scratch array and copied once into the direct buffer: the copy the
     * transport made of a heap buffer before, without a second pooled buffer per record.
     */
    private ByteBuf sealFramed(ChannelHandlerContext ctx, byte[] in, int inOff, int inLen) {
        int length = NoiseConnection.framedLength(inLen);
        byte[] scratch = scratch(length);
        int written = connection.sealFramed(in, inOff, inLen, scratch, 0);
        return ctx.alloc().directBuffer(written).writeBytes(scratch, 0, written);
    }

    /** This thread's scratch array for sealed records (ciphertext only), at least {@code length} bytes. */
    private static byte[] scratch(int length) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, Math.min(2 * scratch.length, MAX_FRAMED_BYTES))];
            SCRATCH.set(scratch);
        }
        return scratch;
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
        connection.close();
    }

    private void fail(ChannelHandlerContext ctx, SecureCommException e) {
        if (failed) {
            return;
        }
        failed = true;
        connection.fail();
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
        return connection.isEstablished();
    }

    /**
     * Checks the peer's static key during the handshake (the client pins the relay's key here).
     */
    @FunctionalInterface
    public interface RemoteStaticCheck extends NoiseConnection.RemoteStaticCheck {
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
