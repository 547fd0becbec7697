package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.testing.FixedRandom;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * PQXDH with fixed randomness: every key and the encapsulation draw from {@link FixedRandom}, so the derived SK is
 * the same on every run, and is pinned. It was computed once and is cross-checked here by a second, independent
 * computation from the specification's formula, on the responder's side: the four Diffie-Hellman outputs through the
 * JDK's own XDH provider (not Bouncy Castle, which {@link Pqxdh} uses), the KEM secret by decapsulation, and
 * {@code KDF(KM) = HKDF-SHA-256(salt = 0^32, F || KM, info, 32)} written out with {@link Mac} (extract, then one
 * expand block).
 */
class PqxdhTest {
    /** SK of the fixed run: computed once, and recomputed independently by {@link #recomputeFromTheFormula}. */
    private static final String PINNED_SK = "1b4553a6ff728c40262001b2cbf74682a41409dd14ec22ee4b6c0a0025081882";

    private static final HexFormat HEX = HexFormat.of();

    /** The responder's private keys and the initiator's message, for the independent recomputation. */
    private record Fixture(IdentityKeyPair alice, IdentityKeyPair bob, SignedPreKeyRecord spk, OneTimePreKeyRecord opk,
            KemPreKeyRecord kem, PreKeyBundle bundle, FixedRandom random) {}

    private static Fixture fixture() {
        FixedRandom random = new FixedRandom("securecomm PQXDH known answer, v1");
        IdentityKeyPair alice = IdentityKeyPair.generate(random);
        IdentityKeyPair bob = IdentityKeyPair.generate(random);
        SignedPreKeyRecord spk = SignedPreKeyRecord.generate(bob, 1, Instant.EPOCH, random);
        OneTimePreKeyRecord opk = OneTimePreKeyRecord.generate(2, random);
        KemPreKeyRecord kem = KemPreKeyRecord.generate(bob, 3, KemPreKeyKind.ONE_TIME, Instant.EPOCH, random);
        PreKeyBundle bundle = new PreKeyBundle(bob.publicKey(), spk.publicPreKey(), opk.publicPreKey(),
                kem.publicPreKey());
        return new Fixture(alice, bob, spk, opk, kem, bundle, random);
    }

    @Test
    void fixedRandomnessDerivesThePinnedSecretAndTheFormulaAgrees() throws Exception {
        Fixture f = fixture();
        try (Pqxdh.Initiation x = Pqxdh.initiate(f.alice(), f.bundle(), f.random())) {
            byte[] sk = x.sharedSecret();
            assertEquals(PINNED_SK, HEX.formatHex(sk));
            assertArrayEquals(sk, recomputeFromTheFormula(f, x.ephemeralPublicKey(), x.kemCiphertext()));
            assertArrayEquals(sk, Pqxdh.respond(f.bob(), f.spk(), f.opk(), f.kem(), f.alice().publicKey(),
                    x.ephemeralPublicKey(), x.kemCiphertext()), "the responder derives the same SK");
            assertEquals(3, x.kemPreKeyId(), "the first message names the KEM pre-key encapsulated to");
        }
    }

    @Test
    void everyInputOfTheKdfMattersAndTheirOrderToo() throws Exception {
        byte[] a = filled(1);
        byte[] b = filled(2);
        byte[] c = filled(3);
        byte[] d = filled(4);
        byte[] ss = filled(5);
        byte[] sk = Pqxdh.KDF(a, b, c, d, ss);
        assertFalse(Arrays.equals(sk, Pqxdh.KDF(a, b, c, d, filled(6))), "SS matters");
        assertFalse(Arrays.equals(sk, Pqxdh.KDF(a, b, c, null, ss)), "DH4 matters");
        assertFalse(Arrays.equals(sk, Pqxdh.KDF(a, b, c, ss, d)), "SS comes after DH4, not before");
        assertArrayEquals(sk, hkdf(concat(filled(0xff), a, b, c, d, ss)));
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** SK from the responder's private keys, as the specification writes it, through the JDK's XDH. */
    private static byte[] recomputeFromTheFormula(Fixture f, byte[] ephemeral, byte[] kemCiphertext)
            throws Exception {
        byte[] ikB = Arrays.copyOfRange(f.bob().encodeSecret(), 1 + 32, 1 + 64); // version, Ed25519 seed, X25519
        byte[] spkB = f.spk().privateKeyCopy();
        byte[] opkB = Arrays.copyOfRange(f.opk().encodeSecret(), 1 + 4, 1 + 4 + 32); // version, id, private
        byte[] ikA = f.alice().publicKey().agreementKey();
        byte[] dh1 = jdkX25519(spkB, ikA);      // DH(IK_A, SPK_B)
        byte[] dh2 = jdkX25519(ikB, ephemeral); // DH(EK_A, IK_B)
        byte[] dh3 = jdkX25519(spkB, ephemeral); // DH(EK_A, SPK_B)
        byte[] dh4 = jdkX25519(opkB, ephemeral); // DH(EK_A, OPK_B)
        byte[] ss = f.kem().decapsulate(kemCiphertext); // PQKEM-DEC(PQOPK_B, CT)
        return hkdf(concat(filled(0xff), dh1, dh2, dh3, dh4, ss));
    }

    private static byte[] jdkX25519(byte[] privateKey, byte[] publicKey) {
        byte[] out = new byte[32];
        assertTrue(Curve25519.JCA.scalarMult(privateKey, publicKey, out));
        return out;
    }

    /** HKDF-SHA-256 (RFC 5869) with 32 zero bytes of salt and PQXDH's info, one 32-byte output block. */
    private static byte[] hkdf(byte[] ikm) throws Exception {
        Mac extract = Mac.getInstance("HmacSHA256");
        extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = extract.doFinal(ikm);
        Mac expand = Mac.getInstance("HmacSHA256");
        expand.init(new SecretKeySpec(prk, "HmacSHA256"));
        expand.update("securecomm-pqxdh-v1_CURVE25519_SHA-256_ML-KEM-1024".getBytes(StandardCharsets.US_ASCII));
        expand.update((byte) 1);
        return expand.doFinal();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
