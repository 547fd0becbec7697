package io.securecomm.crypto;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.noise.internal.ChaChaPolyProvider;
import io.securecomm.noise.internal.RecordAead;
import io.securecomm.testing.Vectors;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Project Wycheproof vectors from {@code ../shared/vectors/wycheproof}, one dynamic test per case (x25519 once per
 * {@link Curve25519} implementation). Every {@code valid} case must pass and every {@code invalid} case be
 * rejected. Decisions for the rest:
 * <ul>
 *   <li>x25519 {@code acceptable} cases whose shared secret is all zeros (low-order public keys) are REJECTED
 *       with {@link LowOrderPointException}; the other acceptable ones (twist points, non-canonical u) are
 *       accepted and must give the expected shared secret, as RFC 7748 prescribes.</li>
 *   <li>AES-GCM and ChaCha20-Poly1305 cases with a key other than 256 bits or a nonce other than 96 bits are
 *       unsupported sizes: the API must reject them with {@link IllegalArgumentException}, whatever the
 *       vector's verdict.</li>
 *   <li>HKDF {@code invalid} cases ask for more than 255 * 32 bytes: rejected with IllegalArgumentException.</li>
 * </ul>
 * A one-line count per file is printed to standard output after the run.
 */
class WycheproofTest {
    private static final Map<String, Map<String, AtomicInteger>> COUNTS = new ConcurrentHashMap<>();

    private static void count(String file, String outcome) {
        COUNTS.computeIfAbsent(file, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new AtomicInteger())
                .incrementAndGet();
    }

    @AfterAll
    static void printCounts() {
        new TreeMap<>(COUNTS).forEach((file, outcomes) -> {
            int total = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
            StringBuilder line = new StringBuilder("wycheproof " + file + ": " + total + " cases");
            new TreeMap<>(outcomes).forEach((outcome, n) -> line.append(", ").append(n.get()).append(' ')
                    .append(outcome));
            System.out.println(line);
        });
    }

    private record Case(String file, JsonObject group, JsonObject test) {
        String result() {
            return test.get("result").getAsString();
        }

        byte[] bytes(String field) {
            return hex(test.get(field).getAsString());
        }

        int groupInt(String field) {
            return group.get(field).getAsInt();
        }

        String name() {
            List<String> flags = new ArrayList<>();
            test.getAsJsonArray("flags").forEach(f -> flags.add(f.getAsString()));
            return "tcId " + test.get("tcId").getAsInt() + " " + result() + " " + flags;
        }
    }

    private static Stream<DynamicTest> cases(String file, Function<Case, Executable> body) {
        return cases(file, "", body);
    }

    private static Stream<DynamicTest> cases(String file, String namePrefix, Function<Case, Executable> body) {
        JsonObject root = Vectors.json("wycheproof/" + file);
        List<Case> all = new ArrayList<>();
        for (JsonElement g : root.getAsJsonArray("testGroups")) {
            for (JsonElement t : g.getAsJsonObject().getAsJsonArray("tests")) {
                all.add(new Case(file, g.getAsJsonObject(), t.getAsJsonObject()));
            }
        }
        assertEquals(root.get("numberOfTests").getAsInt(), all.size(), file + " numberOfTests");
        return all.stream().map(c -> DynamicTest.dynamicTest(namePrefix + c.name(), body.apply(c)));
    }

