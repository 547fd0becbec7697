package io.securecomm.examples.attacks;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacyTransport;
import io.securecomm.crypto.insecure.SmallPrimeDiffieHellman;
import io.securecomm.examples.attacks.Capture.Direction;
import io.securecomm.relay.InsecureLegacyMode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code attack small-dh}: a wiretap records alice's key exchange. The attacker reads the two public values,
 * solves the discrete logarithm of alice's in the 32-bit group by baby-step giant-step, computes the shared secret
 * and the session key exactly as alice did, and decrypts her traffic. Against the default suite the handshake
 * carries X25519 keys, with no small-group value to solve, and a forged legacy hello is refused by the relay.
 */
public final class SmallDhDemo {
    private SmallDhDemo() {}

    /**
     * What the attack achieved against the legacy suite.
     *
     * @param recovered the recovered exponent and shared secret
     * @param millis how long the discrete logarithm took
     * @param decrypted every record of both directions, decrypted and described
     */
    public record LegacyOutcome(SmallDhAttack.Recovered recovered, long millis, List<String> decrypted) {}

    /**
     * What happened against the default suite.
     *
     * @param noSmallGroup why the attack found nothing to solve
     * @param forgedLegacyHello how the relay refused a forged legacy hello
     */
    public record DefaultOutcome(LegacyHandshakeException noSmallGroup, Exception forgedLegacyHello) {}

    /**
     * Runs the attack against the legacy suite.
     *
     * @param out receives the demo's lines
     * @return what was recovered
     * @throws Exception if the demo itself broke
     */
    public static LegacyOutcome legacy(Consumer<String> out) throws Exception {
        try (Lab lab = new Lab()) {
            Capture capture = record(lab, InsecureLegacyMode.ALSO, true, out);
            List<byte[]> up = capture.frames(Direction.CLIENT_TO_RELAY);
            List<byte[]> down = capture.frames(Direction.RELAY_TO_CLIENT);
            long start = System.nanoTime();
            SmallDhAttack attack = new SmallDhAttack();
            SmallDhAttack.Recovered r = attack.recover(up.get(0), down.get(0));
            long millis = (System.nanoTime() - start) / 1_000_000;
            SmallPrimeDiffieHellman group = SmallPrimeDiffieHellman.defaults();
            out.accept("attacker: public values from the wire: A = " + r.clientPublicValue() + ", B = "
                    + r.relayPublicValue() + " (p = " + group.p() + ", g = " + group.g() + ")");
            out.accept("attacker: baby-step giant-step found a = " + r.clientPrivateValue() + " in " + millis
                    + " ms (check: g^a mod p = " + group.publicValue(r.clientPrivateValue()) + ")");
            out.accept("attacker: shared secret B^a mod p = " + r.sharedSecret() + ", session key "
                    + HexFormat.of().formatHex(SmallPrimeDiffieHellman.deriveXorKey(r.sharedSecret(), 16)));
            List<String> decrypted = new ArrayList<>();
            try (LegacyTransport aliceToRelay = r.transport(); LegacyTransport relayToAlice = r.transport()) {
                for (byte[] record : up.subList(1, up.size())) {
                    decrypted.add("alice -> relay  " + XorKnownPlaintextDemo.describe(aliceToRelay.open(record)));
                }
                for (byte[] record : down.subList(1, down.size())) {
                    decrypted.add("relay -> alice  " + XorKnownPlaintextDemo.describe(relayToAlice.open(record)));
                }
            }
            decrypted.forEach(line -> out.accept("attacker decrypted: " + line));
            return new LegacyOutcome(r, millis, decrypted);
        }
    }

    /**
     * Runs the attack against the default suite.
     *
     * @param out receives the demo's lines
     * @return how it failed
     * @throws Exception if the demo itself broke
     */
    public static DefaultOutcome defaultSuite(Consumer<String> out) throws Exception {
        try (Lab lab = new Lab()) {
            Capture capture = record(lab, InsecureLegacyMode.OFF, false, out);
            List<byte[]> up = capture.frames(Direction.CLIENT_TO_RELAY);
            List<byte[]> down = capture.frames(Direction.RELAY_TO_CLIENT);
            out.accept("attacker: alice's first frame is " + up.get(0).length + " bytes: an X25519 ephemeral key (a"
                    + " group of about 2^252 elements; baby-step giant-step would need about 2^126 steps)");
            LegacyHandshakeException noSmallGroup = null;
            try {
                new SmallDhAttack().recover(up.get(0), down.get(0));
                out.accept("attacker: recovered a key?! (this should not happen)");
            } catch (LegacyHandshakeException e) {
                noSmallGroup = e;
                out.accept("attacker: FAILED (" + e.reason() + "): " + e.getMessage());
            }
            Exception forged = null;
            try {
                lab.connect("mallory", lab.relayPort(), true, RelayTrustStore.trustOnFirstUseInMemory());
                out.accept("mallory: the default relay accepted a legacy hello?! (this should not happen)");
            } catch (Exception e) {
                forged = e;
                out.accept("mallory: a forged legacy hello to the default relay: " + e.getClass().getSimpleName()
                        + ": " + e.getMessage());
            }
            return new DefaultOutcome(noSmallGroup, forged);
        }
    }

    private static Capture record(Lab lab, InsecureLegacyMode mode, boolean legacy, Consumer<String> out)
            throws Exception {
        int relayPort = lab.startRelay(mode);
        Capture capture = new Capture();
        InterceptingProxy proxy = lab.startProxy(Wiretap.listening(capture));
        out.accept("relay on 127.0.0.1:" + relayPort + (legacy ? " with --insecure-legacy-crypto" : " (default)")
                + "; wiretap on 127.0.0.1:" + proxy.port());
        Lab.Peer bob = lab.connect("bob", relayPort, legacy, RelayTrustStore.trustOnFirstUseInMemory());
        Lab.Peer alice = lab.connect("alice", proxy.port(), legacy, RelayTrustStore.trustOnFirstUseInMemory());
        Lab.await(alice.client().sendPublic(XorKnownPlaintextDemo.SECRET));
        ChatMessage m = bob.nextMessage(Lab.WAIT);
        out.accept("alice -> everyone: \"" + XorKnownPlaintextDemo.SECRET + "\"   (bob received \""
                + (m == null ? null : m.text()) + "\"); the wiretap recorded everything");
        // The relay's answer to alice's send is recorded before the attacker looks.
        capture.awaitFrames(Direction.RELAY_TO_CLIENT, 4, Lab.WAIT);
        return capture;
    }
}
