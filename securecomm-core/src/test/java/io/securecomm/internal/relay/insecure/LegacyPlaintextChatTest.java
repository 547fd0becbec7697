package io.securecomm.internal.relay.insecure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.RelayHarness;
import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The INSECURE legacy suite's plaintext chat, which its connections add to the relay's protocol: forwarded with the
 * same delivery guarantee as an envelope, the text checked by the relay (which reads it).
 */
class LegacyPlaintextChatTest {
    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(4));
    private int nextKey = 1;

    private Conn legacy(String nickname) {
        return relay.admit(relay.established(new byte[] {0, 0, 0, (byte) nextKey++}, LegacyPlaintextChat.INSTANCE),
                nickname);
    }

    @Test
    void publicMessageGoesToEveryOtherClientThenDelivered() {
        Conn alice = legacy("alice");
        Conn bob = legacy("bob");
        Conn carol = relay.admitted("carol", 9); // a client of the relay's own protocol gets it too
        alice.drain();
        bob.drain();
        alice.send(new SendPublic(5, "hi"));
        assertEquals(new PublicMessage(1, "alice", "hi"), bob.next());
        assertEquals(new PublicMessage(1, "alice", "hi"), carol.next());
        assertEquals(new Delivered(5), alice.next());
        assertNull(alice.next(), "no echo");
    }

    @Test
    void privateMessageAndUnknownRecipient() {
        Conn alice = legacy("alice");
        Conn bob = legacy("bob");
        alice.drain();
        alice.send(new SendPrivate(1, 2, "psst"));
        assertEquals(new PrivateMessage(1, "alice", "psst"), bob.next());
        assertEquals(new Delivered(1), alice.next());
        alice.send(new SendPrivate(2, 42, "anyone?"));
        ErrorReply e = assertInstanceOf(ErrorReply.class, alice.next());
        assertEquals(2, e.requestId());
        assertEquals(ErrorCode.UNKNOWN_RECIPIENT, e.code());
        assertTrue(alice.isOpen(), "a refused request does not end the session");
    }

    @Test
    void emptyAndOverlongTextAreRefusedPerRequest() {
        Conn alice = legacy("alice");
        alice.send(new SendPublic(1, ""));
        assertEquals(new ErrorReply(1, ErrorCode.EMPTY_MESSAGE, "the message is empty"), alice.next());
        alice.send(new SendPublic(2, "é".repeat(2049)));
        assertEquals(new ErrorReply(2, ErrorCode.MESSAGE_TOO_LONG, "the message has 4098 bytes in UTF-8; the limit"
                + " is 4096"), alice.next());
        alice.send(new SendPrivate(3, 1, ""));
        assertEquals(ErrorCode.EMPTY_MESSAGE, ((ErrorReply) alice.next()).code());
        alice.send(new SendPublic(4, "é".repeat(2048)));
        assertEquals(new Delivered(4), alice.next());
    }

    @Test
    void aPublicMessageMissedByASlowReaderIsReportedToItsSender() {
        Conn alice = legacy("alice");
        Conn bob = legacy("bob");
        Conn carol = legacy("carol");
        alice.drain();
        bob.queueFull = true;
        alice.send(new SendPublic(1, "hello"));
        assertTrue(carol.drain().contains(new PublicMessage(1, "alice", "hello")), "the others still get it");
        List<Message> toAlice = alice.drain();
        assertTrue(toAlice.contains(new ErrorReply(1, ErrorCode.RECIPIENT_TOO_SLOW,
                "not delivered to 1 of 2 recipients (a recipient did not read fast enough)")), toAlice::toString);
    }

    @Test
    void aBundleOfALegacyClientIsRefusedAtOnceInsteadOfAwaited() {
        Conn alice = relay.admitted("alice", 9);
        Conn toy = legacy("toy");
        alice.drain();
        alice.send(new PreKeyBundleRequest(7, 2));
        ErrorReply refused = assertInstanceOf(ErrorReply.class, alice.next(), "answered now, not later");
        assertEquals(new ErrorReply(7, ErrorCode.NO_PRE_KEYS,
                "client 2 uses the INSECURE legacy suite and has no end-to-end keys"), refused);
        assertTrue(alice.session.pollTimeout().isEmpty(), "nothing waits");
        assertTrue(toy.isOpen());
    }
}
