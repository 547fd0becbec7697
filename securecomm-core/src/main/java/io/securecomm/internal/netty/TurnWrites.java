package io.securecomm.internal.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.securecomm.internal.relay.DeliveryOutcome;
import io.securecomm.internal.relay.RelayAction.Announce;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelaySession;
import java.util.concurrent.Executor;

/**
 * One relay connection's writes to other connections during a turn (one input and its actions): gathered in an
 * {@link Outbox}, so that one sender's messages reach a recipient in the order they were sent and a message for
 * several recipients is encoded once, then handed over per event loop at the turn's end; the forwards' outcomes come
 * back to the sending session together ({@link ForwardOutcomes}).
 *
 * <p>The outbox and the outcomes are made per turn and dropped at its end, not kept for the connection's life: what a
 * turn stores in them is then stored into young objects, and the turn costs G1 one store into this long-lived object
 * (one card for its refinement thread) where a kept outbox cost up to three per message (issue 18).
 *
 * <p>Confined to the sending connection's event loop. Not sharable.
 */
final class TurnWrites {
    private final ByteBufAllocator allocator;
    private final RelaySession<Channel> session;
    private final Executor senderTurn;
    /** This turn's writes, or null while it has none. */
    private Outbox outbox;
    /** The outcomes of this turn's forwards, or null while it has none. */
    private ForwardOutcomes outcomes;

    /**
     * Creates the writes of one connection.
     *
     * @param allocator the connection's allocator, for the shared encodings
     * @param session the sending session
     * @param senderTurn called on the sender's loop: runs a task, then carries out the session's actions
     */
    TurnWrites(ByteBufAllocator allocator, RelaySession<Channel> session, Executor senderTurn) {
        this.allocator = allocator;
        this.session = session;
        this.senderTurn = senderTurn;
    }

    /**
     * Queues a message for another connection and collects its write's outcome; a recipient whose queue is full has
     * the outcome {@link DeliveryOutcome#QUEUE_FULL} at once, and is not written to.
     */
    void forward(Forward<Channel> forward) {
        Channel recipient = forward.recipient().connection();
        if (recipient.isActive() && !recipient.isWritable()) {
            session.handleDeliveryOutcome(forward, DeliveryOutcome.QUEUE_FULL);
            return;
        }
        if (outcomes == null) {
            outcomes = new ForwardOutcomes(session, session.connection().eventLoop(), senderTurn);
        }
        Outbox out = outbox();
        out.add(recipient, out.encoded(forward.message()), outcomes.promiseFor(forward, recipient));
    }

    /** Queues a message for several connections, with no outcome to wait for. */
    void announce(Announce<Channel> announce) {
        for (RelaySession<Channel> recipient : announce.recipients()) {
            Channel channel = recipient.connection();
            Outbox out = outbox();
            out.add(channel, out.encoded(announce.message()), channel.voidPromise());
        }
    }

    private Outbox outbox() {
        if (outbox == null) {
            outbox = new Outbox(allocator, session.connection());
        }
        return outbox;
    }

    /** Hands this turn's writes over; their outcomes come back together once all are known. */
    void dispatch() {
        if (outcomes != null) {
            outcomes.sealed();
            outcomes = null;
        }
        if (outbox != null) {
            Outbox out = outbox;
            outbox = null;
            out.dispatch(); // may run a write on this loop at once, which may start the next turn's outbox
        }
    }
}
