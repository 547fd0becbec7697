package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.EnvelopeForwarded;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.StoreException;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.DeliveryState;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.SendToAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One session's messages to accounts ({@link SendToAccount}, docs/PROTOCOL.md 6.5): live when the recipient is online,
 * has been sent everything stored for it, and has been sent every message of this connection's that the store took
 * for it, so that one sender's messages reach it in the order sent, stored or not; to the store otherwise, and when a
 * live write fails. The sender hears {@code DeliveryReport(DELIVERED)} or {@code DeliveryReport(STORED)}, or why not.
 *
 * <p>Threads: confined to the sending session's connection thread; every store answer comes back through its
 * executor.
 *
 * @param <C> the adapter's handle of a connection
 */
final class AccountSends<C> {
    /** A message to an account that went live; if the write fails, it is stored instead. */
    private record Live(long requestId, String recipient, byte[] ciphertext, Instant acceptedAt) {}

    /** A message to an account that waits for an earlier one of this connection's on its way to another node. */
    private record Waiting(long requestId, String recipient, byte[] ciphertext) {}

    private final RelayState<C> relay;
    private final RelaySession<C> session;
    private final SessionOutput<C> out;
    private final Executor thread;
    private final Map<Long, Live> live = new HashMap<>();
    /** Per recipient account, how many of this client's messages the store is storing now. */
    private final Map<String, Integer> storing = new HashMap<>();
    /** Per recipient account, the highest id the store gave a message of this connection's. */
    private final Map<String, Long> lastStoredTo = new HashMap<>();
    private int storesInFlight;
    /**
     * Per recipient account whose client is on another node, the messages behind the one routed there now: one at a
     * time, so a refused one is stored before the next is decided and a live message never overtakes a stored one.
     */
    private final Map<String, ArrayDeque<Waiting>> routing = new HashMap<>();

    AccountSends(RelayState<C> relay, RelaySession<C> session, SessionOutput<C> out, Executor thread) {
        this.relay = relay;
        this.session = session;
        this.out = out;
        this.thread = thread;
    }

    /** No message of this session's to an account is being written or stored. */
    boolean idle() {
        return live.isEmpty() && storesInFlight == 0 && routing.isEmpty();
    }

    /** Sends one message to an account, live or to the store. */
    void send(SendToAccount send) {
        Member<RelaySession<C>> sender = session.member();
        String recipient = Nickname.canonical(send.recipient());
        if (Nicknames.problem(send.recipient()) != null) {
            out.send(new ErrorReply(send.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    SessionOutput.clip("no account is registered as '" + send.recipient() + "'")));
            return;
        }
        if (recipient.equals(Nickname.canonical(sender.nickname()))) {
            out.send(new ErrorReply(send.requestId(), ErrorCode.UNKNOWN_RECIPIENT, "a client cannot send to itself"));
            return;
        }
        byte[] ciphertext = send.ciphertext();
        Optional<Member<RelaySession<C>>> online = relay.registry().byNickname(recipient);
        if (online.isPresent() && SessionStarts.startsSession(ciphertext)
                && !relay.sessionStarts().admit(sender.clientId(), online.get().clientId())) {
            out.send(new ErrorReply(send.requestId(), ErrorCode.RATE_LIMITED,
                    SessionOutput.clip(SessionStarts.refusal(online.get().clientId()))));
            return;
        }
        out.report(new EnvelopeForwarded(sender.clientId(), false, ciphertext.length));
        ArrayDeque<Waiting> queue = routing.get(recipient);
        if (queue != null) {
            queue.add(new Waiting(send.requestId(), recipient, ciphertext)); // behind the one on its way
        } else {
            decide(send.requestId(), recipient, ciphertext, online);
        }
    }

    /** Sends one message live (to this node's client, or to another node's) or to the store. */
    private void decide(long requestId, String recipient, byte[] ciphertext,
            Optional<Member<RelaySession<C>>> online) {
        int senderId = session.member().clientId();
        if (online.isPresent()) {
            if (goesLive(recipient, online.get().session())) {
                long id = out.forward(online.get().session(), new Envelope(senderId, ciphertext));
                live.put(id, new Live(requestId, recipient, ciphertext, relay.clock().instant()));
            } else {
                store(requestId, recipient, ciphertext);
            }
            return;
        }
        Optional<ClientPresence> elsewhere = relay.cluster().findByNickname(recipient);
        if (elsewhere.isPresent() && storing.getOrDefault(recipient, 0) == 0) {
            // The recipient's node decides whether it goes live (it knows what was sent to its client); it must
            // have sent its client at least as far as this connection's last stored message for it.
            routing.put(recipient, new ArrayDeque<>());
            RoutedMessage routed = new RoutedMessage(relay.cluster().nodeId(), senderId,
                    new int[] {elsewhere.get().clientId()}, recipient, lastStoredTo.getOrDefault(recipient, 0L),
                    MessageCodec.encode(new Envelope(senderId, ciphertext)));
            Instant acceptedAt = relay.clock().instant();
            ClusterCalls.route(relay, elsewhere.get().nodeId(), routed).thenAccept(outcomes -> thread.execute(() ->
                    routed(new Live(requestId, recipient, ciphertext, acceptedAt), outcomes.get(0))));
        } else {
            store(requestId, recipient, ciphertext);
        }
    }

