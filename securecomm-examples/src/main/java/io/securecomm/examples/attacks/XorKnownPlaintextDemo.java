package io.securecomm.examples.attacks;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.examples.attacks.Capture.Direction;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.MessageCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * {@code attack xor-known-plaintext}: a wiretap between alice and the relay records her traffic. The attacker
 * guesses her first record (her hello: her nickname and the well-known client version), recovers the repeating
 * XOR key from it, and decrypts everything else in both directions. Then the wiretap flips one bit of a later
 * record, and the change arrives undetected. Against the default suite, the guess yields no key, and the flipped
 * bit makes the relay's AEAD check fail and drop the connection.
 */
public final class XorKnownPlaintextDemo {
    /** The secret alice sends first. */
    public static final String SECRET = "the vault code is 7391";
    /** The order alice sends second, whose last bit the wiretap flips. */
    public static final String TRANSFER = "transfer 100 euros to account 1234";
    /** The guessed plaintext of alice's first record. */
    static final byte[] CRIB = MessageCodec.encode(new ClientHello("alice", "securecomm-client/1"));

    private XorKnownPlaintextDemo() {}

    /**
     * What the attack achieved against the legacy suite.
     *
     * @param keyHex the recovered key, in hex
     * @param decrypted every record of both directions, decrypted and described
     * @param bobSaw the text bob received for the tampered order
     */
    public record LegacyOutcome(String keyHex, List<String> decrypted, String bobSaw) {}

    /**
     * What happened against the default suite.
     *
     * @param keyRecovery why the key recovery failed
     * @param tamperedSend how alice's tampered send failed
     * @param bobSawTampered whether bob received anything for the tampered order
     */
    public record DefaultOutcome(AttackFailedException keyRecovery, Exception tamperedSend, boolean bobSawTampered) {}

    /**
     * Runs the attack against a relay and clients that use the legacy suite.
     *
     * @param out receives the demo's lines
     * @return what was recovered
     * @throws Exception if the demo itself broke
     */
    public static LegacyOutcome legacy(Consumer<String> out) throws Exception {
        try (Lab lab = new Lab()) {
            Capture capture = new Capture();
            Wire w = setUp(lab, InsecureLegacyMode.ALSO, true, capture, frame -> frame == 4, out);
            w.alice.client().sendPublic(TRANSFER).get(Lab.WAIT.toSeconds(), TimeUnit.SECONDS);
            ChatMessage seen = w.bob.nextMessage(Lab.WAIT);
            String bobSaw = seen == null ? null : seen.text();
            out.accept("bob received:  \"" + bobSaw + "\"   (alice sent \"" + TRANSFER + "\"; one flipped bit, no"
                    + " integrity check, nobody noticed)");

            List<byte[]> sent = capture.frames(Direction.CLIENT_TO_RELAY);
            List<byte[]> received = capture.frames(Direction.RELAY_TO_CLIENT);
            List<byte[]> up = sent.subList(1, sent.size());
            List<byte[]> down = received.subList(1, received.size());
            out.accept("attacker: recorded " + up.size() + " records from alice and " + down.size() + " to her");
            out.accept("attacker: guessed alice's first record is her hello: " + HexFormat.of().formatHex(CRIB));
            XorKnownPlaintext.RecoveredKey key = XorKnownPlaintext.recoverKey(up.get(0), 0, CRIB, 32);
            out.accept("attacker: key length " + key.lengthBytes() + " bytes (the only period consistent with the"
                    + " guess); key " + HexFormat.of().formatHex(key.key()));
            List<String> decrypted = new ArrayList<>();
            for (byte[] p : XorKnownPlaintext.decrypt(key, up)) {
                decrypted.add("alice -> relay  " + describe(p));
            }
            // Both directions use the same key from position 0: the same key decrypts what alice received.
            for (byte[] p : XorKnownPlaintext.decrypt(key, down)) {
                decrypted.add("relay -> alice  " + describe(p));
            }
            decrypted.forEach(line -> out.accept("attacker decrypted: " + line));
            return new LegacyOutcome(HexFormat.of().formatHex(key.key()), decrypted, bobSaw);
        }
    }

