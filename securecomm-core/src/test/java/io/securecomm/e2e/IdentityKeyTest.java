package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IdentityKeyTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void encodeDecodeAndEveryBitFlipIsRefused() throws Exception {
        IdentityKeyPair pair = IdentityKeyPair.generate(RANDOM);
        byte[] enc = pair.publicKey().encode();
        assertEquals(IdentityKey.ENCODED_BYTES, enc.length);
        assertEquals(pair.publicKey(), IdentityKey.decode(enc));
        for (int bit = 0; bit < enc.length * 8; bit += 3) {
            byte[] t = enc.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(InvalidSignatureException.class, () -> IdentityKey.decode(t), "bit " + bit);
        }
        assertThrows(InvalidEncodingException.class, () -> IdentityKey.decode(Arrays.copyOf(enc, 127)));
        assertThrows(InvalidEncodingException.class, () -> IdentityKey.decode(Arrays.copyOf(enc, 129)));
    }

    @Test
    void aSwappedAgreementKeyBreaksTheBinding() {
        IdentityKey a = IdentityKeyPair.generate(RANDOM).publicKey();
        IdentityKey b = IdentityKeyPair.generate(RANDOM).publicKey();
        IdentityKey mixed = new IdentityKey(a.signingKey(), b.agreementKey(), a.binding());
        assertThrows(InvalidSignatureException.class, mixed::verify);
        assertFalse(a.fingerprint().equals(mixed.fingerprint()), "the fingerprint covers both keys");
    }

    @Test
    void secretsAreRedactedAndWiped() throws Exception {
        IdentityKeyPair pair = IdentityKeyPair.generate(RANDOM);
        byte[] secret = pair.encodeSecret();
        String shown = pair.toString();
        assertTrue(shown.contains("redacted"));
        assertFalse(shown.contains(HexFormat.of().formatHex(secret, 1, 9)));
        IdentityKeyPair back = IdentityKeyPair.decodeSecret(secret);
        assertEquals(pair.publicKey(), back.publicKey());
        pair.close();
        assertThrows(IllegalStateException.class, () -> pair.sign(new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new IdentityKey(new byte[31], new byte[32], new byte[64]));
    }
}
