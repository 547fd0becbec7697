package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.securecomm.noise.HandshakeException;
import io.securecomm.relay.RelayMeter;
import java.time.Duration;

/**
 * The two handlers that tell a relay's {@link RelayMeter} what only the pipeline sees: bytes on the socket and
 * how each handshake ended. {@link RelayPipeline} adds them only when the relay has a meter. They measure and
 * pass everything on; they decide nothing.
 */
final class RelayMeterHandlers {
    private RelayMeterHandlers() {}

    /**
     * Counts the bytes read from and handed to the socket; first in the pipeline, so it sees the raw bytes.
     * Sharable: it keeps no state of its own.
     */
    @ChannelHandler.Sharable
    static final class Traffic extends ChannelDuplexHandler {
        private final RelayMeter meter;

        Traffic(RelayMeter meter) {
            this.meter = meter;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long bytes = sizeOf(msg);
            if (bytes > 0) {
                meter.bytesRead(bytes);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            long bytes = sizeOf(msg);
            if (bytes > 0) {
                meter.bytesWritten(bytes);
            }
            ctx.write(msg, promise);
        }

        private static long sizeOf(Object msg) {
            if (msg instanceof ByteBuf buf) {
                return buf.readableBytes();
            }
            if (msg instanceof ByteBufHolder holder) {
                return holder.content().readableBytes();
            }
            return 0;
        }
    }

    /**
     * Sits right after the handshake's slot ({@code noise}, or {@code legacy} once a connection chose that
     * suite) and reports once how the handshake ended: its {@link NoiseHandler.Established} event, a failure it
     * fired, or the connection closing first. Not sharable: one per channel.
     */
    static final class Handshake extends ChannelInboundHandlerAdapter {
        private final RelayMeter meter;
        private final long acceptedAtNanos;
        private final long timeoutNanos;
        private boolean reported;

        /**
         * @param meter the relay's meter
         * @param acceptedAtNanos when the connection was accepted, by {@link EventLoopTime#nanoTime}
         * @param timeout the relay's handshake timeout
         */
        Handshake(RelayMeter meter, long acceptedAtNanos, Duration timeout) {
            this.meter = meter;
            this.acceptedAtNanos = acceptedAtNanos;
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            super.userEventTriggered(ctx, evt);
            if (evt instanceof NoiseHandler.Established) {
                report(ctx, RelayMeter.HandshakeResult.COMPLETED);
                // Its work is done: the connection's messages need not pass through it.
                ctx.pipeline().remove(this);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            report(ctx, cause instanceof HandshakeException e && e.reason() == HandshakeException.Reason.TIMED_OUT
                    ? RelayMeter.HandshakeResult.TIMED_OUT : RelayMeter.HandshakeResult.FAILED);
            super.exceptionCaught(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            // The relay's session closes a connection that has not said hello by the same deadline, and may get
            // there before the handshake's own timer does.
            report(ctx, elapsedNanos(ctx) >= timeoutNanos
                    ? RelayMeter.HandshakeResult.TIMED_OUT : RelayMeter.HandshakeResult.ABANDONED);
            super.channelInactive(ctx);
        }

        private void report(ChannelHandlerContext ctx, RelayMeter.HandshakeResult result) {
            if (reported) {
                return;
            }
            reported = true;
            meter.handshakeEnded(result, Duration.ofNanos(elapsedNanos(ctx)));
        }

        private long elapsedNanos(ChannelHandlerContext ctx) {
            return EventLoopTime.nanoTime(ctx.channel().eventLoop()) - acceptedAtNanos;
        }
    }
}
