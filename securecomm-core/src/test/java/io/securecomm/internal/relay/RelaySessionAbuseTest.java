package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.PublicPreKey;
import io.securecomm.internal.limits.Cost;
import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's relay-side attacks, each written as the attack against sessions driven by the {@link RelayHarness}:
 * invalid pre-key uploads handed out to others (point 8), forged first messages burying a recipient (point 2), and
 * the cost model that lets the limits bound work rather than messages (point 1).
 */
class RelaySessionAbuseTest {
    private final SecureRandom random = new SecureRandom();
    private final RelayHarness relay = new RelayHarness(RelayOptions.builder());

    private Conn admitted(String nickname, IdentityKeyPair id) {
        return relay.admit(relay.established(id.publicKey().agreementKey(), ProtocolExtension.NONE), nickname);
    }

    /** The answer to a request, skipping the notices (Joined, PreKeyCount) in between. */
    private static Message answer(Conn c) {
        for (Message m = c.next(); m != null; m = c.next()) {
            if (m instanceof PreKeyBundleResponse || m instanceof ErrorReply || m instanceof Delivered) {
                return m;
            }
        }
        throw new AssertionError("no answer");
    }

    // ---------------------------------------------------------------- point 8: pre-key uploads are validated

    /** A valid upload of this identity with its one-time pre-keys replaced. */
    private static byte[] withOneTimeKeys(PreKeyUpload valid, List<PublicPreKey> keys) {
        return new PreKeyUpload(valid.identity(), valid.signedPreKey(), valid.lastResortKemPreKey(), keys,
                valid.oneTimeKemPreKeys()).encode();
    }

    private static byte[] key(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void invalidPreKeyUploadsAreRefusedAndNeverHandedOut() throws Exception {
        IdentityKeyPair malloryId = IdentityKeyPair.generate(random);
        Conn mallory = admitted("mallory", malloryId);
        Conn bob = admitted("bob", IdentityKeyPair.generate(random));
        PreKeyUpload valid = PreKeys.prepareUpload(new InMemoryProtocolStore(malloryId), 2, 0, Clock.systemUTC(),
                random);
        byte[] good = valid.oneTimePreKeys().get(0).publicKey();
        byte[] lowOrder = key("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        byte[] nonCanonical = key("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        List<byte[]> attacks = List.of(
                withOneTimeKeys(valid, List.of(new PublicPreKey(5, good), new PublicPreKey(5, good))),
                withOneTimeKeys(valid, List.of(new PublicPreKey(0, good))),
                withOneTimeKeys(valid, List.of(new PublicPreKey(-1, good))),
                withOneTimeKeys(valid, List.of(new PublicPreKey(6, new byte[32]))),
                withOneTimeKeys(valid, List.of(new PublicPreKey(7, lowOrder))),
                withOneTimeKeys(valid, List.of(new PublicPreKey(8, nonCanonical))),
                Arrays.copyOf(valid.encode(), valid.encode().length - 1),
                Arrays.copyOf(valid.encode(), valid.encode().length + 36));
        long id = 20;
        for (byte[] attack : attacks) {
            mallory.send(new UploadPreKeys(id, attack));
            ErrorReply e = assertInstanceOf(ErrorReply.class, answer(mallory), "upload " + id);
            assertEquals(id, e.requestId());
            assertEquals(ErrorCode.INVALID_PRE_KEYS, e.code(), e.toString());
            assertTrue(e.detail().startsWith("pre-keys refused: "), e.detail());
            id++;
        }
        // The answer is PROTOCOL.md's golden example error_reply_invalid_pre_keys.
        mallory.send(new UploadPreKeys(12, withOneTimeKeys(valid,
                List.of(new PublicPreKey(7, good), new PublicPreKey(7, good)))));
        assertEquals(new ErrorReply(12, ErrorCode.INVALID_PRE_KEYS,
                "pre-keys refused: one-time pre-key id 7 appears twice"), answer(mallory));
        // Nothing was stored: a request for mallory's bundle waits for a first (valid) upload.
        bob.send(new PreKeyBundleRequest(1, 1));
        assertTrue(bob.drain().stream().noneMatch(m -> m instanceof PreKeyBundleResponse));

        // A valid upload, then one that repeats an id the relay still holds.
        mallory.send(new UploadPreKeys(id, valid.encode()));
        assertEquals(new Delivered(id), answer(mallory));
        PreKeyBundle bundle = PreKeyBundle.decode(((PreKeyBundleResponse) answer(bob)).bundle());
        int handedOut = bundle.oneTime().orElseThrow().id();
        int stillHeld = valid.oneTimePreKeys().stream().mapToInt(PublicPreKey::id).filter(k -> k != handedOut)
                .findFirst().orElseThrow();
        mallory.send(new UploadPreKeys(++id, withOneTimeKeys(valid, List.of(new PublicPreKey(stillHeld, good)))));
        ErrorReply repeat = assertInstanceOf(ErrorReply.class, answer(mallory));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, repeat.code());
        assertTrue(repeat.detail().contains("already published"), repeat.detail());
    }

    @Test
    void aSignedPreKeyOfSmallOrderIsRefused() throws Exception {
        IdentityKeyPair malloryId = IdentityKeyPair.generate(random);
        Conn mallory = admitted("mallory", malloryId);
        PreKeyUpload valid = PreKeys.prepareUpload(new InMemoryProtocolStore(malloryId), 0, 0, Clock.systemUTC(),
                random);
        byte[] encoded = valid.encode();
        Arrays.fill(encoded, 1 + 128 + 4, 1 + 128 + 4 + 32, (byte) 0); // the signed pre-key: all zeros
        mallory.send(new UploadPreKeys(1, encoded));
        ErrorReply e = assertInstanceOf(ErrorReply.class, answer(mallory));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, e.code());
        assertTrue(e.detail().contains("small order"), e.detail());
    }

