package io.securecomm.examples.attacks;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.wire.Message;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code attack mitm}: a proxy between alice and the relay runs its own key exchange with each of them, reads
 * every message and rewrites one. Under the legacy suite nobody notices. Under the default suite the proxy
 * cannot prove the relay's identity: alice pinned the relay's key on an earlier, untouched connection, so she
 * refuses the impostor's key with {@code RelayIdentityMismatchException} before sending anything.
 */
public final class MitmDemo {
    /** What alice sends. */
    public static final String SENT = "meet me at noon by the station";
    /** What the attacker makes of it. */
    public static final String REWRITTEN = "meet me at midnight by the station";

    private MitmDemo() {}

    /** The attacker's edit: noon becomes midnight in anything alice sends. */
    static final UnaryOperator<Message> REWRITE = m -> {
        if (m instanceof SendPublic p) {
            return new SendPublic(p.requestId(), p.text().replace("noon", "midnight"));
        }
        if (m instanceof SendPrivate p) {
            return new SendPrivate(p.requestId(), p.recipientId(), p.text().replace("noon", "midnight"));
        }
        return m;
    };

    /**
     * What the attack achieved against the legacy suite.
     *
     * @param bobSaw the text bob received
     * @param aliceNoticed whether alice's client reported anything wrong
     */
    public record LegacyOutcome(String bobSaw, boolean aliceNoticed) {}

    /**
     * Runs the attack against the legacy suite.
     *
     * @param out receives the demo's lines (the attacker's lines are prefixed {@code mitm:})
     * @return what bob saw
     * @throws Exception if the demo itself broke
     */
    public static LegacyOutcome legacy(Consumer<String> out) throws Exception {
        try (Lab lab = new Lab()) {
            int relayPort = lab.startRelay(InsecureLegacyMode.ALSO);
            AtomicBoolean running = new AtomicBoolean(true);
            InterceptingProxy proxy = lab.startProxy(LegacyMitm.interceptor(REWRITE, line -> {
                if (running.get()) { // the goodbyes while the lab closes are not part of the story
                    out.accept("mitm: " + line);
                }
            }));
            out.accept("relay on 127.0.0.1:" + relayPort + " with --insecure-legacy-crypto; attacker's proxy on"
                    + " 127.0.0.1:" + proxy.port());
            Lab.Peer bob = lab.connect("bob", relayPort, true, RelayTrustStore.trustOnFirstUseInMemory());
            Lab.Peer alice = lab.connect("alice", proxy.port(), true, RelayTrustStore.trustOnFirstUseInMemory());
            out.accept("alice connected through the proxy with the INSECURE legacy suite: no error, no warning");
            out.accept("alice -> everyone: \"" + SENT + "\"");
            boolean noticed = false;
            try {
                Lab.await(alice.client().sendPublic(SENT));
                out.accept("alice: delivered, as far as she can tell");
            } catch (Exception e) {
                noticed = true;
                out.accept("alice: " + e.getMessage());
            }
            ChatMessage m = bob.nextMessage(Lab.WAIT);
            String saw = m == null ? null : m.text();
            out.accept("bob received: \"" + saw + "\" from " + (m == null ? "?" : m.senderNickname()));
            running.set(false);
            return new LegacyOutcome(saw, noticed);
        }
    }

    /**
     * Runs the attack against the default suite.
     *
     * @param out receives the demo's lines
     * @return how alice's client refused the impostor
     * @throws Exception if the demo itself broke
     */
    public static Exception defaultSuite(Consumer<String> out) throws Exception {
        try (Lab lab = new Lab()) {
            int relayPort = lab.startRelay(InsecureLegacyMode.OFF);
            InterceptingProxy proxy = lab.startProxy(Wiretap.listening(new Capture()));
            out.accept("relay on 127.0.0.1:" + relayPort + " (default); the path through 127.0.0.1:" + proxy.port()
                    + " is clean for now");
            RelayTrustStore aliceKnownRelays = RelayTrustStore.trustOnFirstUseInMemory();
            Lab.Peer first = lab.connect("alice", proxy.port(), false, aliceKnownRelays);
            out.accept("alice's first connection pinned the relay's key (" + first.session().trust() + ")");
            first.client().close();
            NoiseImpersonator impostor = new NoiseImpersonator(REWRITE, line -> out.accept("mitm: " + line));
            proxy.intercept(impostor);
            out.accept("the attacker takes over the path and answers alice's Noise handshake itself");
            try {
                lab.connect("alice", proxy.port(), false, aliceKnownRelays);
                out.accept("alice: connected?! (this should not happen)");
                return null;
            } catch (Exception e) {
                out.accept("alice: REFUSED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                // The attacker's side sees alice hang up on its own thread: let it say so before the demo ends.
                impostor.awaitFinished(Lab.WAIT);
                return e;
            }
        }
    }
}
