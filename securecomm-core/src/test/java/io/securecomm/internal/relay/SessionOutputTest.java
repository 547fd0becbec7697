package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.RelayAction.Close;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelayAction.SendLast;
import io.securecomm.relay.RelayOptions;
import io.securecomm.testing.MutableClock;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Ping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The actions of one session, in order, and its ending, without a session around them. */
class SessionOutputTest {
    private final MutableClock clock = new MutableClock();
    private final SessionOutput<String> out = new SessionOutput<>(clock);
    private final RelayState<String> relay = new RelayState<>(RelayOptions.builder().build(), clock);

    private RelaySession<String> session(String connection) {
        return new RelaySession<>(relay, connection, Runnable::run, ProtocolExtension.NONE, clock.instant());
    }

    @Test
    void forwardsOfOneMessageShareAnIdAndEveryMessageGetsANewOne() {
        RelaySession<String> a = session("a");
        RelaySession<String> b = session("b");
        long one = out.forward(a, new Ping(1));
        long many = out.forward(List.of(a, b), new Ping(2), null);
        assertEquals(one + 1, many);
        assertEquals(one, ((Forward<String>) out.poll()).deliveryId());
        assertEquals(many, ((Forward<String>) out.poll()).deliveryId());
        assertEquals(b, ((Forward<String>) out.poll()).recipient());
        assertNull(out.poll());
    }

    @Test
    void aLastMessageIsGivenUpAfterItsGrace() {
        out.refuse(ErrorCode.PROTOCOL_VIOLATION, "no");
        assertTrue(out.closing());
        SendLast<String> last = assertInstanceOf(SendLast.class, out.poll());
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, ((ErrorReply) last.message()).code());
        assertEquals(clock.instant().plus(RelaySession.LAST_MESSAGE_GRACE), out.graceDeadline());
        out.handleTimeout(clock.instant().plus(RelaySession.LAST_MESSAGE_GRACE).minusMillis(1));
        assertNull(out.poll());
        out.handleTimeout(clock.instant().plus(RelaySession.LAST_MESSAGE_GRACE));
        assertInstanceOf(Close.class, out.poll());
        assertNull(out.graceDeadline());
    }

    @Test
    void theFirstReasonToEndIsKeptAndNothingIsSentAfterTheClose() {
        out.endFor(ByeReason.TOO_SLOW);
        out.closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SessionOutput.SHUTTING_DOWN));
        assertEquals(ByeReason.TOO_SLOW, out.endReason());
        out.poll();
        out.transportClosed();
        out.send(new Ping(3));
        assertNull(out.poll());
        assertTrue(out.closed());
    }

    @Test
    void clipCutsADetailToTheWireCapAtACharacterBoundary() {
        String detail = "é".repeat(Limits.INFO_FIELD_MAX_BYTES);
        String clipped = SessionOutput.clip(detail);
        assertTrue(clipped.getBytes(StandardCharsets.UTF_8).length <= Limits.INFO_FIELD_MAX_BYTES);
        assertTrue(clipped.getBytes(StandardCharsets.UTF_8).length > Limits.INFO_FIELD_MAX_BYTES - 2);
        assertEquals("", SessionOutput.clip(null));
    }
}
