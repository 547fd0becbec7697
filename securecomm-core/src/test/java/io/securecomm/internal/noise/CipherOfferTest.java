package io.securecomm.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseCipher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The cipher offer of handshake message 1: its bytes, what it reads back, and what it refuses. */
class CipherOfferTest {
    @Test
    void anOfferOfAesGcmHasTheseBytes() {
        byte[] expected = {1, 1, 6, 'A', 'E', 'S', 'G', 'C', 'M'};
        assertArrayEquals(expected, CipherOffer.encode(List.of(NoiseCipher.AES_GCM)));
        assertArrayEquals(new byte[0], CipherOffer.encode(List.of()), "no offer is v1's empty payload");
    }

    @Property
    void everyOfferReadsBackAsWrittenWithoutRepeats(@ForAll("offers") List<NoiseCipher> offer) throws Exception {
        List<NoiseCipher> distinct = offer.stream().distinct().toList();
        assertEquals(distinct, CipherOffer.decode(CipherOffer.encode(offer)));
    }

    @Provide
    Arbitrary<List<NoiseCipher>> offers() {
        return Arbitraries.of(NoiseCipher.class).list().ofMaxSize(CipherOffer.MAX_CIPHERS);
    }

    @Property
    void namesThisVersionDoesNotKnowAreSkipped(@ForAll("names") List<String> names) throws Exception {
        List<byte[]> encoded = new ArrayList<>();
        List<NoiseCipher> known = new ArrayList<>();
        for (String name : names) {
            encoded.add(name.getBytes(StandardCharsets.US_ASCII));
            for (NoiseCipher cipher : NoiseCipher.values()) {
                if (cipher.specName().equals(name) && !known.contains(cipher)) {
                    known.add(cipher);
                }
            }
        }
        assertEquals(known, CipherOffer.decode(offer(encoded)));
    }

    @Provide
    Arbitrary<List<String>> names() {
        Arbitrary<String> any = Arbitraries.strings().withCharRange('A', 'z').ofMinLength(1).ofMaxLength(12);
        return Arbitraries.oneOf(any, Arbitraries.of("AESGCM", "ChaChaPoly", "aesgcm", "AESGCM ")).list()
                .ofMinSize(1).ofMaxSize(CipherOffer.MAX_CIPHERS);
    }

    @Test
    void anotherFormatIsNoOfferSoThatALaterOneReachesThisVersionAsVersionOne() throws Exception {
        assertEquals(List.of(), CipherOffer.decode(new byte[] {2, 1, 6, 'A', 'E', 'S', 'G', 'C', 'M'}));
        assertEquals(List.of(), CipherOffer.decode(new byte[] {0}));
    }

    @Test
    void aFormatOneOfferThatDoesNotParseIsRefused() {
        byte[][] malformed = {
            {1},                                     // no count
            {1, 0},                                  // no ciphers
            {1, 9},                                  // more than eight
            {1, 1},                                  // a name missing
            {1, 1, 0},                               // an empty name
            {1, 1, 33},                              // a name longer than 32 bytes
            {1, 1, 6, 'A', 'E', 'S'},                // a name cut short
            {1, 1, 6, 'A', 'E', 'S', 'G', 'C', 'M', 0}, // a byte left over
        };
        for (byte[] payload : malformed) {
            HandshakeException e = assertThrows(HandshakeException.class, () -> CipherOffer.decode(payload));
            assertEquals(HandshakeException.Reason.MALFORMED_MESSAGE, e.reason());
        }
        assertThrows(IllegalArgumentException.class, () -> CipherOffer.encode(List.of(NoiseCipher.values()[0],
                NoiseCipher.values()[0], NoiseCipher.values()[0], NoiseCipher.values()[0], NoiseCipher.values()[0],
                NoiseCipher.values()[0], NoiseCipher.values()[0], NoiseCipher.values()[0], NoiseCipher.values()[0])));
    }

    private static byte[] offer(List<byte[]> names) {
        int length = 2;
        for (byte[] name : names) {
            length += 1 + name.length;
        }
        byte[] out = new byte[length];
        out[0] = CipherOffer.FORMAT;
        out[1] = (byte) names.size();
        int pos = 2;
        for (byte[] name : names) {
            out[pos++] = (byte) name.length;
            System.arraycopy(name, 0, out, pos, name.length);
            pos += name.length;
        }
        return out;
    }
}
