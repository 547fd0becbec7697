package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.securecomm.crypto.internal.MlKem1024Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.junit.jupiter.api.Test;

/**
 * ML-KEM-1024 against published FIPS 203 known answers:
 * <ul>
 *   <li>NIST's ACVP vectors: one encapsulation test (tcId 51 of the ML-KEM-1024 encapsulation group), transcribed
 *       into {@code ml-kem-1024-acvp-subset.txt} beside this class, whose header names the repository, commit and
 *       file: {@code ML-KEM.Encaps_internal(ek, m)} and {@code ML-KEM.Decaps(dk, c)};</li>
 *   <li>C2SP's accumulated vectors (c2sp.org/CCTV/ML-KEM, "Accumulated pq-crystals vectors", for FIPS 203 as
 *       published): 10,000 consecutive tests whose inputs come from SHAKE-128 with an empty input and whose outputs
 *       are hashed with another SHAKE-128. They cover key generation from the seed {@code d || z} (which securecomm
 *       stores), encapsulation, decapsulation and implicit rejection of a random ciphertext, with one 32-byte
 *       answer.</li>
 * </ul>
 */
class MlKem1024KnownAnswerTest {
    /** C2SP CCTV's ML-KEM-1024 hash of 10,000 accumulated pq-crystals tests (FIPS 203). */
    private static final String ACCUMULATED_10000 = "e3bf82b013307b2e9d47dde791ff6dfc82e694e6382404abdb948b908b75bad5";

    private static final HexFormat HEX = HexFormat.of();

    static Map<String, byte[]> acvpSubset() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String last = null;
        try (InputStream in = MlKem1024KnownAnswerTest.class.getResourceAsStream("ml-kem-1024-acvp-subset.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith(" ")) {
                    values.merge(last, line.trim(), String::concat);
                    continue;
                }
                String[] kv = line.split("=", 2);
                last = kv[0].trim();
                values.put(last, kv[1].trim());
            }
        }
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        values.forEach((k, v) -> bytes.put(k, HEX.parseHex(v.toLowerCase())));
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void acvpEncapsulation() throws Exception {
        Map<String, byte[]> v = acvpSubset();
        assertEquals(MlKem1024.PUBLIC_KEY_BYTES, v.get("encap.ek").length);
        byte[][] out = MlKem1024Engine.encapsulate(v.get("encap.ek"), v.get("encap.m"));
        assertArrayEquals(v.get("encap.c"), out[0], "ciphertext c");
        assertArrayEquals(v.get("encap.k"), out[1], "shared secret k");
        // The public API takes the same key through FIPS 203's input check.
        assertArrayEquals(v.get("encap.ek"), MlKem1024.publicKey(v.get("encap.ek")).encoded());
    }

    @Test
    void acvpDecapsulation() throws Exception {
        Map<String, byte[]> v = acvpSubset();
        byte[] dk = concat(v.get("encap.dkPKE"), v.get("encap.ek"), v.get("encap.hek"), v.get("encap.z"));
        assertEquals(3168, dk.length);
        MlKem1024Engine.DecapsulationKey key = MlKem1024Engine.DecapsulationKey.fromExpandedForTesting(dk);
        assertArrayEquals(v.get("encap.k"), key.decapsulate(v.get("encap.c")));
        assertArrayEquals(v.get("encap.ek"), key.publicKey());
        // Implicit rejection: a changed ciphertext gives another secret, not an error.
        byte[] changed = v.get("encap.c");
        changed[100] ^= 1;
        assertFalse(Arrays.equals(v.get("encap.k"), key.decapsulate(changed)));
    }

    @Test
    void c2spAccumulatedVectors() {
        SHAKEDigest rng = new SHAKEDigest(128);
        SHAKEDigest accumulator = new SHAKEDigest(128);
        for (int i = 0; i < 10_000; i++) {
            byte[] d = new byte[32];
            byte[] z = new byte[32];
            byte[] m = new byte[32];
            byte[] randomCiphertext = new byte[MlKem1024.CIPHERTEXT_BYTES];
            rng.doOutput(d, 0, d.length);
            rng.doOutput(z, 0, z.length);
            rng.doOutput(m, 0, m.length);
            rng.doOutput(randomCiphertext, 0, randomCiphertext.length);
            try (MlKemKeyPair kp = MlKem1024.keyPairFromSeed(concat(d, z))) {
                byte[] ek = kp.publicKey().encoded();
                byte[] dk = MlKem1024Engine.DecapsulationKey.fromSeed(concat(d, z)).expandedForTesting();
                byte[][] encapsulated = MlKem1024Engine.encapsulate(ek, m);
                assertArrayEquals(encapsulated[1], kp.decapsulate(encapsulated[0]), "test " + i);
                byte[] rejected = kp.decapsulate(randomCiphertext);
                for (byte[] b : new byte[][] {ek, dk, encapsulated[0], encapsulated[1], rejected}) {
                    accumulator.update(b, 0, b.length);
                }
            }
        }
        byte[] hash = new byte[32];
        accumulator.doFinal(hash, 0, hash.length);
        assertEquals(ACCUMULATED_10000, HEX.formatHex(hash));
    }
}
