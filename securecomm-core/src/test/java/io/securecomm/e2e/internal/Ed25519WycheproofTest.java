package io.securecomm.e2e.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.testing.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Ed25519 verification against Wycheproof's {@code ed25519_test.json}, for each {@link Curve25519} implementation
 * and through {@link Ed25519} (the selected one): every valid case verifies, every invalid one is rejected.
 */
class Ed25519WycheproofTest {
    private static final Map<String, AtomicInteger> VALID = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> INVALID = new ConcurrentHashMap<>();

    private interface Verifier {
        boolean verify(byte[] publicKey, byte[] message, byte[] signature);
    }

    @TestFactory
    Stream<DynamicTest> wycheproofEd25519() {
        Map<String, Verifier> verifiers = new LinkedHashMap<>();
        for (Curve25519 curve : Curve25519.values()) {
            verifiers.put(curve.name(), curve::ed25519Verify);
        }
        verifiers.put("Ed25519.verify", Ed25519::verify);
        return verifiers.entrySet().stream().flatMap(e -> cases(e.getKey(), e.getValue()));
    }

    private static Stream<DynamicTest> cases(String name, Verifier verifier) {
        JsonObject root = Vectors.json("wycheproof/ed25519_test.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement ge : root.getAsJsonArray("testGroups")) {
            JsonObject g = ge.getAsJsonObject();
            byte[] pk = Vectors.hex(g.getAsJsonObject("publicKey").get("pk").getAsString());
            for (JsonElement te : g.getAsJsonArray("tests")) {
                JsonObject t = te.getAsJsonObject();
                int id = t.get("tcId").getAsInt();
                String result = t.get("result").getAsString();
                byte[] msg = Vectors.hex(t.get("msg").getAsString());
                byte[] sig = Vectors.hex(t.get("sig").getAsString());
                String testName = name + " tcId " + id + " " + result + " " + t.get("comment").getAsString();
                tests.add(DynamicTest.dynamicTest(testName, () -> {
                    boolean ok = verifier.verify(pk, msg, sig);
                    switch (result) {
                        case "valid" -> {
                            assertTrue(ok, "valid signature must verify");
                            VALID.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                        }
                        case "invalid" -> {
                            assertFalse(ok, "invalid signature must be rejected");
                            INVALID.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                        }
                        default -> fail("unexpected result kind " + result);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @AfterAll
    static void printCount() {
        new TreeMap<>(VALID).forEach((name, valid) -> System.out.println("Wycheproof ed25519 (" + name + "): "
                + valid.get() + " valid verified, " + INVALID.getOrDefault(name, new AtomicInteger()).get()
                + " invalid rejected"));
    }
}
