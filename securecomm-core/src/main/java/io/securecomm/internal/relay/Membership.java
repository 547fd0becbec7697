package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.ClientJoined;
import io.securecomm.internal.relay.RelayAction.ClientLeft;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayMeter;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.Joined;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.Welcome;

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
    private Member<RelaySession<C>> member;
    private boolean welcomed;

    Membership(RelayState<C> relay, RelaySession<C> session, SessionOutput<C> out) {
        this.relay = relay;
        this.session = session;
        this.out = out;
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
     * Admits the client under {@code nickname}, welcomes it and announces it to the room; or refuses it (the
     * connection then ends).
     *
     * @return whether the client was admitted
     */
    boolean admit(String nickname, byte[] identityKey) {
        Admission<RelaySession<C>> admission = relay.registry().admit(nickname, identityKey, session);
        if (admission instanceof Admission.Refused<RelaySession<C>> refused) {
            relay.meter().clientRefused(switch (refused.reason()) {
                case INVALID_NICKNAME -> RelayMeter.AdmissionRefusal.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> RelayMeter.AdmissionRefusal.NICKNAME_TAKEN;
                case RELAY_FULL -> RelayMeter.AdmissionRefusal.RELAY_FULL;
            });
            out.refuse(switch (refused.reason()) {
                case INVALID_NICKNAME -> ErrorCode.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> ErrorCode.NICKNAME_TAKEN;
                case RELAY_FULL -> ErrorCode.SERVER_FULL;
            }, refused.detail());
            return false;
        }
        member = ((Admission.Admitted<RelaySession<C>>) admission).member();
        relay.meter().clientAdmitted();
        welcomed = true;
        // The rate limit goes with the welcome, so the client paces itself to it instead of being held back.
        out.send(new Welcome(member.clientId(), member.nickname(), relay.options().serverInfo(),
                relay.options().rateLimit().messagesPerSecond(), relay.options().rateLimit().burstMessages()));
        ClientInfo joined = new ClientInfo(member.clientId(), member.nickname(), identityKey);
        out.report(new ClientJoined(joined));
        // Only the room hears of a join, and only of a member's: a join costs at most the room's size in writes.
        if (relay.room().enter(member)) {
            out.announce(SessionOutput.sessions(relay.room().othersThan(member.clientId())), new Joined(joined));
        }
        return true;
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
        if (member == null || !relay.registry().remove(member)) {
            return;
        }
        boolean wasInRoom = relay.room().leave(member);
        out.report(new ClientLeft(member.clientId(), member.nickname(), reason));
        relay.meter().clientDeparted(reason);
        if (relay.isShuttingDown() || !wasInRoom) {
            return;
        }
        LeaveReason onTheWire = switch (reason) {
            case LEFT -> LeaveReason.BYE;
            case DISCONNECTED, RELAY_SHUTDOWN -> LeaveReason.DISCONNECTED; // no one is told during a shutdown
            case TIMED_OUT -> LeaveReason.TIMED_OUT;
            case TOO_SLOW, RATE_LIMITED -> LeaveReason.KICKED;
        };
        out.announce(SessionOutput.sessions(relay.room().members()),
                new Left(member.clientId(), member.nickname(), onTheWire));
    }

    /**
     * The connection closed: the client leaves for {@code departure}, and what the relay kept for it while online
     * (its pre-keys, its allowance of session starts) goes.
     */
    void transportClosed(DepartureReason departure) {
        if (member != null && !welcomed) {
            relay.registry().remove(member); // admitted but never announced: nobody to tell
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
