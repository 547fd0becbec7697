package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.ClientJoined;
import io.securecomm.internal.relay.RelayAction.ClientLeft;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.JoinResult;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.Joined;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.Welcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One session's client among those online: admitted to the {@link ClientRegistry} (and, if there is room, the
 * {@link PublicRoom}) with its {@link Welcome}, its join announced to the room; removed when it leaves, its departure
 * reported to the operator's listener and announced to the room.
 *
 * <p>Threads: confined to the session's connection thread, except {@link #member()}, which is written once.
 *
 * @param <C> the adapter's handle of a connection
 */
final class Membership<C> {
    private final RelayState<C> relay;
    private final RelaySession<C> session;
    private final SessionOutput<C> out;
    private final Executor thread;
    private Member<RelaySession<C>> member;
    private boolean welcomed;

    Membership(RelayState<C> relay, RelaySession<C> session, SessionOutput<C> out, Executor thread) {
        this.relay = relay;
        this.session = session;
        this.out = out;
        this.thread = thread;
    }

    /** The admitted client, or {@code null} before its admission (and after a departure never announced). */
    Member<RelaySession<C>> member() {
        return member;
    }

    /** The client has been welcomed. */
    boolean welcomed() {
        return welcomed;
    }

    /**
     * Admits the client under {@code nickname}: reserves its nickname and a place in the room (if there is one) on
     * this node, then puts it online across the cluster ({@link RelayCluster#join}); once the cluster answers,
     * welcomes it and announces it to the room, or refuses it (the connection then ends). On a relay of its own the
     * cluster answers at once, and all of it happens now.
     *
     * @param then told, on the session's thread, whether the client was admitted
     */
    void admit(String nickname, byte[] identityKey, Consumer<Boolean> then) {
        Admission<RelaySession<C>> admission = relay.registry().admit(nickname, identityKey, session);
        if (admission instanceof Admission.Refused<RelaySession<C>> refused) {
            relay.meter().clientRefused(switch (refused.reason()) {
                case INVALID_NICKNAME -> RelayMeter.AdmissionRefusal.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> RelayMeter.AdmissionRefusal.NICKNAME_TAKEN;
                case RELAY_FULL -> RelayMeter.AdmissionRefusal.RELAY_FULL;
                case UNAVAILABLE -> RelayMeter.AdmissionRefusal.CLUSTER_UNAVAILABLE;
            });
            out.refuse(switch (refused.reason()) {
                case INVALID_NICKNAME -> ErrorCode.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> ErrorCode.NICKNAME_TAKEN;
                case RELAY_FULL -> ErrorCode.SERVER_FULL;
                case UNAVAILABLE -> ErrorCode.INTERNAL_ERROR;
            }, refused.detail());
            then.accept(false);
            return;
        }
        member = ((Admission.Admitted<RelaySession<C>>) admission).member();
        // The place in the room is taken here first: the node's own room is part of the cluster's.
        boolean place = relay.room().enter(member);
        ClientPresence presence = presence(place);
        CompletableFuture<ClusterCalls.Answer<JoinResult>> joined = ClusterCalls.join(relay, presence);
        if (joined.isDone()) {
            joined(presence, joined.join(), then); // a relay of its own: no hop, nothing changes
        } else {
            joined.thenAccept(result -> thread.execute(() -> joined(presence, result, then)));
        }
    }

