package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Random input only ever yields the decoders' own checked exceptions; encodings round-trip. */
class DecoderPropertiesTest {

    interface Decoder {
        Object decode(byte[] b) throws E2eException;
    }

    private static void onlyOwnExceptions(byte[] input, Decoder d) {
        try {
            d.decode(input);
        } catch (E2eException expected) {
            // the decoder's own, specific, checked exception
        }
    }

    @Provide
    Arbitrary<byte[]> messageLike() {
        // Mostly start with a valid version and type, so the parsers get past the first bytes.
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(400).map(b -> {
            if (b.length >= 2 && (b[0] & 1) == 0) {
                b[0] = 1;
                b[1] = (byte) (1 + Math.floorMod(b[1], 4));
            }
            return b;
        });
    }

    @Property(tries = 300)
    void decodersThrowOnlyTheirOwnExceptions(@ForAll("messageLike") byte[] input) {
        onlyOwnExceptions(input, RatchetMessage::decode);
        onlyOwnExceptions(input, PreKeyMessage::decode);
        onlyOwnExceptions(input, PreKeyBundle::decode);
        onlyOwnExceptions(input, PreKeyUpload::decode);
        onlyOwnExceptions(input, IdentityKey::decode);
        onlyOwnExceptions(input, SenderKeyDistribution::decode);
        onlyOwnExceptions(input, SenderKeyState::chainIdOf);
    }

    @Property(tries = 100)
    void sessionCipherAndGroupCipherRejectRandomInputWithTheirOwnExceptions(@ForAll("messageLike") byte[] input) {
        Party bob = SHARED_BOB;
        onlyOwnExceptions(input, b -> bob.to("alice").decrypt(b));
        onlyOwnExceptions(input, b -> SHARED_ROOM.decrypt("alice", b));
    }

    private static final Party SHARED_BOB = new Party("bob");
    private static final GroupCipher SHARED_ROOM = new GroupCipher(PendingRoomMessages.defaults(Party.CLOCK),
            Party.RANDOM);

    @Property(tries = 200)
    void ratchetMessageRoundTrip(@ForAll @Size(32) byte[] dh, @ForAll int pn, @ForAll int n,
            @ForAll @Size(min = 16, max = 200) byte[] ct) throws Exception {
        dh[31] &= 0x3f; // canonical: below 2^255 - 19
        RatchetMessage m = new RatchetMessage(dh, pn, n, ct);
        RatchetMessage back = RatchetMessage.decode(m.encode());
        assertEquals(m, back);
        assertEquals(pn, back.pn());
        assertEquals(n, back.n());
        assertArrayEquals(ct, back.ciphertext());
    }

    @Property(tries = 50)
    void preKeyMessageRoundTrip(@ForAll @Size(32) byte[] ek, @ForAll int spk, @ForAll boolean hasOpk, @ForAll int opk,
            @ForAll int kem, @ForAll @Size(1568) byte[] kemCiphertext,
            @ForAll @Size(min = 16, max = 100) byte[] ct) throws Exception {
        ek[31] &= 0x3f;
        RatchetMessage inner = new RatchetMessage(ek, 0, 0, ct);
        PreKeyMessage m = new PreKeyMessage(SHARED_BOB.identity(), ek, spk,
                hasOpk ? OptionalInt.of(opk) : OptionalInt.empty(), kem, kemCiphertext, inner);
        assertEquals(m, PreKeyMessage.decode(m.encode()));
    }
}
