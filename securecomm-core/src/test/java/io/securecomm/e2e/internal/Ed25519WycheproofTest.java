package io.securecomm.e2e.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.securecomm.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Ed25519 verification against Wycheproof's {@code ed25519_test.json}: every valid case verifies, every invalid one is rejected. */
class Ed25519WycheproofTest {
    private static final AtomicInteger VALID = new AtomicInteger();
    private static final AtomicInteger INVALID = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> wycheproofEd25519() {
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
                tests.add(DynamicTest.dynamicTest("tcId " + id + " " + result + " " + t.get("comment").getAsString(), () -> {
                    boolean ok = Ed25519.verify(pk, msg, sig);
                    switch (result) {
                        case "valid" -> {
                            assertTrue(ok, "valid signature must verify");
                            VALID.incrementAndGet();
                        }
                        case "invalid" -> {
                            assertFalse(ok, "invalid signature must be rejected");
                            INVALID.incrementAndGet();
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
        System.out.println("Wycheproof ed25519: " + VALID.get() + " valid verified, " + INVALID.get()
                + " invalid rejected");
    }
}