    /**
     * Runs the same attack against the default suite.
     *
     * @param out receives the demo's lines
     * @return how it failed
     * @throws Exception if the demo itself broke
     */
    public static DefaultOutcome defaultSuite(Consumer<String> out) throws Exception {
        try (Lab lab = new Lab()) {
            Capture capture = new Capture();
            // The wiretap flips a bit of the first record alice sends after the set-up: her order. (Under the
            // default suite alice also publishes pre-keys and sends her room key first, so the order's frame
            // number depends on the room; the tap waits for the set-up to end instead of counting.)
            AtomicInteger tamperFrom = new AtomicInteger(
                    Integer.MAX_VALUE);
            Wire w = setUp(lab, InsecureLegacyMode.OFF, false, capture, frame -> frame >= tamperFrom.get(), out);
            List<byte[]> sent = capture.frames(Direction.CLIENT_TO_RELAY);
            tamperFrom.set(sent.size());
            List<byte[]> records = sent.subList(2, sent.size());
            int secretRecord = records.size() - 1; // the last one alice sent: her secret, end-to-end encrypted
            AttackFailedException keyRecovery = null;
            try {
                XorKnownPlaintext.recoverKey(records.get(0), 0, CRIB, 32);
                out.accept("attacker: found a key?! (this should not happen)");
            } catch (AttackFailedException e) {
                keyRecovery = e;
                out.accept("attacker: FAILED: " + e.getMessage());
            }
            byte[] forced = new byte[16];
            for (int i = 0; i < forced.length; i++) {
                forced[i] = (byte) (records.get(0)[i] ^ CRIB[i]);
            }
            byte[] garbage = XorKnownPlaintext.decrypt(new XorKnownPlaintext.RecoveredKey(forced), records)
                    .get(secretRecord);
            out.accept("attacker: forcing a 16-byte key from the guess turns alice's secret record into "
                    + describe(garbage) + " (ChaCha20 never repeats its keystream)");
            Exception tamperedSend = null;
            try {
                Lab.await(w.alice.client().sendPublic(TRANSFER));
                out.accept("alice: the tampered order was delivered?! (this should not happen)");
            } catch (Exception e) {
                tamperedSend = e;
                out.accept("alice: sending the order failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                out.accept("       (the wiretap flipped one bit; the relay's ChaCha20-Poly1305 tag check failed, so"
                        + " it dropped the connection instead of delivering an altered message)");
            }
            ChatMessage seen = w.bob.nextMessage(Duration.ofSeconds(1));
            out.accept("bob received:  " + (seen == null ? "nothing" : "\"" + seen.text() + "\""));
            return new DefaultOutcome(keyRecovery, tamperedSend, seen != null);
        }
    }

    /** Alice behind the wiretap, bob direct; alice's secret delivered. */
    private static Wire setUp(Lab lab, InsecureLegacyMode relayMode, boolean legacy, Capture capture,
            IntPredicate tamperFrame, Consumer<String> out) throws Exception {
        int relayPort = lab.startRelay(relayMode);
        InterceptingProxy proxy = lab.startProxy(Wiretap.tampering(capture, tamperFrame));
        out.accept("relay on 127.0.0.1:" + relayPort + (legacy ? " with --insecure-legacy-crypto" : " (default)")
                + "; wiretap on 127.0.0.1:" + proxy.port());
        Lab.Peer bob = lab.connect("bob", relayPort, legacy, RelayTrustStore.trustOnFirstUseInMemory());
        Lab.Peer alice = lab.connect("alice", proxy.port(), legacy, RelayTrustStore.trustOnFirstUseInMemory());
        out.accept("alice and bob connected" + (legacy ? " with the INSECURE legacy suite" : " with Noise")
                + "; alice's connection runs through the wiretap");
        Lab.await(alice.client().sendPublic(SECRET));
        ChatMessage m = bob.nextMessage(Lab.WAIT);
        out.accept("alice -> everyone: \"" + SECRET + "\"   (bob received \"" + (m == null ? null : m.text()) + "\")");
        return new Wire(alice, bob);
    }

    private record Wire(Lab.Peer alice, Lab.Peer bob) {}

    static String describe(byte[] plaintext) {
        try {
            return MessageText.describe(MessageCodec.decode(plaintext));
        } catch (MalformedMessageException e) {
            return "garbage (" + plaintext.length + " bytes that are no message: " + e.getMessage() + ")";
        }
    }
}
