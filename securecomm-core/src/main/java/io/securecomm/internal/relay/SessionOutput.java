package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.Announce;
import io.securecomm.internal.relay.RelayAction.Close;
import io.securecomm.internal.relay.RelayAction.DisconnectOther;
import io.securecomm.internal.relay.RelayAction.Ending;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelayAction.ListenerEvent;
import io.securecomm.internal.relay.RelayAction.Report;
import io.securecomm.internal.relay.RelayAction.Send;
import io.securecomm.internal.relay.RelayAction.SendLast;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Message;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one {@link RelaySession} says and does, in order, and how it ends: the queue of {@link RelayAction}s its
 * adapter carries out, the numbering of its forwards, and the end of the connection (the last message, its grace,
 * the close). Every collaborator of the session writes here; nothing here decides what to say.
 *
 * <p>Threads: confined to the session's connection thread, except {@link #endReason()}, which the sessions that
 * forward to this one read.
 *
 * @param <C> the adapter's handle of a connection
 */
final class SessionOutput<C> {
    /** The detail of every answer that the relay is shutting down. */
    static final String SHUTTING_DOWN = "the relay is shutting down";

    private final Clock clock;
    private final ArrayDeque<RelayAction<C>> actions = new ArrayDeque<>();
    private long lastDeliveryId;
    private boolean closing;
    private boolean closed;
    private Instant graceDeadline;
    /** Why the relay ended this session, for the senders whose messages to it then fail; null while it runs. */
    private volatile ByeReason endReason;

    SessionOutput(Clock clock) {
        this.clock = clock;
    }

    /** The next action, or {@code null} if there is none. */
    RelayAction<C> poll() {
        return actions.poll();
    }

    /** A message for this session's client, unless its connection has closed. */
    void send(Message message) {
        if (!closed) {
            actions.add(new Send<>(message));
        }
    }

    /** An event for the operator's listener. */
    void report(ListenerEvent event) {
        actions.add(new Report<>(event));
    }

    /** One message for each of {@code recipients}, with no delivery outcome to wait for. */
    void announce(List<RelaySession<C>> recipients, Message message) {
        actions.add(new Announce<>(recipients, message));
    }

    /**
     * One message for another session, whose outcome the adapter reports back.
     *
     * @return the forward's delivery id, unique in this session (several forwards of one message may share it)
     */
    long forward(RelaySession<C> recipient, Message message) {
        return forward(recipient, message, null);
    }

    /** Forwards a message to another session, carrying the sender's record of the delivery; returns its id. */
    long forward(RelaySession<C> recipient, Message message, Delivery delivery) {
        long id = ++lastDeliveryId;
        actions.add(new Forward<>(recipient, message, id, delivery));
        return id;
    }

    /**
     * A message from a client on another node for this session's client, whose write's outcome goes to
     * {@code outcome}, written through the client's fair queue as {@code sender}'s; nothing if the connection is closed
     * (the outcome is then {@code CONNECTION_CLOSED} at once).
     */
    void sendRouted(Message message, RemoteSender sender, Consumer<DeliveryOutcome> outcome) {
        if (closed) {
            outcome.accept(DeliveryOutcome.CONNECTION_CLOSED);
        } else {
            actions.add(new RelayAction.SendRouted<>(message, sender, outcome));
        }
    }

    /** Forwards one message to several sessions under one delivery id and record of the delivery; returns the id. */
    long forward(List<RelaySession<C>> recipients, Message message, Delivery delivery) {
        long id = ++lastDeliveryId;
        for (RelaySession<C> recipient : recipients) {
            actions.add(new Forward<>(recipient, message, id, delivery));
        }
        return id;
    }

    /**
     * Ends a recipient whose queue is full: writing would make the relay buffer without bound for it. Its own limit
     * handler usually got there first; this covers a sender that saw the full queue before.
     */
    void disconnectTooSlow(RelaySession<C> recipient) {
        actions.add(new DisconnectOther<>(recipient, new Disconnect(ByeReason.TOO_SLOW,
                "you read too slowly to keep up with the relay's traffic; your unread messages exceeded"
                        + " the relay's limit")));
    }

    // ---------------------------------------------------------------- ending

    /** Answers with an error, then closes the connection. */
    void refuse(ErrorCode code, String detail) {
        sendLast(new ErrorReply(0, code, clip(detail)), Ending.CLOSE);
    }

    /**
     * Says goodbye, then half-closes the connection and leaves the client to close it ({@link Ending#HALF_CLOSE}):
     * a client that is still sending (a room key for a member who just joined, say) would otherwise get a reset that
     * can discard the goodbye before it reads it.
     */
    void closeWith(Bye bye) {
        if (endReason == null) {
            endReason = bye.reason();
        }
        sendLast(bye, Ending.HALF_CLOSE);
    }

    /**
     * Sends a last message and ends the connection, at the latest after {@link RelaySession#LAST_MESSAGE_GRACE},
     * since a peer that has stopped reading never drains it. From here on the client is not listened to.
     */
    void sendLast(Message last, Ending then) {
        closing = true;
        actions.add(new SendLast<>(last, then));
        graceDeadline = clock.instant().plus(RelaySession.LAST_MESSAGE_GRACE);
    }

    /** Closes the connection now. */
    void close() {
        closing = true;
        actions.add(new Close<>());
    }

    /** A limit ends the session: senders to it are told why their messages failed. */
    void endFor(ByeReason reason) {
        endReason = reason;
    }

    /** The connection has closed: nothing more goes to the client, and no deadline of its ending is left. */
    void transportClosed() {
        closed = true;
        closing = true;
        graceDeadline = null;
    }

    /** The session is ending (or ended): the client is no longer listened to. */
    boolean closing() {
        return closing;
    }

    /** The connection has closed. */
    boolean closed() {
        return closed;
    }

    /** Why the relay ended this session, or {@code null} while it runs. Safe from any thread. */
    ByeReason endReason() {
        return endReason;
    }

    /** When the last message's grace ends, or {@code null}. */
    Instant graceDeadline() {
        return graceDeadline;
    }

    /** Gives up a last message whose grace has ended at {@code now}: the connection closes. */
    void handleTimeout(Instant now) {
        if (graceDeadline != null && !now.isBefore(graceDeadline)) {
            graceDeadline = null;
            close();
        }
    }

    /** The sessions of {@code members}, in order. */
    static <C> List<RelaySession<C>> sessions(List<Member<RelaySession<C>>> members) {
        List<RelaySession<C>> out = new ArrayList<>(members.size());
        for (Member<RelaySession<C>> m : members) {
            out.add(m.session());
        }
        return out;
    }

    /** Shortens a detail to the wire's cap, at a character boundary. */
    static String clip(String detail) {
        String s = detail == null ? "" : detail;
        while (s.getBytes(StandardCharsets.UTF_8).length > Limits.INFO_FIELD_MAX_BYTES) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
