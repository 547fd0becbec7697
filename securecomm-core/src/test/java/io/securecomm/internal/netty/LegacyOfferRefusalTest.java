package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.client.InsecureSuiteRefusedException;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacyHello;
import io.securecomm.internal.noise.CipherOffer;
import io.securecomm.internal.noise.HopCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A Noise client facing a relay that speaks only the INSECURE legacy suite: refused by name, never downgraded. */
class LegacyOfferRefusalTest {
    private static final String RELAY = "127.0.0.1:9";

    private static EmbeddedChannel client(NoiseKeyPair key, NoiseHandlerTest.Sink sink) {
        return new EmbeddedChannel(new LegacyOfferRefusal(RELAY), new NoiseHandler(true, key, Duration.ofSeconds(10),
                NoiseHandler.RemoteStaticCheck.ACCEPT_ALL), sink);
    }

    @Test
    void aNoiseClientReportsALegacyOnlyOfferByName() {
        NoiseHandlerTest.Sink sink = new NoiseHandlerTest.Sink();
        try (NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            EmbeddedChannel ch = client(clientKey, sink);
            byte[] m1 = ch.readOutbound();
            assertEquals(32 + CipherOffer.encode(HopCipher.configured().offer(HopCipher.aesInstructions())).length,
                    m1.length, "e, then the cipher offer if any");
            ch.writeInbound((Object) LegacyHello.legacyOnlyOffer().encode());
            InsecureSuiteRefusedException e = assertInstanceOf(InsecureSuiteRefusedException.class, sink.errors.get(0));
            assertEquals(RELAY, e.relay());
            LegacyHandshakeException legacy = assertInstanceOf(LegacyHandshakeException.class, e.getCause());
            assertEquals(LegacyHandshakeException.Reason.LEGACY_ONLY_PEER, legacy.reason());
            assertFalse(ch.isOpen());
            assertNull(ch.readOutbound(), "no Noise message 3, no fallback");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aNoiseAnswerPassesAndTheRefusalLeavesThePipeline() {
        NoiseHandlerTest.Sink clientSink = new NoiseHandlerTest.Sink();
        NoiseHandlerTest.Sink relaySink = new NoiseHandlerTest.Sink();
        try (NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
                NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            EmbeddedChannel client = client(clientKey, clientSink);
            EmbeddedChannel relay = new EmbeddedChannel(new NoiseHandler(false, relayKey, Duration.ofSeconds(10),
                    NoiseHandler.RemoteStaticCheck.ACCEPT_ALL), relaySink);
            for (EmbeddedChannel from = client, to = relay; from.outboundMessages().peek() != null; ) {
                byte[] handshakeMessage = from.readOutbound();
                to.writeInbound(handshakeMessage);
                EmbeddedChannel next = to;
                to = from;
                from = next;
            }
            NoiseHandler.Established done = assertInstanceOf(NoiseHandler.Established.class, clientSink.events.get(0));
            assertArrayEquals(relayKey.publicKey(), done.remoteStaticPublicKey());
            assertTrue(clientSink.errors.isEmpty(), clientSink.errors::toString);
            assertNull(client.pipeline().get(LegacyOfferRefusal.class));
            client.finishAndReleaseAll();
            relay.finishAndReleaseAll();
        }
    }
}