    /** The cluster's answer to the join: welcome the client, or refuse it and give back what it held here. */
    private void joined(ClientPresence presence, ClusterCalls.Answer<JoinResult> answer, Consumer<Boolean> then) {
        JoinResult result = answer.result();
        if (member == null || out.closing()) {
            // The connection ended while the cluster was asked: the client never was online.
            if (result instanceof JoinResult.Joined j) {
                relay.cluster().leave(presence.withRoom(j.inRoom()), LeaveReason.DISCONNECTED);
            }
            then.accept(false);
            return;
        }
        if (!(result instanceof JoinResult.Joined j)) {
            relay.room().leave(member);
            relay.registry().remove(member);
            member = null;
            if (result instanceof JoinResult.Taken taken) {
                relay.meter().clientRefused(RelayMeter.AdmissionRefusal.NICKNAME_TAKEN);
                out.refuse(ErrorCode.NICKNAME_TAKEN, SessionOutput.clip(Nickname.sameName(taken.holder(),
                        presence.nickname()) ? "the nickname '" + presence.nickname() + "' is taken"
                        : "the nickname '" + presence.nickname() + "' looks like '" + taken.holder()
                                + "', who is online; the relay refuses look-alike nicknames (PROTOCOL.md 8.2)"));
            } else {
                relay.meter().clientRefused(RelayMeter.AdmissionRefusal.CLUSTER_UNAVAILABLE);
                out.refuse(ErrorCode.INTERNAL_ERROR, SessionOutput.clip("the relay cannot reach its cluster ("
                        + answer.failure() + "); try again later"));
            }
            then.accept(false);
            return;
        }
        boolean inRoom = presence.inRoom() && j.inRoom();
        if (presence.inRoom() && !inRoom) {
            relay.room().leave(member); // the room is full across the cluster
        }
        relay.meter().clientAdmitted();
        welcomed = true;
        // The rate limit goes with the welcome, so the client paces itself to it instead of being held back.
        out.send(new Welcome(member.clientId(), member.nickname(), relay.options().serverInfo(),
                relay.options().rateLimit().messagesPerSecond(), relay.options().rateLimit().burstMessages()));
        ClientInfo joinedInfo = new ClientInfo(member.clientId(), member.nickname(), member.identityKey());
        out.report(new ClientJoined(joinedInfo));
        // Only the room hears of a join, and only of a member's: a join costs at most the room's size in writes.
        // The room's members on other nodes hear of it from their own nodes (RelayCluster.join told them).
        if (inRoom) {
            out.announce(SessionOutput.sessions(relay.room().othersThan(member.clientId())), new Joined(joinedInfo));
        }
        then.accept(true);
    }

    /** This client's presence, as the other nodes see it. */
    private ClientPresence presence(boolean inRoom) {
        return new ClientPresence(member.clientId(), member.nickname(), member.identityKey(),
                relay.cluster().nodeId(), inRoom);
    }

    /**
     * Removes the admitted client from the relay, tells the listener why it left and, unless the relay is shutting
     * down (everyone is told goodbye then), the other clients. Only the first call of a session does it.
     *
     * <p>The listener hears of every departure, shutdown or not: a client's goodbye and the relay's shutdown race
     * (the client's {@code close()} returns once its goodbye is written, before the relay has read it), and a
     * departure that depended on which came first went missing from the listener in about one run in eight.
     */
    void leave(DepartureReason reason) {
        if (member != null && !welcomed) {
            // Ended while the cluster was asked to put it online: never announced, so nobody to tell.
            relay.room().leave(member);
            relay.registry().remove(member);
            member = null;
            return;
        }
        if (member == null || !relay.registry().remove(member)) {
            return;
        }
        boolean wasInRoom = relay.room().leave(member);
        out.report(new ClientLeft(member.clientId(), member.nickname(), reason));
        relay.meter().clientDeparted(reason);
        LeaveReason onTheWire = switch (reason) {
            case LEFT -> LeaveReason.BYE;
            case DISCONNECTED, RELAY_SHUTDOWN -> LeaveReason.DISCONNECTED; // no one is told during a shutdown
            case TIMED_OUT -> LeaveReason.TIMED_OUT;
            case TOO_SLOW, RATE_LIMITED -> LeaveReason.KICKED;
        };
        // The other nodes hear of every departure, a shutdown's too: they go on without this node.
        relay.cluster().leave(presence(wasInRoom), onTheWire);
        if (relay.isShuttingDown() || !wasInRoom) {
            return;
        }
        out.announce(SessionOutput.sessions(relay.room().members()),
                new Left(member.clientId(), member.nickname(), onTheWire));
    }

    /**
     * The connection closed: the client leaves for {@code departure}, and what the relay kept for it while online
     * (its pre-keys, its allowance of session starts) goes.
     */
    void transportClosed(DepartureReason departure) {
        if (member != null && !welcomed) {
            // Admitted but never announced (the cluster is still asked, or refused it): nobody to tell.
            relay.room().leave(member);
            relay.registry().remove(member);
            member = null;
        }
        if (member != null) {
            leave(departure);
            // After the removal: a bundle request that waited for this client is answered "gone", not "no keys".
            relay.preKeys().remove(member.clientId());
            relay.sessionStarts().remove(member.clientId());
        }
    }
}
