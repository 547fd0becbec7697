package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.EnvelopeForwarded;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One session's messages to clients online, by id or to the room, with the delivery guarantee (docs/PROTOCOL.md,
 * "Delivery guarantee"): each accepted message is a {@link Delivery} in flight until every recipient's outcome is
 * in, and then its sender is answered. It also gives the session's {@link ProtocolExtension} its routes.
 *
 * <p>Not thread-safe: confined to the sending session's connection thread.
 *
 * @param <C> the adapter's handle of a connection
 */
final class Forwarding<C> {
    private final RelayState<C> relay;
    private final RelaySession<C> session;
    private final SessionOutput<C> out;
    private final Executor thread;
    /**
     * The deliveries accepted and not yet answered. Each {@link Forward} carries its {@link Delivery} and brings it
     * back with its outcome, and a route's callback holds its own, so no map of them is kept: a map that lives as long
     * as the connection would take a store into an old object per message, which G1 pays for (issue 18).
     */
    private int inFlight;

    Forwarding(RelayState<C> relay, RelaySession<C> session, SessionOutput<C> out, Executor thread) {
        this.relay = relay;
        this.session = session;
        this.out = out;
        this.thread = thread;
    }

    /** Counts a delivery as in flight until it is answered ({@link #answer}). */
    private Delivery accepted(Delivery delivery) {
        inFlight++;
        return delivery;
    }

    /** Every outcome of a delivery is in: its sender is answered, and it is no longer in flight. */
    private void answer(Delivery delivery) {
        inFlight--;
        out.send(delivery.reply());
    }

    /** No message of this session's to clients online is waiting for an outcome. */
    boolean idle() {
        return inFlight == 0;
    }

    /**
     * An end-to-end envelope to one client; a session-starting one only within its recipient's allowance
     * ({@link SessionStarts}).
     */
    void envelope(SendEnvelope send) {
        int senderId = session.member().clientId();
        byte[] ciphertext = send.ciphertext();
        if (SessionStarts.startsSession(ciphertext) && relay.registry().byId(send.recipientId()).isPresent()
                && !relay.sessionStarts().admit(senderId, send.recipientId())) {
            out.send(new ErrorReply(send.requestId(), ErrorCode.RATE_LIMITED,
                    SessionOutput.clip(SessionStarts.refusal(send.recipientId()))));
            return;
        }
        out.report(new EnvelopeForwarded(senderId, false, ciphertext.length));
        toOne(send.requestId(), send.recipientId(), new Envelope(senderId, ciphertext));
    }

    /** One room ciphertext for the members the sender knows of (so holds a key for). */
    void roomEnvelope(SendRoomEnvelope send) {
        int senderId = session.member().clientId();
        byte[] ciphertext = send.ciphertext();
        out.report(new EnvelopeForwarded(senderId, true, ciphertext.length));
        Map<String, List<Integer>> elsewhere = new HashMap<>();
        List<RelaySession<C>> here = listed(send.recipientIds(), elsewhere);
        List<RelaySession<C>> admitted = withinShares(here, ciphertext.length);
        int refused = here.size() - admitted.size();
        toMany(send.requestId(), new RoomEnvelope(senderId, ciphertext), admitted, elsewhere, refused);
    }

    /**
     * The recipients whose room deliveries this sender's group may still take a share of (each recipient's
     * {@link io.securecomm.internal.limits.RecipientShares}); the others are refused this envelope, as recipients that
     * are too slow for this sender, and the sender's work allowance has paid for them all the same.
     */
    private List<RelaySession<C>> withinShares(List<RelaySession<C>> listed, int bytes) {
        long cost = CostModel.deliveryMicros(bytes);
        long nowNanos = nanos(relay.clock().instant());
        Object group = session.senderGroup();
        List<RelaySession<C>> admitted = new ArrayList<>(listed.size());
        for (RelaySession<C> recipient : listed) {
            if (recipient.roomShares().admit(group, cost, nowNanos)) {
                admitted.add(recipient);
            }
        }
        return admitted;
    }

