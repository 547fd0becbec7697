package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.crypto.insecure.LegacyHandshake;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacyHello;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.crypto.insecure.LegacyTransport;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.CipherSuite;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RelayListener;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's suite selection and the legacy adapter, in memory with {@link EmbeddedChannel}s. */
class LegacyHandlerTest {
    private final NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final List<String> announced = new ArrayList<>();

    /** A relay pipeline at the byte[] frame level: selector, noise slot, sink. */
    private EmbeddedChannel relay(InsecureLegacyMode mode, NoiseHandlerTest.Sink sink) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("noise", new NoiseHandler(false, relayKey, Duration.ofSeconds(10),
                NoiseHandler.RemoteStaticCheck.ACCEPT_ALL)).addLast("sink", sink);
        ch.pipeline().addBefore("noise", "suite-selector", new SuiteSelector(mode, new RelayListener() {
            @Override
            public void onSuiteSelected(SocketAddress remote, CipherSuite suite) {
                announced.add(suite.suiteName() + (suite.isInsecure() ? " (insecure)" : ""));
            }
        }, pipeline -> pipeline.replace("noise", "legacy", LegacyHandler.forRelay())));
        return ch;
    }

    @Test
    void aLegacyHelloSwitchesTheConnectionToTheLegacySuiteAndIsAnnounced() throws Exception {
        NoiseHandlerTest.Sink sink = new NoiseHandlerTest.Sink();
        EmbeddedChannel ch = relay(InsecureLegacyMode.ALSO, sink);
        LegacyHandshake client = LegacyHandshake.client();
        ch.writeInbound((Object) client.writeClientHello());
        assertNull(ch.pipeline().get("noise"));
        assertNotNull(ch.pipeline().get("legacy"));
        assertNull(ch.pipeline().get("suite-selector"), "the selector removes itself");
        assertEquals(List.of(LegacySuite.NAME + " (insecure)"), announced);
        byte[] relayHello = ch.readOutbound();
        assertEquals(LegacySuite.NAME, LegacyHello.decode(relayHello).suiteName(), "the client is told the suite");
        assertInstanceOf(NoiseHandler.Established.class, sink.events.get(0));
        try (LegacyTransport t = client.readRelayHello(relayHello)) {
            byte[] hello = "one record".getBytes(StandardCharsets.UTF_8);
            ch.writeInbound((Object) t.seal(hello));
            assertArrayEquals(hello, (byte[]) sink.reads.get(0));
            ch.writeOutbound((Object) "the answer".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("the answer".getBytes(StandardCharsets.UTF_8), t.open(ch.readOutbound()));
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void aNoiseMessageOneStaysWithNoiseAndIsAnnouncedToo() {
        NoiseHandlerTest.Sink sink = new NoiseHandlerTest.Sink();
        EmbeddedChannel ch = relay(InsecureLegacyMode.ALSO, sink);
        ch.writeInbound((Object) new byte[32]); // not a valid X25519 point for every check, but Noise reads it
        assertNull(ch.pipeline().get("legacy"));
        assertEquals(List.of(LegacySuite.DEFAULT_SUITE_NAME), announced);
        ch.finishAndReleaseAll();
    }

    @Test
    void aLegacyOnlyRelayAnswersNoiseWithItsOfferAndCloses() throws Exception {
        NoiseHandlerTest.Sink sink = new NoiseHandlerTest.Sink();
        EmbeddedChannel ch = relay(InsecureLegacyMode.ONLY, sink);
        ch.writeInbound((Object) new byte[32]);
        assertEquals(LegacyHello.legacyOnlyOffer(), LegacyHello.decode(ch.readOutbound()));
        assertFalse(ch.isOpen());
        assertTrue(announced.isEmpty());
        ch.finishAndReleaseAll();
    }

    @Test
    void aMalformedLegacyHelloFailsTheConnection() {
        NoiseHandlerTest.Sink sink = new NoiseHandlerTest.Sink();
        EmbeddedChannel ch = relay(InsecureLegacyMode.ALSO, sink);
        byte[] bad = LegacyHello.clientHello(5).encode();
        bad[8] = 2; // a relay hello's kind, in a client's frame
        ch.writeInbound((Object) Arrays.copyOf(bad, bad.length));
        LegacyHandshakeException e = assertInstanceOf(LegacyHandshakeException.class, sink.errors.get(0));
        assertEquals(LegacyHandshakeException.Reason.MALFORMED, e.reason());
        assertFalse(ch.isOpen());
        assertNull(ch.readOutbound(), "nothing is answered");
        ch.finishAndReleaseAll();
    }

    @Test
    void theSelectorDoesNotExistForADefaultRelay() {
        assertThrows(IllegalArgumentException.class, () -> new SuiteSelector(InsecureLegacyMode.OFF, RelayListener.NONE,
                pipeline -> { }));
    }
}
