package io.securecomm.examples.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.SmallPrimeDiffieHellman;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each attack over real sockets on 127.0.0.1, against a real relay: it succeeds against the legacy suite and
 * fails, with its specific error, against the default suite.
 */
@Timeout(90)
class AttackDemosTest {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Test
    void xorKnownPlaintextDecryptsAndTampersWithLegacyTraffic() throws Exception {
        XorKnownPlaintextDemo.LegacyOutcome o = XorKnownPlaintextDemo.legacy(lines::add);
        assertEquals(32, o.keyHex().length(), "a 16-byte key");
        assertTrue(o.decrypted().contains("alice -> relay  SendPublic \"" + XorKnownPlaintextDemo.SECRET + "\""),
                o.decrypted().toString());
        assertTrue(o.decrypted().stream().anyMatch(l -> l.startsWith("relay -> alice  Welcome")),
                o.decrypted().toString());
        assertEquals("transfer 100 euros to account 1235", o.bobSaw(), "one flipped bit, delivered undetected");
    }

    @Test
    void xorKnownPlaintextFindsNoKeyAndTamperingIsDetectedUnderTheDefaultSuite() throws Exception {
        XorKnownPlaintextDemo.DefaultOutcome o = XorKnownPlaintextDemo.defaultSuite(lines::add);
        assertInstanceOf(AttackFailedException.class, o.keyRecovery());
        assertTrue(o.keyRecovery().getMessage().contains("not repeating-key XOR"));
        // The relay's AEAD check failed on the flipped bit and it dropped alice instead of delivering.
        assertInstanceOf(RelayClosedException.class, o.tamperedSend(), String.valueOf(o.tamperedSend()));
        assertFalse(o.bobSawTampered());
    }

    @Test
    void smallDhRecoversTheLegacySessionKeyFromTheWire() throws Exception {
        SmallDhDemo.LegacyOutcome o = SmallDhDemo.legacy(lines::add);
        SmallPrimeDiffieHellman group = SmallPrimeDiffieHellman.defaults();
        assertEquals(o.recovered().clientPublicValue(), group.publicValue(o.recovered().clientPrivateValue()));
        assertTrue(o.decrypted().contains("alice -> relay  SendPublic \"" + XorKnownPlaintextDemo.SECRET + "\""),
                o.decrypted().toString());
    }

    @Test
    void smallDhHasNothingToSolveUnderTheDefaultSuiteAndAForgedLegacyHelloIsRefused() throws Exception {
        SmallDhDemo.DefaultOutcome o = SmallDhDemo.defaultSuite(lines::add);
        assertEquals(LegacyHandshakeException.Reason.NOT_LEGACY, o.noSmallGroup().reason());
        HandshakeFailedException refused = assertInstanceOf(HandshakeFailedException.class, o.forgedLegacyHello());
        assertTrue(refused.getMessage().contains("does not accept the legacy suite"), refused.getMessage());
    }

    @Test
    void mitmReadsAndRewritesLegacyTrafficUnnoticed() throws Exception {
        MitmDemo.LegacyOutcome o = MitmDemo.legacy(lines::add);
        assertEquals(MitmDemo.REWRITTEN, o.bobSaw());
        assertFalse(o.aliceNoticed());
        assertTrue(List.copyOf(lines).stream().anyMatch(l -> l.startsWith("mitm: REWROTE")), lines.toString());
    }

    @Test
    void mitmIsStoppedByRelayKeyPinningUnderTheDefaultSuite() throws Exception {
        Exception e = MitmDemo.defaultSuite(lines::add);
        assertInstanceOf(RelayIdentityMismatchException.class, e, String.valueOf(e));
        assertTrue(List.copyOf(lines).stream().anyMatch(l -> l.contains("hung up")), lines.toString());
    }
}
