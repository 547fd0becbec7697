package io.securecomm.internal.netty;

import static io.securecomm.internal.netty.E2eRelayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.PeerKeysRejectedException;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.TrustStore;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendToAccount;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile relay, over real sockets: the relay's own pipeline carries an interceptor that flips bits in,
 * truncates, replays, reorders, drops, re-addresses and mis-delivers private envelopes, and swaps pre-key
 * bundles. Every case ends as docs/E2E.md says: the message is reported as undecryptable (never shown as
 * wrong text), the session survives for the next honest message, or the key swap is refused or detected
 * as an identity change.
 */
@Timeout(60)
class HostileRelayOverNetworkTest {
    private E2eRelayFixture fx;
    private E2eEvents a;
    private E2eEvents b;
    private E2eEvents c;
    private ChatClient alice;
    private ChatClient bob;
    private ChatClient carol;

    @BeforeEach
    void start() throws Exception {
        fx = new E2eRelayFixture();
        a = new E2eEvents();
        b = new E2eEvents();
        c = new E2eEvents();
        alice = fx.client("alice", a);
        bob = fx.client("bob", b);
        carol = fx.client("carol", c);
        // Every member has every other member's room key, so all pairwise sessions exist and nothing is in flight.
        a.roomKeys(2);
        b.roomKeys(2);
        c.roomKeys(2);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** Rewrites the ciphertext of envelopes to bob, for the next {@code times} envelopes. */
    private void tamperEnvelopesToBob(int times, UnaryOperator<byte[]> f) {
        AtomicInteger left = new AtomicInteger(times);
        fx.outbound = m -> m instanceof Envelope e && e.senderId() == 1 && left.getAndDecrement() > 0
                ? List.of(new Envelope(e.senderId(), f.apply(e.ciphertext())))
                : List.of(m);
    }

    private void honest() {
        fx.outbound = List::of;
        fx.inbound = List::of;
    }

    /** Sends an honest message and checks it arrives intact: the session was not damaged. */
    private void sessionStillWorks(String text) throws Exception {
        honest();
        await(alice.sendPrivate("bob", text));
        assertEquals(text, b.message().text());
    }

    @Test
    void flippedBitsAnywhereAreRejectedAndTheSessionSurvives() throws Exception {
        // The first message is a pre-key message; after bob's reply they are ratchet messages.
        for (int phase = 0; phase < 2; phase++) {
            for (int bit : new int[] {0, 8 + 3, 8 * 10, 8 * 40 + 7, 8 * 150, -1}) {
                tamperEnvelopesToBob(1, ct -> {
                    byte[] t = ct.clone();
                    int i = bit < 0 ? t.length * 8 - 1 : Math.min(bit, t.length * 8 - 1);
                    t[i / 8] ^= (byte) (1 << (i % 8));
                    return t;
                });
                await(alice.sendPrivate("bob", "tampered " + phase + "/" + bit));
                UndecryptableMessageException e = b.undecryptable();
                assertEquals("alice", e.sender());
                assertTrue(e.isPrivate());
            }
            sessionStillWorks("intact " + phase);
            await(bob.sendPrivate("alice", "reply " + phase));
            assertEquals("reply " + phase, a.message().text());
        }
    }

    @Test
    void truncatedEnvelopesAreRejected() throws Exception {
        for (int keep : new int[] {1, 2, 41, 100}) {
            tamperEnvelopesToBob(1, ct -> Arrays.copyOf(ct, Math.min(keep, ct.length - 1)));
            await(alice.sendPrivate("bob", "cut to " + keep));
            b.undecryptable();
        }
        sessionStillWorks("whole");
    }

    @Test
    void aReplayedEnvelopeIsRejectedOnce() throws Exception {
        for (int round = 0; round < 2; round++) {
            fx.outbound = m -> m instanceof Envelope e && e.senderId() == 1 ? List.of(m, m) : List.of(m);
            await(alice.sendPrivate("bob", "once " + round));
            assertEquals("once " + round, b.message().text());
            b.undecryptable();
            honest();
            await(bob.sendPrivate("alice", "ok " + round));
            assertEquals("ok " + round, a.message().text());
        }
        sessionStillWorks("after replays");
    }

    @Test
    void reorderedAndDroppedEnvelopesStillDecrypt() throws Exception {
        await(alice.sendPrivate("bob", "setup"));
        assertEquals("setup", b.message().text());
        AtomicReference<Message> held = new AtomicReference<>();
        fx.outbound = m -> {
            if (m instanceof Envelope e && e.senderId() == 1) {
                if (held.get() == null) {
                    held.set(m);
                    return List.of();
                }
                Message first = held.getAndSet(null);
                return List.of(m, first);
            }
            return List.of(m);
        };
        await(alice.sendPrivate("bob", "one"));
        await(alice.sendPrivate("bob", "two"));
        assertEquals("two", b.message().text());
        assertEquals("one", b.message().text());

        AtomicInteger drop = new AtomicInteger(1);
        fx.outbound = m -> m instanceof Envelope e && e.senderId() == 1 && drop.getAndDecrement() > 0
                ? List.of() : List.of(m);
        await(alice.sendPrivate("bob", "lost"));
        await(alice.sendPrivate("bob", "found"));
        assertEquals("found", b.message().text());
    }

    @Test
    void reattributedEnvelopesAreRejected() throws Exception {
        // The relay claims alice's message to bob came from carol (id 3).
        fx.outbound = m -> m instanceof Envelope e && e.senderId() == 1
                ? List.of(new Envelope(3, e.ciphertext())) : List.of(m);
        await(alice.sendPrivate("bob", "from alice, really"));
        assertEquals("carol", b.undecryptable().sender());
        honest();
        await(alice.sendPrivate("bob", "honest again"));
        assertEquals("honest again", b.message().text());
        // Also in the ratchet phase, after bob replied.
        await(bob.sendPrivate("alice", "hi"));
        assertEquals("hi", a.message().text());
        fx.outbound = m -> m instanceof Envelope e && e.senderId() == 1
                ? List.of(new Envelope(3, e.ciphertext())) : List.of(m);
        await(alice.sendPrivate("bob", "ratchet"));
        assertEquals("carol", b.undecryptable().sender());
        sessionStillWorks("fine");
    }

    @Test
    void misaddressedEnvelopesAreRejectedByTheWrongRecipient() throws Exception {
        // The relay delivers alice's envelopes for bob (id 2) to carol (id 3) instead.
        fx.inbound = m -> m instanceof SendToAccount s && s.recipient().equals("bob")
                ? List.of(new SendToAccount(s.requestId(), "carol", s.ciphertext())) : List.of(m);
        await(alice.sendPrivate("bob", "for bob only"));
        assertEquals("alice", c.undecryptable().sender());
        honest();
        await(carol.sendPrivate("alice", "carol's own"));
        assertEquals("carol's own", a.message().text());
    }

    @Test
    void aBundleWithABadSignatureIsRefusedAndNothingIsSent() throws Exception {
        fx.outbound = m -> {
            if (m instanceof PreKeyBundleResponse r) {
                byte[] bundle = r.bundle();
                bundle[1 + 128 + 4 + 32 + 5] ^= 1; // inside the signed pre-key's signature
                return List.of(new PreKeyBundleResponse(r.requestId(), r.clientId(), bundle));
            }
            return List.of(m);
        };
        // dave is new, so alice must fetch his bundle to reach him.
        ChatClient dave = fx.client("dave", new E2eEvents());
        Throwable t = assertThrows(ExecutionException.class,
                () -> alice.sendPrivate("dave", "never sent").get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(PeerKeysRejectedException.class, t);
        assertEquals(0, envelopesTo(4), "no envelope to dave ever left anyone");
        honest();
        await(alice.sendPrivate("dave", "with the real bundle"));
        assertTrue(envelopesTo(4) > 0);
        assertTrue(dave.isConnected());
    }

    @Test
    void aBundleOfTheRelaysOwnKeysIsRefusedAtFirstContact() throws Exception {
        byte[] mallorysBundle = mallorysBundle();
        fx.outbound = m -> m instanceof PreKeyBundleResponse r
                ? List.of(new PreKeyBundleResponse(r.requestId(), r.clientId(), mallorysBundle)) : List.of(m);
        fx.client("dave", new E2eEvents());
        Throwable t = assertThrows(ExecutionException.class,
                () -> alice.sendPrivate("dave", "never sent").get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(PeerKeysRejectedException.class, t, "the bundle does not bind the key announced for dave");
        assertEquals(0, envelopesTo(4), "nothing was encrypted to the relay's keys");
    }

    @Test
    void aKeySubstitutedForAKnownPeerIsCaughtAsAnIdentityChange() throws Exception {
        // dave already knows bob's identity (say from an earlier verified conversation), but has no session.
        IdentityKeyPair davesKeys = IdentityKeyPair.generate(new SecureRandom());
        InMemoryProtocolStore davesStore = new InMemoryProtocolStore(davesKeys);
        new TrustStore(davesStore).checkAndRemember("bob", bob.identityKey());
        // A relay that lies consistently: mallory's key in the roster and mallory's bundle for bob.
        IdentityKeyPair mallory = IdentityKeyPair.generate(new SecureRandom());
        byte[] mallorysBundle = bundleOf(mallory);
        byte[] mallorysNoiseKey = mallory.publicKey().agreementKey();
        fx.outbound = m -> {
            if (m instanceof ClientList l) {
                List<ClientInfo> lied = new ArrayList<>();
                for (ClientInfo i : l.clients()) {
                    lied.add(i.nickname().equals("bob") ? new ClientInfo(i.clientId(), "bob", mallorysNoiseKey) : i);
                }
                return List.of(new ClientList(l.requestId(), lied));
            }
            if (m instanceof Joined j && j.client().nickname().equals("bob")) {
                return List.of(new Joined(new ClientInfo(j.client().clientId(), "bob", mallorysNoiseKey)));
            }
            if (m instanceof PreKeyBundleResponse r) {
                return List.of(new PreKeyBundleResponse(r.requestId(), r.clientId(), mallorysBundle));
            }
            return List.of(m);
        };
        int envelopesBefore = envelopesTo(2);
        E2eEvents d = new E2eEvents();
        ChatClient dave = fx.client("dave", davesStore, d);
        Throwable t = assertThrows(ExecutionException.class,
                () -> dave.sendPrivate("bob", "for the real bob").get(10, TimeUnit.SECONDS)).getCause();
        PeerIdentityChangedException change = assertInstanceOf(PeerIdentityChangedException.class, t);
        assertEquals(bob.identityKey().fingerprint(), change.previousFingerprint());
        assertEquals(mallory.publicKey().fingerprint(), change.newFingerprint());
        assertInstanceOf(PeerIdentityChangedException.class, d.next("identity").value());
        assertEquals(envelopesBefore, envelopesTo(2), "nothing was encrypted to mallory");
        assertFalse(await(dave.peerIdentity("bob")).pendingFingerprint().isEmpty());
    }

    private static byte[] mallorysBundle() {
        return bundleOf(IdentityKeyPair.generate(new SecureRandom()));
    }

    private static byte[] bundleOf(IdentityKeyPair identity) {
        InMemoryProtocolStore store = new InMemoryProtocolStore(identity);
        PreKeyUpload upload = PreKeys.prepareUpload(store, 1, 1, Clock.systemUTC(), new SecureRandom());
        return upload.bundle(upload.oneTimePreKeys().get(0), upload.oneTimeKemPreKeys().get(0)).encode();
    }

    private int envelopesTo(int recipientId) throws Exception {
        String[] names = {null, "alice", "bob", "carol", "dave"};
        return (int) fx.messagesSeen().stream()
                .filter(m -> m instanceof SendEnvelope s && s.recipientId() == recipientId
                        || m instanceof SendToAccount a && recipientId < names.length
                                && a.recipient().equals(names[recipientId])).count();
    }
}
