package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeys;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Left;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The relay's end-to-end routing with {@link EmbeddedChannel}s: pre-keys, bundles, envelopes, errors. */
class RelayEnvelopesTest {
    private final SecureRandom random = new SecureRandom();
    private final RelayContext relay = new RelayContext(RelayOptions.builder().maxClients(4).build());

    /** An admitted connection whose Noise key is the X25519 key of {@code id}. */
    private EmbeddedChannel admitted(String nickname, IdentityKeyPair id) {
        EmbeddedChannel ch = new EmbeddedChannel(new RelayHandler(relay));
        ch.pipeline().fireUserEventTriggered(new NoiseHandler.Established(id.publicKey().agreementKey(), new byte[32]));
        ch.writeInbound(new ClientHello(nickname, "test/1"));
        assertInstanceOf(Welcome.class, ch.readOutbound());
        return ch;
    }

    private byte[] upload(IdentityKeyPair id, int oneTime) {
        return PreKeys.prepareUpload(new InMemoryProtocolStore(id), oneTime, Clock.systemUTC(), random).encode();
    }

    private static Message next(EmbeddedChannel ch) {
        ch.runPendingTasks();
        return ch.readOutbound();
    }

    @Test
    void preKeysArePublishedAndHandedOutOneBundleAtATime() throws Exception {
        IdentityKeyPair aliceId = IdentityKeyPair.generate(random);
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        EmbeddedChannel alice = admitted("alice", aliceId);
        EmbeddedChannel bob = admitted("bob", bobId);
        assertInstanceOf(Joined.class, next(alice));
        bob.writeInbound(new UploadPreKeys(1, upload(bobId, 2)));
        assertEquals(new Delivered(1), next(bob));

        alice.writeInbound(new PreKeyBundleRequest(5, 2));
        PreKeyBundleResponse r = assertInstanceOf(PreKeyBundleResponse.class, next(alice));
        assertEquals(5, r.requestId());
        PreKeyBundle b = PreKeyBundle.decode(r.bundle());
        assertEquals(bobId.publicKey(), b.identity());
        assertTrue(b.oneTime().isPresent());
        assertEquals(new PreKeyCount(1), next(bob), "the owner learns how many are left");
    }

    @Test
    void badUploadsAndUnknownClientsAreRefusedWithSpecificCodes() {
        IdentityKeyPair aliceId = IdentityKeyPair.generate(random);
        EmbeddedChannel alice = admitted("alice", aliceId);
        // An upload of someone else's identity: it does not bind alice's Noise key.
        alice.writeInbound(new UploadPreKeys(1, upload(IdentityKeyPair.generate(random), 1)));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, ((ErrorReply) next(alice)).code());
        alice.writeInbound(new UploadPreKeys(2, new byte[] {1, 2, 3}));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, ((ErrorReply) next(alice)).code());
        assertTrue(alice.isOpen(), "a refused upload does not end the session");
        alice.writeInbound(new PreKeyBundleRequest(3, 99));
        assertEquals(new ErrorReply(3, ErrorCode.UNKNOWN_RECIPIENT, "no client with id 99 is online"), next(alice));
        alice.writeInbound(new SendEnvelope(4, 99, new byte[] {1}));
        assertEquals(ErrorCode.UNKNOWN_RECIPIENT, ((ErrorReply) next(alice)).code());
    }

    @Test
    void aBundleOfALegacySuiteClientIsRefusedAtOnceInsteadOfAwaited() {
        EmbeddedChannel alice = admitted("alice", IdentityKeyPair.generate(random));
        // A legacy-suite connection: its Established event carries the toy's 4-byte DH value, not an X25519 key.
        EmbeddedChannel toy = new EmbeddedChannel(new RelayHandler(relay));
        toy.pipeline().fireUserEventTriggered(NoiseHandler.Established.insecureLegacy(new byte[] {1, 2, 3, 4}));
        toy.writeInbound(new ClientHello("toy", "test/1"));
        Welcome welcome = assertInstanceOf(Welcome.class, toy.readOutbound());
        assertInstanceOf(Joined.class, next(alice));

        alice.writeInbound(new PreKeyBundleRequest(7, welcome.clientId()));
        ErrorReply refused = assertInstanceOf(ErrorReply.class, alice.readOutbound(), "answered now, not later");
        assertEquals(7, refused.requestId());
        assertEquals(ErrorCode.NO_PRE_KEYS, refused.code());
        assertTrue(refused.detail().contains("legacy suite"), refused.detail());
    }

    @Test
    void aBundleRequestWaitsForTheOwnersFirstUploadOrItsDeparture() throws Exception {
        IdentityKeyPair aliceId = IdentityKeyPair.generate(random);
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        EmbeddedChannel alice = admitted("alice", aliceId);
        EmbeddedChannel bob = admitted("bob", bobId);
        next(alice); // Joined(bob)
        alice.writeInbound(new PreKeyBundleRequest(7, 2));
        assertNull(next(alice), "waits");
        bob.writeInbound(new UploadPreKeys(1, upload(bobId, 1)));
        assertEquals(7, assertInstanceOf(PreKeyBundleResponse.class, next(alice)).requestId());

        EmbeddedChannel carol = admitted("carol", IdentityKeyPair.generate(random));
        next(alice); // Joined(carol)
        alice.writeInbound(new PreKeyBundleRequest(8, 3));
        assertNull(next(alice));
        carol.close();
        assertEquals(new ErrorReply(8, ErrorCode.RECIPIENT_GONE, "client 3 left before publishing pre-keys"),
                next(alice), "the requester learns the owner left, not that it has no keys");
        assertInstanceOf(Left.class, next(alice));
    }

    @Test
    void envelopesAreForwardedUnchangedWithTheSendersId() {
        EmbeddedChannel alice = admitted("alice", IdentityKeyPair.generate(random));
        EmbeddedChannel bob = admitted("bob", IdentityKeyPair.generate(random));
        EmbeddedChannel carol = admitted("carol", IdentityKeyPair.generate(random));
        next(alice);
        next(alice);
        next(bob);
        byte[] ct = {1, 2, 3, 4, 5};
        alice.writeInbound(new SendEnvelope(9, 2, ct));
        Envelope e = assertInstanceOf(Envelope.class, next(bob));
        assertEquals(1, e.senderId());
        assertArrayEquals(ct, e.ciphertext());
        assertEquals(new Delivered(9), next(alice));
        assertNull(next(carol));

        alice.writeInbound(new SendRoomEnvelope(10, new int[] {2, 3}, ct));
        assertEquals(new RoomEnvelope(1, ct), next(bob));
        assertEquals(new RoomEnvelope(1, ct), next(carol));
        assertEquals(new Delivered(10), next(alice));
        assertNull(next(alice), "never back to the sender");

        // Only to the members the sender listed (those it holds a key for); itself and ids gone are skipped.
        alice.writeInbound(new SendRoomEnvelope(11, new int[] {3, 1, 99}, ct));
        assertEquals(new RoomEnvelope(1, ct), next(carol));
        assertNull(next(bob), "bob was not listed: a member the sender did not know of yet");
        assertEquals(new Delivered(11), next(alice));
        assertNull(next(alice), "never back to the sender, even when listed");
        alice.writeInbound(new SendRoomEnvelope(12, new int[0], ct));
        assertEquals(new Delivered(12), next(alice), "a room of one is delivered at once");
    }
}
