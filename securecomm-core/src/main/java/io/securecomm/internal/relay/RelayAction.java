package io.securecomm.internal.relay;

import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayListener;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.Message;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link RelaySession} asks its adapter to do, one at a time from {@link RelaySession#poll()}, in order.
 * Messages to this session's own client, the end of its connection, messages to other connections, and reports
 * for the operator's listener.
 *
 * @param <C> the adapter's handle of a connection
 */
public sealed interface RelayAction<C> {

    /**
     * Writes a message to this connection's client.
     *
     * @param message the message
     * @param <C> the adapter's handle of a connection
     */
    record Send<C>(Message message) implements RelayAction<C> {
        /**
         * Checks the message.
         *
         * @param message the message
         */
        public Send {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Writes a last message to this connection's client (a goodbye, a refusal), then ends the connection as
     * {@code then} says once the write completed; if the write fails, or the transport cannot half-close, it
     * closes. The session is no longer listening to the client; it sends {@link Close} itself once its grace
     * for the last message has passed.
     *
     * @param message the last message
     * @param then how the connection ends after it
     * @param <C> the adapter's handle of a connection
     */
    record SendLast<C>(Message message, Ending then) implements RelayAction<C> {
        /**
         * Checks the components.
         *
         * @param message the last message
         * @param then how the connection ends after it
         */
        public SendLast {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(then, "then");
        }
    }

    /**
     * Closes this connection now; the adapter then reports {@link RelaySession#handleTransportClosed()}.
     *
     * @param <C> the adapter's handle of a connection
     */
    record Close<C>() implements RelayAction<C> {}

    /**
     * Writes a message to another connection's client, and reports what became of it to this session with
     * {@link RelaySession#handleDeliveryOutcome}, on this session's thread. A recipient whose outbound queue is
     * past its limit is not written to ({@link DeliveryOutcome#QUEUE_FULL}). The message of one sender reaches
     * one recipient in the order of the forwards.
     *
     * @param <C> the adapter's handle of a connection
     */
    final class Forward<C> implements RelayAction<C> {
        private final RelaySession<C> recipient;
        private final Message message;
        private final long deliveryId;
        /**
         * The sender's record of the delivery, carried with each write and back with its outcome, so that the
         * sender's session keeps no map of its deliveries in flight: a map that lives as long as the connection
         * costs a store into an old object per message, which G1 pays for at 1,000 clients (issue 18). {@code null}
         * for a delivery its session tracks by id.
         */
        private final Delivery delivery;

        /**
         * A write of a message to a recipient.
         *
         * @param recipient the recipient's session
         * @param message the message for it
         * @param deliveryId the delivery
         */
        public Forward(RelaySession<C> recipient, Message message, long deliveryId) {
            this(recipient, message, deliveryId, null);
        }

        Forward(RelaySession<C> recipient, Message message, long deliveryId, Delivery delivery) {
            this.recipient = Objects.requireNonNull(recipient, "recipient");
            this.message = Objects.requireNonNull(message, "message");
            this.deliveryId = deliveryId;
            this.delivery = delivery;
        }

        /**
         * The recipient.
         *
         * @return the recipient's session
         */
        public RelaySession<C> recipient() {
            return recipient;
        }

        /**
         * The message.
         *
         * @return the message for the recipient
         */
        public Message message() {
            return message;
        }

        /**
         * The delivery the write belongs to.
         *
         * @return which of this session's deliveries it is
         */
        public long deliveryId() {
            return deliveryId;
        }

        Delivery delivery() {
            return delivery;
        }

        /**
         * Describes the write.
         *
         * @return the recipient, the message's type and the delivery id
         */
        @Override
        public String toString() {
            return "Forward[recipient=" + recipient + ", message=" + message.getClass().getSimpleName()
                    + ", deliveryId=" + deliveryId + "]";
        }
    }

    /**
     * Writes a message from a client on another node to this connection's client (docs/CLUSTER.md), and tells
     * {@code outcome} what became of the write, once, on whatever thread completes it: {@link
     * DeliveryOutcome#DELIVERED}, {@link DeliveryOutcome#QUEUE_FULL} (not written: the client reads too slowly),
     * {@link DeliveryOutcome#NO_ROOM_FOR_SENDER} (not written: this sender's share of the client's fair queue is full)
     * or {@link DeliveryOutcome#CONNECTION_CLOSED}. The adapter writes it through the connection's fair queue, as a
     * forward from a connection of this node, with {@code sender} as its sender there. Messages routed from one
     * sender keep their order, as {@link Send}s do.
     *
     * @param message the message
     * @param sender who sent it, as the recipient's fair queue counts its senders
     * @param outcome told what became of the write
     * @param <C> the adapter's handle of a connection
     */
    record SendRouted<C>(Message message, RemoteSender sender, Consumer<DeliveryOutcome> outcome)
            implements RelayAction<C> {
        /**
         * Checks the components.
         *
         * @param message the message
         * @param sender who sent it
         * @param outcome told what became of the write
         */
        public SendRouted {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * Writes a notice to other connections' clients (a join, a departure, a pre-key count), with no report.
     *
     * @param recipients the recipients' sessions
     * @param message the notice
     * @param <C> the adapter's handle of a connection
     */
    record Announce<C>(List<RelaySession<C>> recipients, Message message) implements RelayAction<C> {
        /**
         * Copies the list.
         *
         * @param recipients the recipients' sessions
         * @param message the notice
         */
        public Announce {
            recipients = List.copyOf(recipients);
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Ends another connection's session for a limit: the adapter hands {@code disconnect} to that session's
     * {@link RelaySession#handlePolicyDisconnect} on its own thread.
     *
     * @param session the session to end
     * @param disconnect why
     * @param <C> the adapter's handle of a connection
     */
    record DisconnectOther<C>(RelaySession<C> session, Disconnect disconnect) implements RelayAction<C> {
        /**
         * Checks the components.
         *
         * @param session the session to end
         * @param disconnect why
         */
        public DisconnectOther {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(disconnect, "disconnect");
        }
    }

    /**
     * Tells the operator's listener what happened ({@link RelayState#listener()}); an exception the listener
     * throws is ignored, as {@link RelayListener} documents.
     *
     * @param event what to tell
     * @param <C> the adapter's handle of a connection
     */
    record Report<C>(ListenerEvent event) implements RelayAction<C> {
        /**
         * Checks the event.
         *
         * @param event what to tell
         */
        public Report {
            Objects.requireNonNull(event, "event");
        }
    }

    /** How a connection ends after its last message. */
    enum Ending {
        /** Close the connection. */
        CLOSE,
        /**
         * Shut down only the output, and let the client close: closing while the client still sends (a flooder
         * always does) would make the kernel answer with a reset, which can discard the last message unread.
         */
        HALF_CLOSE
    }

    /** One call of the operator's {@link RelayListener}. */
    sealed interface ListenerEvent {
        /**
         * Makes the call.
         *
         * @param listener the listener
         */
        void tell(RelayListener listener);
    }

    /**
     * A client was admitted.
     *
     * @param client its id, nickname and identity key
     */
    record ClientJoined(ClientInfo client) implements ListenerEvent {
        @Override
        public void tell(RelayListener listener) {
            listener.onClientJoined(client.clientId(), client.nickname(), client.identityKey());
        }
    }

    /**
     * An admitted client left.
     *
     * @param clientId its id
     * @param nickname its nickname
     * @param reason why
     */
    record ClientLeft(int clientId, String nickname, DepartureReason reason) implements ListenerEvent {
        @Override
        public void tell(RelayListener listener) {
            listener.onClientLeft(clientId, nickname, reason);
        }
    }

    /**
     * An end-to-end envelope was accepted for forwarding.
     *
     * @param senderId the sender's id
     * @param toRoom whether it is a room envelope
     * @param ciphertextBytes the size of its ciphertext
     */
    record EnvelopeForwarded(int senderId, boolean toRoom, int ciphertextBytes) implements ListenerEvent {
        @Override
        public void tell(RelayListener listener) {
            listener.onEnvelopeForwarded(senderId, toRoom, ciphertextBytes);
        }
    }
}
