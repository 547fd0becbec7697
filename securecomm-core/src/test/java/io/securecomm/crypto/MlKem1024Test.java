package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The public ML-KEM-1024 API: round trips, seeds, input checks and the house rules for secrets. */
class MlKem1024Test {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void encapsulationAndDecapsulationAgree() throws Exception {
        try (MlKemKeyPair kp = MlKem1024.generateKeyPair(RANDOM);
                MlKemEncapsulation e = MlKem1024.encapsulate(kp.publicKey(), RANDOM)) {
            assertEquals(MlKem1024.CIPHERTEXT_BYTES, e.ciphertext().length);
            assertEquals(MlKem1024.SHARED_SECRET_BYTES, e.sharedSecret().length);
            assertArrayEquals(e.sharedSecret(), kp.decapsulate(e.ciphertext()));
            // Every bit of the ciphertext matters: a changed one yields another secret (implicit rejection).
            for (int bit = 0; bit < MlKem1024.CIPHERTEXT_BYTES * 8; bit += 97) {
                byte[] c = e.ciphertext();
                c[bit / 8] ^= (byte) (1 << (bit % 8));
                assertFalse(Arrays.equals(e.sharedSecret(), kp.decapsulate(c)), "bit " + bit);
            }
        }
    }

    @Test
    void aSeedRecreatesTheSameKeyPair() throws Exception {
        try (MlKemKeyPair kp = MlKem1024.generateKeyPair(RANDOM);
                MlKemKeyPair again = MlKem1024.keyPairFromSeed(kp.exportSeed());
                MlKemEncapsulation e = MlKem1024.encapsulate(kp.publicKey(), RANDOM)) {
            assertEquals(kp.publicKey(), again.publicKey());
            assertEquals(kp.publicKey().hashCode(), again.publicKey().hashCode());
            assertArrayEquals(e.sharedSecret(), again.decapsulate(e.ciphertext()));
            assertEquals(kp.publicKey(), MlKem1024.publicKey(kp.publicKey().encoded()));
        }
    }

    @Test
    void publicKeysFailingTheFips203CheckAreRefused() throws Exception {
        byte[] good;
        try (MlKemKeyPair kp = MlKem1024.generateKeyPair(RANDOM)) {
            good = kp.publicKey().encoded();
        }
        assertThrows(InvalidPublicKeyException.class, () -> MlKem1024.publicKey(Arrays.copyOf(good, 1567)));
        assertThrows(InvalidPublicKeyException.class, () -> MlKem1024.publicKey(Arrays.copyOf(good, 1569)));
        // The first 12-bit coefficient set to 4095, above q = 3329: the modulus check refuses it.
        byte[] bad = good.clone();
        bad[0] = (byte) 0xff;
        bad[1] = (byte) (bad[1] | 0x0f);
        InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class, () -> MlKem1024.publicKey(bad));
        assertTrue(e.getMessage().contains("modulus"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MlKem1024.keyPairFromSeed(new byte[63]));
    }

    @Test
    void secretsAreRedactedAndWipedOnClose() {
        MlKemKeyPair kp = MlKem1024.generateKeyPair(RANDOM);
        byte[] seed = kp.exportSeed();
        String hexSeed = HexFormat.of().formatHex(seed);
        assertFalse(kp.toString().contains(hexSeed.substring(0, 16)));
        assertTrue(kp.toString().contains("redacted"));
        MlKemEncapsulation e = MlKem1024.encapsulate(kp.publicKey(), RANDOM);
        String secret = HexFormat.of().formatHex(e.sharedSecret());
        assertFalse(e.toString().contains(secret.substring(0, 16)));
        assertNotEquals(kp, MlKem1024.keyPairFromSeed(seed), "a secret has no value equality");
        kp.close();
        e.close();
        assertThrows(IllegalStateException.class, kp::exportSeed);
        assertThrows(IllegalStateException.class, () -> kp.decapsulate(e.ciphertext()));
        assertThrows(IllegalStateException.class, e::sharedSecret);
        assertThrows(IllegalArgumentException.class,
                () -> MlKem1024.generateKeyPair(RANDOM).decapsulate(new byte[MlKem1024.CIPHERTEXT_BYTES - 1]));
    }
}
