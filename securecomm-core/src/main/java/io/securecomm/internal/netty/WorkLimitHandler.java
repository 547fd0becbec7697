package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.limits.SharedWorkBucket;
import io.securecomm.internal.relay.CostModel;
import io.securecomm.internal.relay.InboundPacer;
import io.securecomm.internal.relay.InboundPacer.Step;
import io.securecomm.internal.relay.InboundPacer.Verdict;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The Netty adapter of one connection's {@link InboundPacer}, which decides when each message read goes on to the
 * relay logic (docs/SECURITY.md, "Cost model" and "Fairness"): this handler holds the messages there, stops reading
 * from the socket while one is held (so TCP slows the client down), wakes when the pacer says, gives the other
 * connections of its event loop their turn, and writes the pacer's refusals.
 *
 * <p>A turn given to the others is short: the connection's next turn is a task of its loop, which normally runs before
 * the loop reads the sockets again. So a yielded turn does not switch reading off at once (two {@code epoll_ctl} calls,
 * off and on again, for every read that brought more than the turn's quantum: with many connections from one
 * address, nearly every read of two messages or more; issue 18). It switches reading off only when a further
 * buffer arrives from the socket before the turn came back, so what is held is still at most the buffer that was
 * being read; a wait for the throttle always switches it off.
 *
 * <p>Not sharable: one per channel, confined to its event loop.
 */
final class WorkLimitHandler extends ChannelInboundHandlerAdapter {
    /** The modelled work one connection is given per turn of its event loop, in microseconds. */
    static final long TURN_QUANTUM_MICROS = InboundPacer.TURN_QUANTUM_MICROS;

    /** The most messages held for one connection; beyond, each is refused. */
    static final int MAX_HELD_MESSAGES = InboundPacer.MAX_HELD_MESSAGES;

    private final RateLimit rateLimit;
    private final WorkLimit workLimit;
    private final CostModel costs;
    private final SharedWorkBucket address;
    private final IntSupplier turnSharers;
    private InboundPacer pacer;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> wakeUp;
    /** Tells which socket buffer a message came in; {@code null} if the pipeline has none (tests). */
    private FrameDecoderHandler frames;
    /** The reads completed so far: which buffer a message came in when there is no {@link #frames}. */
    private long readsCompleted;
    /** The socket is not read: auto-read is off until what is held has been handed on. */
    private boolean paused;
    /** A turn was yielded while the socket is still read; {@link #yieldedIn} is the buffer being read then. */
    private boolean yielded;
    private long yieldedIn;
    private boolean draining;
    private boolean removed;

    /**
     * Creates the handler of one connection.
     *
     * @param rateLimit the request rate and the tolerance of overflow
     * @param workLimit the work and upload allowances
     * @param costs the relay's cost model
     * @param address the work bucket this connection shares with the others of its remote address
     */
    WorkLimitHandler(RateLimit rateLimit, WorkLimit workLimit, CostModel costs, SharedWorkBucket address) {
        this(rateLimit, workLimit, costs, address, () -> 1);
    }

    /**
     * Creates the handler of one connection that shares its loop's turns with the others of its address.
     *
     * @param rateLimit the request rate and the tolerance of overflow
     * @param workLimit the work and upload allowances
     * @param costs the relay's cost model
     * @param address the work bucket this connection shares with the others of its remote address
     * @param turnSharers how many connections of its address run on its loop now
     */
    WorkLimitHandler(RateLimit rateLimit, WorkLimit workLimit, CostModel costs, SharedWorkBucket address,
            IntSupplier turnSharers) {
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        this.workLimit = Objects.requireNonNull(workLimit, "workLimit");
        this.costs = Objects.requireNonNull(costs, "costs");
        this.address = Objects.requireNonNull(address, "address");
        this.turnSharers = Objects.requireNonNull(turnSharers, "turnSharers");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        frames = ctx.pipeline().get(FrameDecoderHandler.class);
        pacer = new InboundPacer(rateLimit, workLimit, costs, address, turnSharers, now());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        cancelWakeUp();
        pacer.closed();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (yielded && buffer() != yieldedIn) {
            pauseReading(); // another buffer came before the yielded turn: no more until it is handed on
        }
        // The common case, nothing held and the throttle willing, goes on at once without being held; while a
        // message is handed on, one read meanwhile waits behind it, as the drain loop would have it.
        Verdict verdict = draining || removed ? pacer.receive(msg, now()) : pacer.offer(msg, now());
        if (verdict instanceof Verdict.Passed passed) {
            draining = true;
            try {
                ctx.fireChannelRead(passed.message());
            } finally {
                draining = false;
            }
            drain(); // what was read while it was handed on
        } else if (verdict instanceof Verdict.Refused refused) {
            refused.reply().ifPresent(ctx::writeAndFlush);
        } else if (verdict instanceof Verdict.Ended ended) {
            ctx.fireUserEventTriggered(ended.disconnect());
        } else {
            drain();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readsCompleted++;
        pacer.readComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelWakeUp();
        pacer.closed().ifPresent(ctx::fireChannelRead);
        super.channelInactive(ctx);
    }

    /** Hands on every held message the pacer admits now, in order; then reads again, or waits. */
    private void drain() {
        if (draining || removed) {
            return; // a message handed on can make the pipeline call back in; the outer loop goes on
        }
        draining = true;
        try {
            while (!removed) {
                Step step = pacer.next(now());
                if (step instanceof Step.Deliver deliver) {
                    ctx.fireChannelRead(deliver.message());
                } else if (step instanceof Step.YieldTurn turn) {
                    yieldTurn(turn.schedule());
                    return;
                } else if (step instanceof Step.Wait wait) {
                    waitFor(wait.nanos());
                    return;
                } else {
                    break; // nothing is held
                }
            }
            resumeReading();
        } finally {
            draining = false;
        }
    }

    /** This turn's quantum is spent: the loop serves the other connections first, then this one's next turn. */
    private void yieldTurn(boolean schedule) {
        if (!paused && !yielded) {
            yielded = true;
            yieldedIn = buffer();
        }
        if (schedule) {
            ctx.executor().execute(() -> {
                pacer.newTurn();
                drain();
            });
        }
    }

    /** An allowance is short: nothing more is read until it has refilled enough for the next message. */
    private void waitFor(long nanos) {
        pauseReading();
        if (wakeUp == null) {
            wakeUp = ctx.executor().schedule(() -> {
                wakeUp = null;
                drain();
            }, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void pauseReading() {
        if (!paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resumeReading() {
        yielded = false;
        if (paused) {
            paused = false;
            // Turning auto-read back on asks the channel for the next read.
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void cancelWakeUp() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
            wakeUp = null;
        }
    }

    /** Which socket buffer the message being handled came in. */
    private long buffer() {
        return frames != null ? frames.buffersRead() : readsCompleted;
    }

    private long now() {
        return EventLoopTime.nanoTime(ctx.executor());
    }
}