    // ---------------------------------------------------------------- point 2: forged first messages

    /** A forged pre-key message: the public header of one, then bytes that will not authenticate. */
    private static byte[] forgedPreKeyMessage(int i) {
        byte[] b = new byte[300];
        b[0] = 0x01;
        b[1] = 0x02;
        b[2] = (byte) i;
        return b;
    }

    @Test
    void manySendersCannotBuryOneRecipientInSessionStarts() throws Exception {
        Conn victim = admitted("victim", IdentityKeyPair.generate(random));
        List<Conn> attackers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            attackers.add(relay.admitted("mallory" + i, 100 + i));
        }
        victim.drain();
        int perAttacker = 20;
        int refused = 0;
        for (Conn a : attackers) {
            a.drain();
            for (int i = 1; i <= perAttacker; i++) {
                a.send(new SendEnvelope(i, 1, forgedPreKeyMessage(i)));
                Message m = answer(a);
                if (m instanceof ErrorReply e) {
                    assertEquals(ErrorCode.RATE_LIMITED, e.code());
                    assertTrue(e.detail().contains("session-starting"), e.detail());
                    refused++;
                }
            }
        }
        long received = victim.drain().stream().filter(m -> m instanceof Envelope).count();
        long bound = 64L * SessionStarts.RESERVED_PER_SENDER + SessionStarts.SHARED_BURST;
        assertTrue(received <= bound, "the victim was handed " + received + " session starts, bound " + bound);
        assertEquals(64L * perAttacker - received, refused);

        // An honest sender's first session start still gets through, however many were refused before it.
        Conn alice = admitted("alice", IdentityKeyPair.generate(random));
        alice.send(new SendEnvelope(1, 1, forgedPreKeyMessage(0)));
        assertEquals(new Delivered(1), answer(alice));
        // Messages of an established session (RatchetMessage, type 1) are not session starts: never counted.
        for (int i = 2; i < 100; i++) {
            byte[] ratchet = forgedPreKeyMessage(i);
            ratchet[1] = 0x01;
            attackers.get(0).send(new SendEnvelope(1000 + i, 1, ratchet));
            assertEquals(new Delivered(1000 + i), answer(attackers.get(0)));
        }
        // The shared allowance refills with time.
        relay.advance(Duration.ofSeconds(1));
        attackers.get(1).send(new SendEnvelope(5000, 1, forgedPreKeyMessage(1)));
        assertEquals(new Delivered(5000), answer(attackers.get(1)));
    }

    // ---------------------------------------------------------------- point 1: the cost model

    private Cost cost(Message m) {
        return relay.relay.costs().of(m);
    }

    @Test
    void anUploadWhoseSignedPreKeyWasVerifiedBeforeCostsNoVerification() throws Exception {
        IdentityKeyPair id = IdentityKeyPair.generate(random);
        Conn c = admitted("carol", id);
        byte[] upload = PreKeys.prepareUpload(new InMemoryProtocolStore(id), 0, 0, Clock.systemUTC(), random).encode();
        Cost first = cost(new UploadPreKeys(1, upload));
        assertTrue(first.upload());
        assertTrue(first.workMicros() >= CostModel.VERIFY_MICROS, first.toString());
        c.send(new UploadPreKeys(1, upload));
        assertEquals(new Delivered(1), answer(c));
        Cost again = cost(new UploadPreKeys(2, upload));
        assertTrue(again.workMicros() < CostModel.VERIFY_MICROS / 10, again.toString());
        assertFalse(relay.relay.preKeys().needsVerification(upload));
        // The memory is of the exact signature: a flipped signature bit is verified, and refused.
        byte[] forged = upload.clone();
        forged[1 + 128 + 4 + 32 + 5] ^= 1;
        assertTrue(relay.relay.preKeys().needsVerification(forged));
        c.send(new UploadPreKeys(3, forged));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, ((ErrorReply) answer(c)).code());
    }

    @Test
    void aRoomEnvelopeCostsItsSizeTimesItsRecipients() {
        UnaryOperator<int[]> same = r -> r;
        int[] one = {2};
        int[] thirtySix = new int[36];
        for (int i = 0; i < thirtySix.length; i++) {
            thirtySix[i] = i + 2;
        }
        long small = cost(new SendRoomEnvelope(1, same.apply(one), new byte[1024])).workMicros();
        long wide = cost(new SendRoomEnvelope(1, thirtySix, new byte[1024])).workMicros();
        long wideAndBig = cost(new SendRoomEnvelope(1, thirtySix, new byte[8192])).workMicros();
        assertTrue(wide >= 30 * (small - CostModel.MESSAGE_MICROS - CostModel.PER_KIB_MICROS),
                small + " us to one, " + wide + " us to 36");
        assertTrue(wideAndBig >= 4 * wide, wide + " us at 1 KiB, " + wideAndBig + " us at 8 KiB");
        // Issue 22's fan-out attack: 8 KiB to 36 members costs more than 200 pings.
        assertTrue(wideAndBig > 200 * cost(new Ping(1)).workMicros());
    }
}
