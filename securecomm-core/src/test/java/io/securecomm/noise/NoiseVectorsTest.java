package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.securecomm.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the third-party Noise vectors in {@code ../shared/vectors/noise}: for every vector whose protocol
 * name {@link NoiseProtocol#parse(String)} supports, both sides run the handshake and the transport
 * messages with the vector's fixed keys, and every ciphertext byte, every payload and (where given) the
 * handshake hash must match. {@link #summary()} prints how many ran per file and why the rest were skipped,
 * and fails if fewer ran than expected.
 */
class NoiseVectorsTest {
    private static final List<String> FILES = List.of("cacophony.json", "snow.json", "noise-c-basic.json",
            "selected-xx-ik-nk-kk-25519-sha256.json");

    /** Vectors each file must run: every entry that does not use BLAKE2 or the obsolete NoisePSK_ scheme. */
    private static final Map<String, Integer> EXPECTED_RUN = Map.of(
            "cacophony.json", 472,
            "snow.json", 204,
            "noise-c-basic.json", 120,
            "selected-xx-ik-nk-kk-25519-sha256.json", 38);

    @TestFactory
    Stream<DynamicTest> cacophony() {
        return tests("cacophony.json");
    }

    @TestFactory
    Stream<DynamicTest> snow() {
        return tests("snow.json");
    }

    @TestFactory
    Stream<DynamicTest> noiseCBasic() {
        return tests("noise-c-basic.json");
    }

    @TestFactory
    Stream<DynamicTest> selected() {
        return tests("selected-xx-ik-nk-kk-25519-sha256.json");
    }

    @Test
    void summary() {
        StringBuilder report = new StringBuilder("Noise vectors:\n");
        for (String file : FILES) {
            int run = 0;
            Map<String, Integer> skipped = new TreeMap<>();
            for (JsonElement el : vectors(file)) {
                String skip = skipReason(el.getAsJsonObject());
                if (skip == null) {
                    run++;
                } else {
                    skipped.merge(skip, 1, Integer::sum);
                }
            }
            report.append("  ").append(file).append(": ran ").append(run).append(", skipped ")
                    .append(skipped.values().stream().mapToInt(Integer::intValue).sum()).append('\n');
            skipped.forEach((why, n) -> report.append("    ").append(n).append(" x ").append(why).append('\n'));
            assertEquals(EXPECTED_RUN.get(file), run, file + ": supported vectors");
        }
        System.out.print(report);
    }

    private static Stream<DynamicTest> tests(String file) {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonElement el : vectors(file)) {
            JsonObject v = el.getAsJsonObject();
            int index = i++;
            if (skipReason(v) == null) {
                tests.add(DynamicTest.dynamicTest("#" + index + " " + name(v), () -> replay(v)));
            }
        }
        return tests.stream();
    }

    private static JsonArray vectors(String file) {
        return Vectors.json("noise/" + file).getAsJsonArray("vectors");
    }

    private static String name(JsonObject v) {
        return v.has("protocol_name") ? v.get("protocol_name").getAsString() : v.get("name").getAsString();
    }

    /** Returns why a vector is skipped, or null if it runs. */
    static String skipReason(JsonObject v) {
        String name = name(v);
        if (name.startsWith("NoisePSK_")) {
            return "NoisePSK_*: the obsolete pre-revision-31 PSK scheme, not Noise revision 34";
        }
        try {
            NoiseProtocol.parse(name);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage().replaceAll(" in 'Noise_[^']*'", "");
        }
    }

    private static void replay(JsonObject v) throws Exception {
        NoiseProtocol protocol = NoiseProtocol.parse(name(v));
        HandshakeState initiator = side(protocol, v, "init_", true);
        HandshakeState responder = side(protocol, v, "resp_", false);
        JsonArray messages = v.getAsJsonArray("messages");
        SecureChannel initiatorChannel = null;
        SecureChannel responderChannel = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonObject m = messages.get(i).getAsJsonObject();
            byte[] payload = Vectors.hex(m.get("payload").getAsString());
            byte[] ciphertext = Vectors.hex(m.get("ciphertext").getAsString());
            boolean fromInitiator = protocol.isOneWay() || i % 2 == 0;
            if (initiatorChannel == null) {
                HandshakeState sender = fromInitiator ? initiator : responder;
                HandshakeState receiver = fromInitiator ? responder : initiator;
                assertEquals(HandshakeAction.WRITE_MESSAGE, sender.action(), "message " + i);
                assertEquals(HandshakeAction.READ_MESSAGE, receiver.action(), "message " + i);
                assertEquals(Vectors.hex(ciphertext), Vectors.hex(sender.writeMessage(payload)), "message " + i);
                assertArrayEquals(payload, receiver.readMessage(ciphertext), "payload " + i);
                if (initiator.action() == HandshakeAction.SPLIT) {
                    assertEquals(HandshakeAction.SPLIT, responder.action());
                    byte[] h = initiator.handshakeHash();
                    assertArrayEquals(h, responder.handshakeHash());
                    if (v.has("handshake_hash")) {
                        assertEquals(v.get("handshake_hash").getAsString(), Vectors.hex(h), "handshake_hash");
                    }
                    initiatorChannel = initiator.split();
                    responderChannel = responder.split();
                    assertArrayEquals(h, initiatorChannel.handshakeHash());
                }
            } else {
                SecureChannel sender = fromInitiator ? initiatorChannel : responderChannel;
                SecureChannel receiver = fromInitiator ? responderChannel : initiatorChannel;
                assertEquals(Vectors.hex(ciphertext), Vectors.hex(sender.seal(payload)), "transport message " + i);
                assertArrayEquals(payload, receiver.open(ciphertext), "transport payload " + i);
            }
        }
        assertTrue(initiatorChannel != null, "the vector completes the handshake");
    }

    private static HandshakeState side(NoiseProtocol protocol, JsonObject v, String prefix, boolean initiator) {
        HandshakeState.Builder b = HandshakeState.builder(protocol);
        if (initiator) {
            b.initiator();
        } else {
            b.responder();
        }
        b.prologue(Vectors.hex(v.get(prefix + "prologue").getAsString()));
        if (v.has(prefix + "static")) {
            b.localStatic(NoiseKeyPair.fromPrivateKey(protocol.dh(), hex(v, prefix + "static")));
        }
        if (v.has(prefix + "ephemeral")) {
            b.localEphemeralForTesting(NoiseKeyPair.fromPrivateKey(protocol.dh(), hex(v, prefix + "ephemeral")));
        }
        if (v.has(prefix + "remote_static")) {
            b.remoteStatic(hex(v, prefix + "remote_static"));
        }
        if (v.has(prefix + "psks")) {
            for (JsonElement psk : v.getAsJsonArray(prefix + "psks")) {
                b.psk(Vectors.hex(psk.getAsString()));
            }
        }
        if (v.has(prefix + "psk") && protocol.pskCount() > 0) {
            b.psk(hex(v, prefix + "psk"));
        }
        return b.build();
    }

    private static byte[] hex(JsonObject v, String key) {
        return Vectors.hex(v.get(key).getAsString());
    }
}
