package io.securecomm.e2e;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Known answers for PQXDH's KDF and the safety number, computed independently with Python's
 * {@code hmac}/{@code hashlib} from the definitions in docs/E2E.md (for the KDF: HKDF-SHA-256 with 32 zero bytes of
 * salt, {@code IKM = 0xFF x 32 || DH1 || DH2 || DH3 [|| DH4] || SS} and the info string {@link Pqxdh#INFO}).
 */
class KnownAnswerTest {
    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void pqxdhKdfWithThreeDhOutputsAndTheKemSecret() {
        assertArrayEquals(hex("b9771370d695436d0b452a5a9b6c84694fadf187864c0e5f324a83d96317d230"),
                Pqxdh.KDF(filled(32, 1), filled(32, 2), filled(32, 3), null, filled(32, 5)));
    }

    @Test
    void pqxdhKdfWithFourDhOutputsAndTheKemSecret() {
        assertArrayEquals(hex("e6f5c09c124d4e04f0f5c3d2316afeab5548a557e3d6dbafa6fc77849dc48ab2"),
                Pqxdh.KDF(filled(32, 1), filled(32, 2), filled(32, 3), filled(32, 4), filled(32, 5)));
    }

    @Test
    void safetyNumber() {
        // SafetyNumber.of covers the public keys only, so the binding need not verify here.
        IdentityKey a = new IdentityKey(filled(32, 0xa1), filled(32, 0xa2), new byte[64]);
        IdentityKey b = new IdentityKey(filled(32, 0xb1), filled(32, 0xb2), new byte[64]);
        String expected = "311114751378194212663845842431962752014544823164356298054859";
        assertEquals(expected, SafetyNumber.of(a, "alice", b, "bob").digits());
        assertEquals(expected, SafetyNumber.of(b, "bob", a, "alice").digits());
        assertEquals("31111 47513 78194 21266 38458 42431 96275 20145 44823 16435 62980 54859",
                SafetyNumber.of(a, "alice", b, "bob").formatted());
    }
}