    /** An instant on the nanosecond scale of the shares' buckets (good until the year 2262). */
    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * The members a room envelope is for: those of the listed ids that are in the room now, never the sender (and no
     * one, if the sender is outside the room). An id that is not online is a member that left while the message was
     * on its way: as for a public message, it simply is no longer there to count.
     */
    private List<RelaySession<C>> listed(int[] recipientIds, Map<String, List<Integer>> elsewhere) {
        int senderId = session.member().clientId();
        List<RelaySession<C>> recipients = new ArrayList<>(recipientIds.length);
        if (!relay.room().contains(senderId)) {
            return recipients; // a client outside the room has no room to write to
        }
        for (int id : recipientIds) {
            if (id == senderId) {
                continue;
            }
            Optional<Member<RelaySession<C>>> here = relay.room().byId(id);
            if (here.isPresent()) {
                recipients.add(here.get().session());
            } else {
                // A member on another node, by that node: grouped, so each node gets the message once.
                relay.cluster().findById(id).filter(ClientPresence::inRoom).ifPresent(p ->
                        elsewhere.computeIfAbsent(p.nodeId(), n -> new ArrayList<>()).add(id));
            }
        }
        return recipients;
    }

    /** A message to the one client {@code recipientId}, if it is online. */
    void toOne(long requestId, int recipientId, Message message) {
        Optional<Member<RelaySession<C>>> recipient = relay.registry().byId(recipientId);
        if (recipient.isEmpty()) {
            Optional<ClientPresence> elsewhere = relay.cluster().findById(recipientId);
            if (elsewhere.isPresent()) {
                Delivery delivery = accepted(Delivery.toOne(requestId, recipientId, relay.clock().instant()));
                route(delivery, elsewhere.get().nodeId(), List.of(recipientId), message);
                return;
            }
            out.send(new ErrorReply(requestId, ErrorCode.UNKNOWN_RECIPIENT, "no client with id " + recipientId
                    + " is online"));
            return;
        }
        Delivery delivery = accepted(Delivery.toOne(requestId, recipientId, relay.clock().instant()));
        out.forward(recipient.get().session(), message, delivery);
    }

    /** A message to several clients of this node; to none, it is delivered at once. */
    void toMany(long requestId, Message message, List<RelaySession<C>> recipients) {
        toMany(requestId, message, recipients, Map.of(), 0);
    }

    /**
     * A message to several clients, of this node and, by node, of others; to none, it is delivered at once. Every
     * recipient's outcome counts in one {@link Delivery}, whichever node it is on. {@code refused} more recipients of
     * this node were refused before the message was written to any (the sender's share of their room deliveries was
     * spent); they count as not delivered.
     */
    private void toMany(long requestId, Message message, List<RelaySession<C>> recipients,
            Map<String, List<Integer>> elsewhere, int refused) {
        int remote = 0;
        for (List<Integer> ids : elsewhere.values()) {
            remote += ids.size();
        }
        if (recipients.isEmpty() && remote == 0) {
            out.send(refused == 0 ? new Delivered(requestId)
                    : Delivery.toMany(requestId, 0, refused, relay.clock().instant()).reply());
            return;
        }
        Delivery delivery = accepted(Delivery.toMany(requestId, recipients.size() + remote, refused,
                relay.clock().instant()));
        if (!recipients.isEmpty()) {
            out.forward(recipients, message, delivery);
        }
        elsewhere.forEach((node, ids) -> route(delivery, node, ids, message));
    }

    /** Routes one delivery's message to its recipients on another node; their outcomes come back on this thread. */
    private void route(Delivery delivery, String node, List<Integer> recipientIds, Message message) {
        int[] ids = recipientIds.stream().mapToInt(Integer::intValue).toArray();
        RoutedMessage routed = new RoutedMessage(relay.cluster().nodeId(), session.member().clientId(), ids, "", 0,
                MessageCodec.encode(message));
        ClusterCalls.route(relay, node, routed).thenAccept(outcomes ->
                thread.execute(() -> routed(delivery, message, outcomes)));
    }

    /** The outcomes of a routed message's recipients on another node, counted as a local forward's are. */
    private void routed(Delivery delivery, Message message, List<RouteOutcome> outcomes) {
        if (delivery.answered()) {
            return; // cannot happen: a node answers each routed message once
        }
        for (RouteOutcome outcome : outcomes) {
            ErrorCode failure = switch (outcome) {
                case DELIVERED -> null;
                case RECIPIENT_TOO_SLOW -> ErrorCode.RECIPIENT_TOO_SLOW;
                case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
                case NOT_DELIVERED -> ErrorCode.INTERNAL_ERROR;
                case RECIPIENT_GONE, NOT_LIVE -> ErrorCode.RECIPIENT_GONE;
            };
            relay.meter().messageForwarded(kindOf(message), resultOf(outcome),
                    Duration.between(delivery.acceptedAt(), relay.clock().instant()));
            if (delivery.record(failure, outcome == RouteOutcome.DELIVERED ? DeliveryOutcome.DELIVERED
                    : DeliveryOutcome.CONNECTION_CLOSED)) {
                answer(delivery);
            }
        }
        session.byeIfDone();
    }

