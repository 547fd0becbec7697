package io.securecomm.e2e;

import static io.securecomm.e2e.Party.str;
import static io.securecomm.e2e.Party.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sender-key chain: signatures, tampering, replays, reordering within the bound, forward secrecy. */
class SenderKeyStateTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void roundTripAndReorderingWithinTheBound() throws Exception {
        SenderKeyState sender = SenderKeyState.newSendingChain(RANDOM);
        SenderKeyState receiver;
        try (SenderKeyDistribution d = SenderKeyDistribution.decode(sender.distribution().encode())) {
            receiver = SenderKeyState.fromDistribution(d);
        }
        List<Integer> order = new ArrayList<>();
        List<byte[]> msgs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            msgs.add(sender.encrypt(utf8("m" + i)));
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        for (int i : order) {
            assertEquals("m" + i, str(receiver.decrypt(msgs.get(i))));
            int j = i;
            assertThrows(DuplicateMessageException.class, () -> receiver.decrypt(msgs.get(j)));
        }
        assertEquals(0, receiver.skippedKeyCount(), "every key used once and deleted");
    }

    @Test
    void signaturesAreCheckedBeforeDecryptionAndEveryBitFlipFails() throws Exception {
        SenderKeyState sender = SenderKeyState.newSendingChain(RANDOM);
        SenderKeyState receiver = SenderKeyState.fromDistribution(sender.distribution());
        byte[] m = sender.encrypt(utf8("signed"));
        for (int bit = 0; bit < m.length * 8; bit++) {
            byte[] t = m.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                receiver.decrypt(t);
                fail("bit " + bit + " flipped yet accepted");
            } catch (InvalidSignatureException | InvalidEncodingException expected) {
                // the signature covers every byte; a changed type or chain id is refused as encoding
            }
        }
        for (int len = 0; len < m.length; len++) {
            byte[] t = Arrays.copyOf(m, len);
            assertThrows(E2eException.class, () -> receiver.decrypt(t));
        }
        assertEquals("signed", str(receiver.decrypt(m)));
    }

    @Test
    void aMessageSignedWithAnotherKeyIsRefusedEvenWithTheRightChainKey() throws Exception {
        SenderKeyState sender = SenderKeyState.newSendingChain(RANDOM);
        SenderKeyDistribution real = sender.distribution();
        // A forger who learned the chain key (a member) but signs with its own key.
        SenderKeyState forgerView = SenderKeyState.fromDistribution(real);
        SenderKeyState forger = SenderKeyState.newSendingChain(RANDOM);
        byte[] forged = forger.encrypt(utf8("forged"));
        // Re-label the forger's message with the victim's chain id.
        byte[] relabelled = forged.clone();
        System.arraycopy(sender.encrypt(utf8("x")), 2, relabelled, 2, 4);
        assertThrows(InvalidSignatureException.class, () -> forgerView.decrypt(relabelled));
    }

    @Test
    void skipBoundAndStateUnchangedOnFailure() throws Exception {
        SenderKeyState sender = SenderKeyState.newSendingChain(RANDOM);
        SenderKeyState receiver = SenderKeyState.fromDistribution(sender.distribution());
        List<byte[]> msgs = new ArrayList<>();
        for (int i = 0; i <= SenderKeyState.MAX_SKIP + 1; i++) {
            msgs.add(sender.encrypt(utf8("m" + i)));
        }
        TooManySkippedMessagesException e = assertThrows(TooManySkippedMessagesException.class,
                () -> receiver.decrypt(msgs.get(SenderKeyState.MAX_SKIP + 1)));
        assertEquals(SenderKeyState.MAX_SKIP, e.limit());
        assertEquals(0, receiver.iteration());
        assertEquals("m" + SenderKeyState.MAX_SKIP, str(receiver.decrypt(msgs.get(SenderKeyState.MAX_SKIP))));
        assertEquals("m0", str(receiver.decrypt(msgs.get(0))));
        assertEquals("m" + (SenderKeyState.MAX_SKIP + 1), str(receiver.decrypt(msgs.get(SenderKeyState.MAX_SKIP + 1))));
    }

    @Test
    void forwardSecrecyOfTheChain() throws Exception {
        SenderKeyState sender = SenderKeyState.newSendingChain(RANDOM);
        SenderKeyState receiver = SenderKeyState.fromDistribution(sender.distribution());
        byte[] m0 = sender.encrypt(utf8("zero"));
        byte[] m1 = sender.encrypt(utf8("one"));
        SenderKeyState before = receiver.copy();
        receiver.decrypt(m0);
        receiver.decrypt(m1);
        SenderKeyState stolen = receiver.copy();
        assertThrows(DuplicateMessageException.class, () -> stolen.decrypt(m0));
        assertThrows(DuplicateMessageException.class, () -> stolen.decrypt(m1));
        assertEquals("zero", str(before.decrypt(m0)), "the earlier snapshot could: the test can fail");
        // A late joiner gets the current iteration and cannot read what came before.
        SenderKeyState joiner = SenderKeyState.fromDistribution(sender.distribution());
        assertThrows(DuplicateMessageException.class, () -> joiner.decrypt(m1));
        assertEquals("two", str(joiner.decrypt(sender.encrypt(utf8("two")))));
    }

    @Test
    void distributionEncodingIsStrictAndRedacted() throws Exception {
        SenderKeyState sender = SenderKeyState.newSendingChain(RANDOM);
        byte[] enc = sender.distribution().encode();
        assertEquals(SenderKeyDistribution.ENCODED_BYTES, enc.length);
        for (int len = 0; len < enc.length; len++) {
            byte[] t = Arrays.copyOf(enc, len);
            assertThrows(InvalidEncodingException.class, () -> SenderKeyDistribution.decode(t));
        }
        assertThrows(InvalidEncodingException.class, () -> SenderKeyDistribution.decode(Arrays.copyOf(enc,
                enc.length + 1)));
        String s = sender.distribution().toString();
        assertEquals(-1, s.indexOf(HexFormat.of().formatHex(enc, 10, 20)));
    }
}
