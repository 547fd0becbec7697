package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.securecomm.internal.relay.DeliveryOutcome;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelaySession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outcomes of one turn's forwards of a {@link RelayHandler}: completed on the recipients' loops and handed to the
 * sending session together, in one task on the sender's loop once the last is in (a fan-out to a hundred recipients
 * used to post a hundred). The session answers a message only when all its recipients' outcomes are in, so nothing
 * is later. That task goes with the other tasks the last recipient's loop has for the sender's loop in the same
 * iteration ({@link LoopBatch}): the outcomes of many senders' private messages written in one iteration go back in
 * one task per sending loop.
 *
 * <p>Threads: {@link #promiseFor} and {@link #sealed()} on the sender's loop; the promises complete on the
 * recipients' loops.
 */
final class ForwardOutcomes implements ChannelFutureListener {
    private final RelaySession<Channel> session;
    private final EventLoop senderLoop;
    private final Executor senderTurn;
    private final List<Forward<Channel>> forwards = new ArrayList<>();
    /** One per forward, plus one held until {@link #sealed()} so that early outcomes cannot finish the turn. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private volatile DeliveryOutcome[] outcomes;

    /**
     * Starts a turn's outcomes.
     *
     * @param session the sending session
     * @param senderLoop the sending connection's event loop
     * @param senderTurn called on the sender's loop: runs a task, then carries out the session's actions
     */
    ForwardOutcomes(RelaySession<Channel> session, EventLoop senderLoop, Executor senderTurn) {
        this.session = session;
        this.senderLoop = senderLoop;
        this.senderTurn = senderTurn;
    }

    /** The promise of one forward's write, whose outcome is collected here. */
    ChannelPromise promiseFor(Forward<Channel> forward, Channel recipient) {
        ForwardPromise promise = new ForwardPromise(recipient, forwards.size());
        forwards.add(forward);
        pending.incrementAndGet();
        promise.addListener(this);
        return promise;
    }

    /** No more forwards this turn: the writes are about to be made. */
    void sealed() {
        outcomes = new DeliveryOutcome[forwards.size()];
        countDown(senderLoop);
    }

    @Override
    public void operationComplete(ChannelFuture written) {
        outcomes[((ForwardPromise) written).slot] = written.isSuccess() ? DeliveryOutcome.DELIVERED
                : written.cause() instanceof FairOutbound.RecipientQueueFull ? DeliveryOutcome.NO_ROOM_FOR_SENDER
                : DeliveryOutcome.CONNECTION_CLOSED;
        // Listeners run on the channel's own loop: the recipient's.
        countDown(written.channel().eventLoop());
    }

    /** One outcome (or the seal) is in, on {@code current}'s thread; after the last, the session hears them all. */
    private void countDown(EventLoop current) {
        if (pending.decrementAndGet() == 0) {
            DeliveryOutcome[] all = outcomes;
            // If the sender's loop has stopped, its connection is being closed with it: nobody is left to tell.
            LoopBatch.execute(current, senderLoop, () -> senderTurn.execute(() -> {
                for (int i = 0; i < all.length; i++) {
                    session.handleDeliveryOutcome(forwards.get(i), all[i]);
                }
            }));
        }
    }

    /** The promise of one forward's write: where its outcome goes. */
    private static final class ForwardPromise extends DefaultChannelPromise {
        final int slot;

        ForwardPromise(Channel recipient, int slot) {
            super(recipient);
            this.slot = slot;
        }
    }
}