    /** A routed message's outcome, as the operator's meter counts it. */
    static RelayMeter.DeliveryResult resultOf(RouteOutcome outcome) {
        return switch (outcome) {
            case DELIVERED -> RelayMeter.DeliveryResult.DELIVERED;
            case RECIPIENT_TOO_SLOW -> RelayMeter.DeliveryResult.RECIPIENT_TOO_SLOW;
            case NOT_DELIVERED -> RelayMeter.DeliveryResult.NOT_DELIVERED;
            case RECIPIENT_GONE, NOT_LIVE, SHUTTING_DOWN -> RelayMeter.DeliveryResult.RECIPIENT_GONE;
        };
    }

    /**
     * Counts one recipient's outcome and, once the last is in, answers the sender.
     *
     * @throws IllegalArgumentException if the forward carries no delivery in flight (none, or one already answered)
     */
    void outcome(Forward<C> forward, DeliveryOutcome outcome) {
        Delivery delivery = forward.delivery();
        if (delivery == null || delivery.answered()) {
            throw new IllegalArgumentException("delivery " + forward.deliveryId() + " is not in flight here");
        }
        ErrorCode failure = switch (outcome) {
            case DELIVERED -> null;
            case QUEUE_FULL -> {
                out.disconnectTooSlow(forward.recipient());
                yield ErrorCode.RECIPIENT_TOO_SLOW;
            }
            // The recipient reads, but this sender's share of its queue is full: refused, the recipient stays.
            case NO_ROOM_FOR_SENDER -> ErrorCode.RECIPIENT_TOO_SLOW;
            case CONNECTION_CLOSED -> failureOf(forward.recipient());
        };
        relay.meter().messageForwarded(kindOf(forward.message()), resultOf(outcome),
                Duration.between(delivery.acceptedAt(), relay.clock().instant()));
        if (delivery.record(failure, outcome)) {
            answer(delivery);
        }
    }

    /** A delivery outcome, as the operator's meter counts it. */
    static RelayMeter.DeliveryResult resultOf(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DELIVERED -> RelayMeter.DeliveryResult.DELIVERED;
            case QUEUE_FULL, NO_ROOM_FOR_SENDER -> RelayMeter.DeliveryResult.RECIPIENT_TOO_SLOW;
            case CONNECTION_CLOSED -> RelayMeter.DeliveryResult.RECIPIENT_GONE;
        };
    }

    /** What a forwarded message is, for the operator's meter: never who it is from or for. */
    private static RelayMeter.MessageKind kindOf(Message forwarded) {
        if (forwarded instanceof Envelope) {
            return RelayMeter.MessageKind.PAIRWISE;
        }
        if (forwarded instanceof RoomEnvelope) {
            return RelayMeter.MessageKind.ROOM;
        }
        return RelayMeter.MessageKind.INSECURE_PLAINTEXT;
    }

    /** Why a write to a recipient failed, as the sender is told. */
    private ErrorCode failureOf(RelaySession<C> recipient) {
        ByeReason reason = recipient.endReason();
        if (reason == ByeReason.TOO_SLOW) {
            return ErrorCode.RECIPIENT_TOO_SLOW;
        }
        if (relay.isShuttingDown() || reason == ByeReason.SERVER_SHUTDOWN) {
            return ErrorCode.SHUTTING_DOWN;
        }
        return ErrorCode.RECIPIENT_GONE;
    }

    /** What the session's extension may do: the client's identity, replies, and forwarding. */
    ProtocolExtension.Routes routes() {
        return new ProtocolExtension.Routes() {
            @Override
            public int clientId() {
                return session.member().clientId();
            }

            @Override
            public String nickname() {
                return session.member().nickname();
            }

            @Override
            public void reply(Message message) {
                out.send(message);
            }

            @Override
            public void forwardToOne(long requestId, int recipientId, Message message) {
                toOne(requestId, recipientId, message);
            }

            @Override
            public void forwardToOthers(long requestId, Message message) {
                int senderId = session.member().clientId();
                toMany(requestId, message, SessionOutput.sessions(relay.room().contains(senderId)
                        ? relay.room().othersThan(senderId) : List.of()));
            }
        };
    }
}
