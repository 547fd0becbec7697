package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.Welcome;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a client sends, in whatever order, the relay answers or closes, and never throws. */
class RelayHandlerPropertiesTest {
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
                Arbitraries.just(new Welcome(1, "x", "y")),
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
        RelayContext relay = new RelayContext(RelayOptions.builder().maxClients(2).build());
        EmbeddedChannel ca = new EmbeddedChannel(new RelayHandler(relay));
        EmbeddedChannel cb = new EmbeddedChannel(new RelayHandler(relay));
        // Either suite: a legacy connection may send plaintext chat, a Noise one is cut off for it.
        ca.pipeline().fireUserEventTriggered(aIsLegacy ? NoiseHandler.Established.insecureLegacy(new byte[4])
                : new NoiseHandler.Established(new byte[32], new byte[32]));
        cb.pipeline().fireUserEventTriggered(bIsLegacy ? NoiseHandler.Established.insecureLegacy(new byte[4])
                : new NoiseHandler.Established(new byte[32], new byte[32]));
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            feed(ca, a, i);
            feed(cb, b, i);
        }
        int open = (ca.isOpen() ? 1 : 0) + (cb.isOpen() ? 1 : 0);
        assertTrue(relay.registry.size() <= open, "closed connections left the registry");
        ca.finishAndReleaseAll();
        cb.finishAndReleaseAll();
        assertTrue(relay.registry.size() == 0, "every connection is gone from the registry");
    }

    private static void feed(EmbeddedChannel ch, List<Message> messages, int i) {
        if (i < messages.size() && ch.isOpen()) {
            ch.writeInbound(messages.get(i));
            ch.checkException();
        }
    }
}
