package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.limits.Cost;
import io.securecomm.internal.limits.RequestThrottle;
import io.securecomm.internal.limits.SharedWorkBucket;
import io.securecomm.internal.relay.CostModel;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.internal.relay.RequestIds;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Paces what one client makes the relay do (docs/SECURITY.md, "Cost model" and "Fairness"): each message goes on to
 * the relay logic when the connection's {@link RequestThrottle} admits its {@link CostModel cost}; until then the
 * message is held, in order, and the handler stops reading from the socket (so TCP slows the client down) and wakes
 * when the throttle says it would fit. A client is thereby slowed, never refused, however late the relay read what
 * it sent: an overloaded relay that reads a backlog in one go does not mistake it for a burst.
 *
 * <p>Fair turns: the connections of an event loop take turns. Once a connection has been given
 * {@value #TURN_QUANTUM_MICROS} microseconds of modelled work in one turn (one read of its socket), the rest of what it
 * sent waits until the event loop has served the other connections' reads: a connection with expensive work cannot
 * hold its loop while others wait (a deficit round robin whose quantum is one turn's work).
 *
 * <p>Holding is bounded: reading stops as soon as one message is held, so only what the socket had already delivered
 * can queue here. Past {@value #MAX_HELD_MESSAGES} held messages (a client that packs thousands of tiny messages
 * into one read), each further one is refused with {@link ErrorCode#RATE_LIMITED} (a {@code Ping} or {@code Pong}
 * silently), at the cost of a strike; a client out of strikes gets a {@link Disconnect} with
 * {@link ByeReason#RATE_LIMITED}. The hello, the goodbye and an unparsable message cost nothing, but keep their
 * place in the order.
 *
 * <p>Not sharable: one per channel, confined to its event loop.
 */
final class WorkLimitHandler extends ChannelInboundHandlerAdapter {
    /** The modelled work one connection is given per turn of its event loop, in microseconds. */
    static final long TURN_QUANTUM_MICROS = 2_000;

    /** The most messages held for one connection; beyond, each is refused. */
    static final int MAX_HELD_MESSAGES = 1024;

    private final RateLimit rateLimit;
    private final WorkLimit workLimit;
    private final CostModel costs;
    private final SharedWorkBucket address;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private RequestThrottle throttle;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> wakeUp;
    private boolean turnYielded;
    private boolean paused;
    private boolean draining;
    private boolean disconnecting;
    private boolean removed;
    private long turnWorkMicros;

    /**
     * Creates the handler of one connection.
     *
     * @param rateLimit the request rate and the tolerance of overflow
     * @param workLimit the work and upload allowances
     * @param costs the relay's cost model
     * @param address the work bucket this connection shares with the others of its remote address
     */
    WorkLimitHandler(RateLimit rateLimit, WorkLimit workLimit, CostModel costs, SharedWorkBucket address) {
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        this.workLimit = Objects.requireNonNull(workLimit, "workLimit");
        this.costs = Objects.requireNonNull(costs, "costs");
        this.address = Objects.requireNonNull(address, "address");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        throttle = new RequestThrottle(rateLimit, workLimit, address, EventLoopTime.nanoTime(ctx.executor()));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        cancelWakeUp();
        held.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held.size() >= MAX_HELD_MESSAGES && msg instanceof Message m && costs.of(m).request()) {
            overflow(m);
            return;
        }
        held.addLast(msg);
        drain();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The end of this connection's read in this turn of the loop: the next read is a new turn.
        if (!turnYielded) {
            turnWorkMicros = 0;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // What was read but not admitted is dropped with the connection: the client treats every request it has no
        // answer to as not delivered (docs/PROTOCOL.md 9.1). The closing itself still reaches the relay logic, and so
        // does a goodbye held behind the connection's turn: the client did leave, it did not vanish.
        cancelWakeUp();
        Object goodbye = held.stream().filter(m -> m instanceof Bye).findFirst().orElse(null);
        held.clear();
        if (goodbye != null) {
            ctx.fireChannelRead(goodbye);
        }
        super.channelInactive(ctx);
    }

    /** Hands on every held message the throttle admits now, in order; then reads again, or waits. */
    private void drain() {
        if (draining || removed) {
            return; // a message handed on can make the pipeline call back in; the outer loop goes on
        }
        draining = true;
        try {
            while (!held.isEmpty() && !removed) {
                Object next = held.peekFirst();
                Cost cost = next instanceof Message m ? costs.of(m) : Cost.FREE;
                if (cost.request() && turnWorkMicros >= TURN_QUANTUM_MICROS) {
                    yieldTurn();
                    return;
                }
                long waitNanos = throttle.admit(cost, EventLoopTime.nanoTime(ctx.executor()));
                if (waitNanos > 0) {
                    waitFor(waitNanos);
                    return;
                }
                held.removeFirst();
                turnWorkMicros += cost.workMicros();
                ctx.fireChannelRead(next);
            }
            resumeReading();
        } finally {
            draining = false;
        }
    }

    /** This turn's quantum is spent: the loop serves the other connections first, then this one's next turn. */
    private void yieldTurn() {
        pauseReading();
        if (!turnYielded) {
            turnYielded = true;
            ctx.executor().execute(() -> {
                turnYielded = false;
                turnWorkMicros = 0;
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

    /** A message beyond what may be held: refused, at the cost of a strike. */
    private void overflow(Message message) {
        switch (throttle.onOverflow(EventLoopTime.nanoTime(ctx.executor()))) {
            case REJECT -> {
                long requestId = RequestIds.of(message);
                if (requestId != 0) {
                    ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.RATE_LIMITED, "you sent "
                            + MAX_HELD_MESSAGES + " messages more than the relay had served; it serves "
                            + rateLimit.messagesPerSecond() + " per second (bursts of " + rateLimit.burstMessages()
                            + ") and stops reading meanwhile; this one was dropped"));
                }
            }
            case DISCONNECT -> {
                if (!disconnecting) {
                    disconnecting = true;
                    ctx.fireUserEventTriggered(new Disconnect(ByeReason.RATE_LIMITED, "you kept sending far more"
                            + " than the relay serves (" + rateLimit.messagesPerSecond() + " messages per second)"
                            + " after being told to slow down"));
                }
            }
        }
    }
}
