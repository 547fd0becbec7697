package io.securecomm.internal.netty;

import static io.securecomm.internal.netty.E2eRelayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.RoomPolicy;
import io.securecomm.client.SafetyNumberMismatchException;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.SessionCipher;
import io.securecomm.internal.client.PairwisePlaintext;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.Message;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks on how trust is bound to peers, over a real relay whose pipeline the test controls: a newcomer that
 * takes a verified peer's name in another letter case, a relay that forges an identity change or swaps the
 * pending key while the user compares numbers, and a relay that announces a member of its own to read the room.
 * The user's view must show a warning or a refusal, never the forged text and never a silent re-pin.
 */
@Timeout(60)
class TrustBindingOverRelayTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private E2eRelayFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new E2eRelayFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void aVerifiedPeersNameInAnotherCaseIsRefusedNotRepinned() throws Exception {
        E2eEvents a = new E2eEvents();
        ChatClient alice = fx.client("alice", a);
        ChatClient bob = fx.client("bob", new E2eEvents());
        a.roomKeys(1);
        String bobsFingerprint = bob.identityKey().fingerprint();
        await(alice.peerIdentity("bob"));
        await(alice.markVerified("bob"));
        bob.close();
        a.next("leave");

        // While the verified bob is offline, a newcomer takes "Bob".
        fx.releaseAccount("bob"); // a relay whose operator released bob's account (#16), or a hostile one
        ChatClient impostor = fx.client("Bob", new E2eEvents());
        int impostorId = idOf(alice, "Bob");
        PeerIdentityChangedException warning = assertInstanceOf(PeerIdentityChangedException.class,
                a.next("identity").value(), "joining under a verified name is an identity change");
        assertEquals(bobsFingerprint, warning.previousFingerprint());
        assertEquals(impostor.identityKey().fingerprint(), warning.newFingerprint());
        for (String name : List.of("bob", "Bob", "BOB")) {
            Throwable t = assertThrows(ExecutionException.class,
                    () -> alice.sendPrivate(name, "for bob only").get(10, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(PeerIdentityChangedException.class, t, name);
        }
        PeerIdentity stillBob = await(alice.peerIdentity("BOB"));
        assertEquals(bobsFingerprint, stillBob.fingerprint());
        assertTrue(stillBob.verified());
        assertEquals(0, envelopesTo(impostorId), "neither the room key nor a message went to the newcomer");
    }

    @Test
    void aForgedIdentityChangeIsReportedAndBlocksNothing() throws Exception {
        AtomicReference<byte[]> alicesUpload = captureUpload();
        E2eEvents a = new E2eEvents();
        E2eEvents b = new E2eEvents();
        ChatClient alice = fx.client("alice", a);
        ChatClient bob = fx.client("bob", b);
        a.roomKeys(1);
        b.roomKeys(1);
        int bobId = idOf(alice, "bob");

        // The relay claims bob has a new key, with a pre-key message it cannot complete.
        byte[] forged = preKeyMessageFromANewKey(alicesUpload.get(), "bob", "alice", "bob's new phone");
        forged[forged.length - 1] ^= 1;
        fx.inject(idOf(bob, "alice"), new Envelope(bobId, forged));
        UndecryptableMessageException refused = a.undecryptable();
        assertEquals("bob", refused.sender());
        assertFalse(await(alice.peerIdentity("bob")).pendingFingerprint().isPresent(), "nothing was recorded");
        await(alice.sendPrivate("bob", "still talking to you"));
        assertEquals("still talking to you", b.strictMessage().text());
    }

    @Test
    void aKeySwappedWhileTheUserComparesNumbersIsNotAccepted() throws Exception {
        AtomicReference<byte[]> alicesUpload = captureUpload();
        E2eEvents a = new E2eEvents();
        ChatClient alice = fx.client("alice", a);
        ChatClient bob = fx.client("bob", new E2eEvents());
        a.roomKeys(1);
        await(alice.sendPrivate("bob", "hello"));
        String oldFingerprint = bob.identityKey().fingerprint();
        bob.close();
        a.next("leave");

        // Bob comes back on a new phone and writes (his old account released, #16); alice is warned and starts
        // comparing this number.
        fx.releaseAccount("bob");
        E2eEvents b2 = new E2eEvents();
        ChatClient newBob = fx.client("bob", b2);
        await(newBob.sendPrivate("alice", "new phone, same bob"));
        PeerIdentityChangedException first = assertInstanceOf(PeerIdentityChangedException.class,
                a.next("identity").value());
        assertEquals(newBob.identityKey().fingerprint(), first.newFingerprint());
        SafetyNumber compared = SafetyNumber.parse(first.safetyNumber());

        // Meanwhile the relay presents a key of its own for bob, with a message that authenticates.
        int newBobId = idOf(alice, "bob");
        fx.inject(idOf(newBob, "alice"), new Envelope(newBobId,
                preKeyMessageFromANewKey(alicesUpload.get(), "bob", "alice", "no, I am bob")));
        // (The new bob's room key, also under his new key, may bring the first warning again meanwhile.)
        PeerIdentityChangedException second;
        do {
            second = assertInstanceOf(PeerIdentityChangedException.class, a.next("identity", "message").value());
        } while (second.newFingerprint().equals(first.newFingerprint()));
        assertNotEquals(newBob.identityKey().fingerprint(), second.newFingerprint());

        // Accepting binds to the number the user compared: the relay's key is not accepted in its place.
        assertInstanceOf(SafetyNumberMismatchException.class, assertThrows(ExecutionException.class,
                () -> alice.trustNewIdentity("bob", compared).get(10, TimeUnit.SECONDS)).getCause());
        PeerIdentity now = await(alice.peerIdentity("bob"));
        assertEquals(oldFingerprint, now.fingerprint(), "nothing was accepted");
        assertEquals(second.newFingerprint(), now.pendingFingerprint().orElseThrow());
        // The user rejects the change; nothing the relay wrote was ever shown.
        assertTrue(await(alice.rejectNewIdentity("bob")));
        assertFalse(await(alice.peerIdentity("bob")).pendingFingerprint().isPresent());
        a.assertNoMessage();
    }

    @Test
    void underTheVerifiedRoomPolicyAMemberTheRelayAddsReadsNothing() throws Exception {
        E2eEvents a = new E2eEvents();
        ChatClient alice = fx.client("alice", a, o -> o.roomPolicy(RoomPolicy.VERIFIED));
        E2eEvents b = new E2eEvents();
        fx.client("bob", b);
        assertEquals("bob", ((OnlineClient) a.next("withheld").value()).nickname());
        // Alice compares safety numbers with bob; only then does he get her room key.
        await(alice.peerIdentity("bob"));
        await(alice.markVerified("bob"));
        PeerIdentity shared = (PeerIdentity) a.next("shared").value();
        assertEquals("bob", shared.peer());
        assertTrue(shared.verified());

        // The relay announces a member of its own.
        E2eEvents m = new E2eEvents();
        ChatClient mallory = fx.client("mallory", m);
        assertEquals("mallory", ((OnlineClient) a.next("withheld").value()).nickname());
        await(alice.sendPublic("for verified eyes only"));
        assertEquals("for verified eyes only", b.strictMessage().text());
        int malloryId = idOf(alice, "mallory");
        for (Message msg : fx.messagesSeen()) {
            if (msg instanceof SendRoomEnvelope r) {
                assertFalse(Arrays.stream(r.recipientIds()).anyMatch(id -> id == malloryId), "listed for mallory");
            }
        }
        // A private message from alice comes after anything she sent mallory before: no room key, no room text.
        await(alice.sendPrivate("mallory", "ping"));
        while (true) {
            E2eEvents.Event e = m.next("message", "roomkey", "undecryptable");
            assertFalse(e.kind().equals("roomkey") && ((OnlineClient) e.value()).nickname().equals("alice"),
                    "mallory got alice's room key");
            if (e.value() instanceof ChatMessage cm && cm.text().equals("ping")) {
                break;
            }
            assertFalse(e.value() instanceof ChatMessage cm && cm.text().equals("for verified eyes only"));
        }
        assertTrue(mallory.isConnected());
    }

    @Test
    void underTheEveryoneRoomPolicyEachHandOutShowsTheMembersFingerprint() throws Exception {
        E2eEvents a = new E2eEvents();
        fx.client("alice", a);
        ChatClient mallory = fx.client("mallory", new E2eEvents());
        PeerIdentity shared = (PeerIdentity) a.next("shared").value();
        assertEquals("mallory", shared.peer());
        assertEquals(mallory.identityKey().fingerprint(), shared.fingerprint());
        assertFalse(shared.verified());
    }

    /** Records alice's (the first client's) pre-key upload as the relay receives it. */
    private AtomicReference<byte[]> captureUpload() {
        AtomicReference<byte[]> upload = new AtomicReference<>();
        fx.inbound = msg -> {
            if (msg instanceof UploadPreKeys u) {
                upload.compareAndSet(null, u.preKeys());
            }
            return List.of(msg);
        };
        return upload;
    }

    /**
     * A pre-key message that a key the relay made itself sends as {@code from} to {@code to}, from the bundle of
     * {@code to}'s upload: chat text as the client layer frames it (kind byte 0x01).
     */
    private static byte[] preKeyMessageFromANewKey(byte[] upload, String from, String to, String text)
            throws Exception {
        SessionCipher mallory = new SessionCipher(new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)), from,
                to, RANDOM);
        mallory.processPreKeyBundle(PreKeyUpload.decode(upload).bundle(null, null));
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] plaintext = new byte[1 + body.length];
        plaintext[0] = (byte) PairwisePlaintext.KIND_TEXT;
        System.arraycopy(body, 0, plaintext, 1, body.length);
        return mallory.encrypt(plaintext);
    }

    private static int idOf(ChatClient viewer, String nickname) throws Exception {
        return await(viewer.list()).stream().filter(c -> c.nickname().equals(nickname)).findFirst().orElseThrow()
                .clientId();
    }

    private int envelopesTo(int recipientId) throws Exception {
        return (int) fx.messagesSeen().stream()
                .filter(msg -> msg instanceof SendEnvelope s && s.recipientId() == recipientId).count();
    }
}
