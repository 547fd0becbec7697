package io.securecomm.e2e;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Known answers for X3DH's KDF and the safety number, computed independently with Python's
 * {@code hmac}/{@code hashlib} from the definitions in docs/E2E.md.
 */
class KnownAnswerTest {
    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void x3dhKdfWithThreeDhOutputs() {
        assertArrayEquals(hex("7cb21ae3feb54b295067a3967d03ece9f63da50763c3ae64f7737a38c742847f"),
                X3dh.KDF(filled(32, 1), filled(32, 2), filled(32, 3), null));
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
