package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.internal.relay.insecure.LegacyPlaintextChat;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever two clients send, in whatever order, each request is answered exactly once or its connection
 * closes, the sessions never throw, and no closed connection stays in the registry.
 */
class RelaySessionPropertiesTest {
    @Provide
    Arbitrary<List<Message>> clientSequences() {
        Arbitrary<String> nick = Arbitraries.strings().withChars("ab1_.- é").ofMinLength(0).ofMaxLength(30);
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(0).ofMaxLength(50);
        Arbitrary<Long> rid = Arbitraries.longs().between(1, 5);
        Arbitrary<Message> any = Arbitraries.oneOf(
                nick.map(n -> new ClientHello(n, "p/1")),
                rid.map(ListRequest::new),
                Combinators.combine(rid, text).as(SendPublic::new),
                Combinators.combine(rid, Arbitraries.integers().between(1, 4), text).as(SendPrivate::new),
                Combinators.combine(rid, Arbitraries.integers().between(1, 4)).as((r, to) ->
                        new SendEnvelope(r, to, new byte[] {1, 2, 3})),
                Combinators.combine(rid, Arbitraries.integers().between(1, 4)).as((r, to) ->
                        new SendRoomEnvelope(r, new int[] {to}, new byte[] {1, 2, 3})),
                Combinators.combine(rid, Arbitraries.integers().between(1, 4)).as(PreKeyBundleRequest::new),
                rid.map(r -> new UploadPreKeys(r, new byte[] {1})),
                Arbitraries.longs().map(Ping::new),
                Arbitraries.just(new Bye(ByeReason.CLIENT_EXIT, "")),
                // Types only a relay may send:
                Arbitraries.just(new Welcome(1, "x", "y", 1, 1)),
                Arbitraries.just(new Delivered(1)),
                Arbitraries.just(new Pong(1)),
                Arbitraries.just(new PublicMessage(1, "x", "y")),
                Arbitraries.just(new Left(1, "x", LeaveReason.BYE)),
                Arbitraries.just(new ErrorReply(0, ErrorCode.INTERNAL_ERROR, "")));
        return any.list().ofMaxSize(12);
    }

    @Property(tries = 200)
    void anySequenceIsAnsweredOrClosedWithoutThrowing(@ForAll("clientSequences") List<Message> a,
            @ForAll("clientSequences") List<Message> b, @ForAll boolean aIsLegacy, @ForAll boolean bIsLegacy) {
        RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(2));
        // Either variant: a legacy connection may send plaintext chat, a connection of the relay's own protocol is
        // cut off for it.
        Conn ca = relay.established(aIsLegacy ? new byte[4] : new byte[32],
                aIsLegacy ? LegacyPlaintextChat.INSTANCE : ProtocolExtension.NONE);
        Conn cb = relay.established(bIsLegacy ? new byte[4] : new byte[32],
                bIsLegacy ? LegacyPlaintextChat.INSTANCE : ProtocolExtension.NONE);
        Map<Conn, List<Long>> asked = new HashMap<>(Map.of(ca, new ArrayList<>(), cb, new ArrayList<>()));
        Map<Conn, List<Message>> got = new HashMap<>(Map.of(ca, new ArrayList<>(), cb, new ArrayList<>()));
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            feed(ca, a, i, asked);
            feed(cb, b, i, asked);
        }
        relay.advance(RelayOptions.DEFAULT_HANDSHAKE_TIMEOUT); // a bundle request waits no longer than this
        int open = (ca.isOpen() ? 1 : 0) + (cb.isOpen() ? 1 : 0);
        assertTrue(relay.relay.registry().size() <= open, "closed connections left the registry");
        for (Conn c : List.of(ca, cb)) {
            got.get(c).addAll(c.drain());
            if (c.isOpen()) {
                assertEquals(sorted(asked.get(c)), sorted(answered(got.get(c))), "one answer per request");
            }
        }
        ca.clientCloses();
        cb.clientCloses();
        assertEquals(0, relay.relay.registry().size(), "every connection is gone from the registry");
        assertTrue(ca.session.pollTimeout().isEmpty() && cb.session.pollTimeout().isEmpty(), "no timer left");
    }

    private static void feed(Conn c, List<Message> messages, int i, Map<Conn, List<Long>> asked) {
        if (i < messages.size() && c.isOpen()) {
            long requestId = RequestIds.of(messages.get(i));
            if (requestId != 0) {
                asked.get(c).add(requestId);
            }
            c.send(messages.get(i));
        }
    }

    private static List<Long> answered(List<Message> got) {
        List<Long> ids = new ArrayList<>();
        for (Message m : got) {
            if (m instanceof Delivered d) {
                ids.add(d.requestId());
            } else if (m instanceof ErrorReply e && e.requestId() != 0) {
                ids.add(e.requestId());
            } else if (m instanceof ClientList l) {
                ids.add(l.requestId());
            } else if (m instanceof PreKeyBundleResponse r) {
                ids.add(r.requestId());
            }
        }
        return ids;
    }

    private static List<Long> sorted(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        copy.sort(null);
        return copy;
    }
}
