package io.securecomm.e2e.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    /** RFC 8032 section 7.1, TEST 1 (empty message). */
    @Test
    void rfc8032Test1() {
        byte[] sk = Vectors.hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] pk = Vectors.hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig = Vectors.hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertArrayEquals(sig, Ed25519.sign(sk, new byte[0]));
        assertTrue(Ed25519.verify(pk, new byte[0], sig));
    }

    @Test
    void signVerifyAndEveryBitFlipFails() {
        byte[][] kp = Ed25519.generate(new SecureRandom());
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] sig = Ed25519.sign(kp[0], msg);
        assertEquals(64, sig.length);
        assertTrue(Ed25519.verify(kp[1], msg, sig));
        for (int i = 0; i < sig.length * 8; i++) {
            byte[] t = sig.clone();
            t[i / 8] ^= (byte) (1 << (i % 8));
            assertFalse(Ed25519.verify(kp[1], msg, t), "bit " + i);
        }
        assertFalse(Ed25519.verify(kp[1], msg, new byte[63]));
        assertFalse(Ed25519.verify(new byte[31], msg, sig));
    }
}