    /** Every x25519 case through {@link KeyExchange}, once for each implementation of the curve. */
    @TestFactory
    Stream<DynamicTest> x25519() {
        return Stream.of(Curve25519.values()).flatMap(curve -> {
            KeyExchange x = XdhKeyExchange.x25519(curve);
            String file = "x25519_test.json";
            String counted = file + " (" + curve + ")";
            return cases(file, curve + " ", c -> () -> {
                assertEquals("curve25519", c.group().get("curve").getAsString());
                byte[] expected = c.bytes("shared");
                try (KeyExchangeKeyPair ours = x.keyPairFromPrivateKey(c.bytes("private"))) {
                    if (Arrays.equals(expected, new byte[32])) {
                        assertEquals("acceptable", c.result(), "only acceptable cases may give a zero secret");
                        LowOrderPointException e =
                                assertThrows(LowOrderPointException.class, () -> x.agree(ours, c.bytes("public")));
                        assertEquals("X25519 peer public key is a low-order point (all-zero shared secret)",
                                e.getMessage());
                        count(counted, "acceptable rejected as low-order");
                    } else {
                        assertArrayEquals(expected, x.agree(ours, c.bytes("public")));
                        count(counted, c.result() + " passed");
                    }
                }
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> chacha20Poly1305() {
        return cases("chacha20_poly1305_test.json", c -> () -> aeadCase(c, AeadAlgorithm.CHACHA20_POLY1305));
    }

    /** The same vectors through the Noise transport's AEAD, once per {@link ChaChaPolyProvider}. */
    @TestFactory
    Stream<DynamicTest> chacha20Poly1305ForNoise() {
        return Stream.of(ChaChaPolyProvider.values()).flatMap(provider -> cases("chacha20_poly1305_test.json",
                provider + " ", c -> () -> recordAeadCase(c, provider)));
    }

    private static void recordAeadCase(Case c, ChaChaPolyProvider provider) throws Exception {
        String file = c.file() + " (Noise, " + provider + ")";
        byte[] key = c.bytes("key");
        byte[] iv = c.bytes("iv");
        byte[] aad = c.bytes("aad");
        byte[] msg = c.bytes("msg");
        byte[] ctAndTag = concat(c.bytes("ct"), c.bytes("tag"));
        byte[] sealed = new byte[msg.length + AeadAlgorithm.TAG_SIZE_BYTES];
        byte[] opened = new byte[Math.max(0, ctAndTag.length - AeadAlgorithm.TAG_SIZE_BYTES)];
        if (c.groupInt("keySize") != 256 || c.groupInt("ivSize") != 96 || c.groupInt("tagSize") != 128) {
            if (key.length != 32) {
                assertThrows(IllegalArgumentException.class, () -> provider.create(key));
            } else {
                try (RecordAead aead = provider.create(key)) {
                    assertThrows(IllegalArgumentException.class,
                            () -> aead.seal(iv, aad, msg, 0, msg.length, sealed, 0));
                    assertThrows(IllegalArgumentException.class,
                            () -> aead.open(iv, aad, ctAndTag, 0, ctAndTag.length, opened, 0));
                }
            }
            count(file, "unsupported key/nonce size rejected by the API");
            return;
        }
        try (RecordAead aead = provider.create(key)) {
            switch (c.result()) {
                case "valid" -> {
                    assertEquals(sealed.length, aead.seal(iv, aad, msg, 0, msg.length, sealed, 0));
                    assertArrayEquals(ctAndTag, sealed);
                    assertEquals(opened.length, aead.open(iv, aad, ctAndTag, 0, ctAndTag.length, opened, 0));
                    assertArrayEquals(msg, opened);
                    count(file, "valid passed");
                }
                case "invalid" -> {
                    Arrays.fill(opened, (byte) 0x5a);
                    assertThrows(AeadAuthenticationException.class,
                            () -> aead.open(iv, aad, ctAndTag, 0, ctAndTag.length, opened, 0));
                    assertArrayEquals(new byte[opened.length], opened, "no unauthenticated plaintext is left");
                    count(file, "invalid rejected");
                }
                default -> fail("no decision for result " + c.result());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> aesGcm() {
        return cases("aes_gcm_test.json", c -> () -> aeadCase(c, AeadAlgorithm.AES_256_GCM));
    }

    private static void aeadCase(Case c, AeadAlgorithm algorithm) throws Exception {
        byte[] key = c.bytes("key");
        byte[] iv = c.bytes("iv");
        byte[] aad = c.bytes("aad");
        byte[] msg = c.bytes("msg");
        byte[] ctAndTag = concat(c.bytes("ct"), c.bytes("tag"));
        if (c.groupInt("keySize") != 256 || c.groupInt("ivSize") != 96 || c.groupInt("tagSize") != 128) {
            if (key.length != 32) {
                assertThrows(IllegalArgumentException.class, () -> ExplicitNonceAead.create(algorithm, key));
            } else {
                try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, key)) {
                    assertThrows(IllegalArgumentException.class, () -> aead.seal(iv, aad, msg));
                    assertThrows(IllegalArgumentException.class, () -> aead.open(iv, aad, ctAndTag));
                }
            }
            count(c.file(), "unsupported key/nonce size rejected by the API");
            return;
        }
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, key)) {
            switch (c.result()) {
                case "valid" -> {
                    assertArrayEquals(ctAndTag, aead.seal(iv, aad, msg));
                    assertArrayEquals(msg, aead.open(iv, aad, ctAndTag));
                    count(c.file(), "valid passed");
                }
                case "invalid" -> {
                    assertThrows(AeadAuthenticationException.class, () -> aead.open(iv, aad, ctAndTag));
                    count(c.file(), "invalid rejected");
                }
                default -> fail("no decision for result " + c.result());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> hkdfSha256() {
        return cases("hkdf_sha256_test.json", c -> () -> {
            int size = c.test().get("size").getAsInt();
            switch (c.result()) {
                case "valid" -> {
                    assertArrayEquals(c.bytes("okm"), Hkdf.derive(c.bytes("salt"), c.bytes("ikm"), c.bytes("info"),
                            size));
                    count(c.file(), "valid passed");
                }
                case "invalid" -> {
                    assertTrue(size > Hkdf.MAX_OUTPUT_LENGTH_BYTES);
                    assertThrows(IllegalArgumentException.class,
                            () -> Hkdf.derive(c.bytes("salt"), c.bytes("ikm"), c.bytes("info"), size));
                    count(c.file(), "invalid rejected");
                }
                default -> fail("no decision for result " + c.result());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> hmacSha256() {
        return cases("hmac_sha256_test.json", c -> () -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(c.bytes("key"), "HmacSHA256"));
            byte[] full = mac.doFinal(c.bytes("msg"));
            byte[] computed = Arrays.copyOf(full, c.groupInt("tagSize") / 8);
            boolean equal = MessageDigest.isEqual(computed, c.bytes("tag"));
            switch (c.result()) {
                case "valid" -> {
                    assertTrue(equal);
                    count(c.file(), "valid passed");
                }
                case "invalid" -> {
                    assertFalse(equal);
                    count(c.file(), "invalid rejected");
                }
                default -> fail("no decision for result " + c.result());
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
