package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.securecomm.internal.relay.DeliveryOutcome;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.internal.relay.ProtocolExtension;
import io.securecomm.internal.relay.RelayAction;
import io.securecomm.internal.relay.RelayAction.Announce;
import io.securecomm.internal.relay.RelayAction.Close;
import io.securecomm.internal.relay.RelayAction.DisconnectOther;
import io.securecomm.internal.relay.RelayAction.Ending;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelayAction.Report;
import io.securecomm.internal.relay.RelayAction.Send;
import io.securecomm.internal.relay.RelayAction.SendLast;
import io.securecomm.internal.relay.RelayAction.SendRouted;
import io.securecomm.internal.relay.RelaySession;
import io.securecomm.internal.relay.RelayState;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Netty adapter of one connection's {@link RelaySession}, above the message codec and the limit handlers: it
 * hands the session the handshake's completion, every message, the limits' {@link Disconnect}s, the relay's
 * shutdown and the end of the connection, carries out the session's {@link RelayAction}s, and runs its timer. It
 * decides nothing.
 *
 * <p>Writes: to this connection with a void promise, flushed once after the loop's iteration ({@link FlushBatch});
 * to other connections through {@link TurnWrites}, handed over at the end of each turn (one input and its actions):
 * in place on this loop, and to other loops in one task per loop after this loop's iteration ({@link LoopBatch}).
 *
 * <p>Threads: the session is confined to this channel's event loop. A write to another connection completes on
 * that connection's loop, and the outcomes of one turn's writes come back here together, in one task ({@link
 * ForwardOutcomes}), batched with the other tasks that loop has for this one. Not sharable.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    /** The user event that tells every connection the relay is shutting down. */
    static final Object SHUTDOWN = new Object() {
        @Override
        public String toString() {
            return "SHUTDOWN";
        }
    };

    /** After a goodbye for a limit: a half-close once it is written, or a close if the write failed or cannot. */
    private static final ChannelFutureListener HALF_CLOSE = f -> {
        if (f.isSuccess() && f.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            f.channel().close();
        }
    };

    /**
     * The longest the session's timer waits before it reads the clock again. The relay's clock is the system's, so
     * the timer wakes at the deadline; this only bounds the wait.
     */
    private static final Duration MAX_TIMER_DELAY = Duration.ofHours(1);

    private final RelayState<Channel> relay;
    private final ProtocolExtension extension;
    private final Instant connectedAt;
    /** This turn's writes to other connections, dispatched at its end. */
    private TurnWrites writes;
    private ChannelHandlerContext ctx;
    private RelaySession<Channel> session;
    private DeadlineTimer timer;

    /**
     * Creates the adapter of a new connection.
     *
     * @param relay the relay's shared state
     * @param extension what the connection's variant adds to the protocol
     * @param connectedAt when the connection was accepted: its hello deadline counts from there
     */
    RelayHandler(RelayState<Channel> relay, ProtocolExtension extension, Instant connectedAt) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.extension = Objects.requireNonNull(extension, "extension");
        this.connectedAt = Objects.requireNonNull(connectedAt, "connectedAt");
    }

    /**
     * The adapter of the same connection for a variant chosen after the connection began (by its first frame),
     * to replace this one before the handshake completes; the hello deadline stays.
     *
     * @param variant what the variant adds to the protocol
     * @return a new adapter
     */
    RelayHandler withExtension(ProtocolExtension variant) {
        return new RelayHandler(relay, variant, connectedAt);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = new RelaySession<>(relay, ctx.channel(), FairOutbound.groupOf(ctx.channel()), this::onOwnThread,
                extension, connectedAt);
        writes = new TurnWrites(ctx.alloc(), session, this::inTurn);
        timer = new DeadlineTimer(ctx.executor(), relay.clock(), MAX_TIMER_DELAY, this::timeout);
        run();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof NoiseHandler.Established established) {
            session.handleEstablished(established.remoteStaticPublicKey());
        } else if (evt instanceof Disconnect disconnect) {
            session.handlePolicyDisconnect(disconnect);
        } else if (evt == SHUTDOWN) {
            session.handleShutdown();
        } else {
            super.userEventTriggered(ctx, evt);
            return;
        }
        run();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MessageCodecHandler.Malformed malformed) {
                session.handleMalformed(malformed.cause());
            } else if (msg instanceof Message message) {
                session.handleMessage(message);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        run();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.handleTransportClosed();
        run();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed handshake, a framing error, a forged record or a dead socket: this connection ends,
        // no other is touched, and only the kind of failure is logged, at DEBUG (the peer chose the bytes).
        NettyRelayServer.LOG.log(System.Logger.Level.DEBUG, "a relay connection failed ({0}); closing it",
                cause.getClass().getSimpleName());
        ctx.close();
    }

    /** The session's executor: runs a task on this channel's event loop, then carries out the actions. */
    private void onOwnThread(Runnable task) {
        try {
            ctx.executor().execute(() -> {
                task.run();
                run();
            });
        } catch (RejectedExecutionException stopped) {
            // The relay's threads are stopping after its shutdown timeout: this connection is being closed, and
            // its client treats every unanswered request as not delivered.
        }
    }

    /** Runs a task on this channel's event loop, called there, then carries out the actions. */
    private void inTurn(Runnable task) {
        task.run();
        run();
    }

    /**
     * Carries out every action the session has, hands this turn's writes to other connections to their loops,
     * then sets the timer to its next deadline.
     */
    private void run() {
        for (RelayAction<Channel> action; (action = session.poll()) != null; ) {
            carryOut(action);
        }
        writes.dispatch();
        timer.arm(session.pollTimeout());
    }

    private void timeout(Instant now) {
        session.handleTimeout(now);
        run();
    }

    private void carryOut(RelayAction<Channel> action) {
        if (action instanceof Send<Channel> send) {
            // No one listens: a failed write ends the connection, which the session hears of.
            FlushBatch.makeRoom(ctx.channel());
            ctx.write(send.message(), ctx.voidPromise());
            FlushBatch.flushSoon(ctx.channel());
        } else if (action instanceof SendLast<Channel> last) {
            ctx.writeAndFlush(last.message())
                    .addListener(last.then() == Ending.CLOSE ? ChannelFutureListener.CLOSE : HALF_CLOSE);
        } else if (action instanceof Close<Channel>) {
            ctx.close();
        } else if (action instanceof SendRouted<Channel> routed) {
            sendRouted(routed);
        } else if (action instanceof Forward<Channel> forward) {
            writes.forward(forward);
        } else if (action instanceof Announce<Channel> announce) {
            writes.announce(announce);
        } else if (action instanceof DisconnectOther<Channel> other) {
            // After the writes before it, as they were ordered (on another loop: in the same batch, after them);
            // through the other connection's pipeline, which hands it to its session on its own event loop.
            writes.dispatch();
            Channel recipient = other.session().connection();
            if (recipient.eventLoop().inEventLoop()) {
                recipient.pipeline().fireUserEventTriggered(other.disconnect());
            } else {
                LoopBatch.execute(ctx.channel().eventLoop(), recipient.eventLoop(),
                        () -> recipient.pipeline().fireUserEventTriggered(other.disconnect()));
            }
        } else if (action instanceof Report<Channel> report) {
            try {
                report.event().tell(relay.listener());
            } catch (RuntimeException listenerBug) {
                // Ignored, as RelayListener documents: an operator's listener must not break a session. Logged,
                // since it is the operator's own bug.
                NettyRelayServer.LOG.log(System.Logger.Level.WARNING, "the relay's listener threw on "
                        + report.event().getClass().getSimpleName() + "; ignored", listenerBug);
            }
        }
    }

    /**
     * A message from a client on another node: written through this connection's fair queue as that client's, as a
     * forward from a connection of this node is, so that one remote sender's flood cannot bury the others' nor cut
     * this client off; the outcome reports the write.
     */
    private void sendRouted(SendRouted<Channel> routed) {
        Channel channel = ctx.channel();
        if (!channel.isWritable() && channel.isActive()) {
            routed.outcome().accept(DeliveryOutcome.QUEUE_FULL);
            return;
        }
        ChannelPromise promise = ctx.newPromise();
        promise.addListener(f -> routed.outcome().accept(f.isSuccess() ? DeliveryOutcome.DELIVERED
                : f.cause() instanceof FairOutbound.RecipientQueueFull ? DeliveryOutcome.NO_ROOM_FOR_SENDER
                : DeliveryOutcome.CONNECTION_CLOSED));
        FairOutbound fair = FairOutbound.of(channel);
        if (fair != null) {
            byte[] encoded = MessageCodec.encode(routed.message());
            fair.write(routed.sender(), ctx.alloc().heapBuffer(encoded.length).writeBytes(encoded), promise);
        } else {
            FlushBatch.makeRoom(channel);
            ctx.write(routed.message(), promise);
        }
        FlushBatch.flushSoon(channel);
    }
}