    /**
     * What became of a message routed to another node: delivered, or stored; then the messages that waited behind
     * it are decided, in order.
     */
    private void routed(Live sent, RouteOutcome outcome) {
        relay.meter().messageForwarded(RelayMeter.MessageKind.PAIRWISE, Forwarding.resultOf(outcome),
                Duration.between(sent.acceptedAt(), relay.clock().instant()));
        if (outcome == RouteOutcome.DELIVERED) {
            out.send(new DeliveryReport(sent.requestId(), DeliveryState.DELIVERED));
        } else {
            // Not live there (a stored message goes first), gone, too slow, or not carried: it waits in the store.
            store(sent.requestId(), sent.recipient(), sent.ciphertext());
        }
        ArrayDeque<Waiting> queue = routing.remove(sent.recipient());
        while (queue != null && !queue.isEmpty() && !routing.containsKey(sent.recipient())) {
            Waiting next = queue.poll();
            decide(next.requestId(), next.recipient(), next.ciphertext(),
                    relay.registry().byNickname(next.recipient()));
            ArrayDeque<Waiting> behind = routing.get(sent.recipient());
            if (behind != null) {
                behind.addAll(queue); // the next one is on its way to a node now: the rest wait behind it
                queue = null;
            }
        }
        session.byeIfDone();
    }

    private boolean goesLive(String recipient, RelaySession<C> to) {
        return to.welcomed() && to.storedInbox().caughtUp() && storing.getOrDefault(recipient, 0) == 0
                && to.storedInbox().lastSent() >= lastStoredTo.getOrDefault(recipient, 0L);
    }

    /**
     * What became of a live write, if {@code forward} was one of this session's messages to an account: delivered,
     * or stored instead.
     *
     * @return {@code false} if the forward is not a message to an account
     */
    boolean outcome(Forward<C> forward, DeliveryOutcome outcome) {
        Live sent = live.remove(forward.deliveryId());
        if (sent == null) {
            return false;
        }
        relay.meter().messageForwarded(RelayMeter.MessageKind.PAIRWISE, Forwarding.resultOf(outcome),
                Duration.between(sent.acceptedAt(), relay.clock().instant()));
        if (outcome == DeliveryOutcome.DELIVERED) {
            out.send(new DeliveryReport(sent.requestId(), DeliveryState.DELIVERED));
        } else {
            if (outcome == DeliveryOutcome.QUEUE_FULL) {
                out.disconnectTooSlow(forward.recipient());
            }
            // The recipient left (or is being disconnected), or had no room for this sender (its fair queue): the
            // message waits for it in the store instead.
            store(sent.requestId(), sent.recipient(), sent.ciphertext());
        }
        return true;
    }

    private void store(long requestId, String recipient, byte[] ciphertext) {
        storing.merge(recipient, 1, Integer::sum);
        storesInFlight++;
        relay.store().messages().enqueue(recipient, session.member().nickname(),
                StoredRecords.message(session.identityKey(), ciphertext))
                .whenComplete((result, error) -> thread.execute(() -> stored(requestId, recipient, result, error)));
    }

    private void stored(long requestId, String recipient, EnqueueResult result, Throwable error) {
        storing.computeIfPresent(recipient, (r, n) -> n == 1 ? null : n - 1);
        storesInFlight--;
        if (error != null) {
            out.send(new ErrorReply(requestId, ErrorCode.NOT_STORED, SessionOutput.clip(recipient + " is offline and"
                    + " the relay could not store the message (" + StoreException.of(error)
                    .map(e -> e.reason().toString()).orElse("failure") + "); nothing was stored, try again later")));
        } else if (result instanceof EnqueueResult.Stored stored) {
            lastStoredTo.merge(recipient, stored.messageId(), Math::max);
            out.send(new DeliveryReport(requestId, DeliveryState.STORED));
            Optional<Member<RelaySession<C>>> here = relay.registry().byNickname(recipient);
            if (here.isPresent()) {
                here.get().session().storedInbox().arrived();
            } else {
                relay.cluster().findByNickname(recipient).ifPresent(p ->
                        relay.cluster().notifyStored(p.nodeId(), recipient));
            }
        } else {
            EnqueueResult.Refused refused = (EnqueueResult.Refused) result;
            out.send(new ErrorReply(requestId, refused.reason() == EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT
                    ? ErrorCode.UNKNOWN_RECIPIENT : ErrorCode.QUEUE_FULL,
                    SessionOutput.clip(refused.describe(recipient))));
        }
        session.byeIfDone();
    }
}
