package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securecomm.testing.FixedRandom;
import io.securecomm.testing.ProtocolDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Holds the end-to-end golden examples of docs/PROTOCOL.md (the {@code golden-e2e} block) to the code: a PQXDH
 * pre-key bundle and the first message made from it, built from {@link FixedRandom} so every run makes the same
 * bytes. Each example must be what the code encodes, must decode (the bundle's three signatures verify), and the
 * first message must decrypt at its recipient. Run {@link #main} to print the block after a deliberate format change.
 */
class E2eGoldenExamplesTest {
    private static final String TEXT = "hello, post-quantum bob";

    /** The examples, by name, from a fixed run; the responder's store to decrypt the message. */
    record Examples(Map<String, byte[]> bytes, InMemoryProtocolStore bob) {}

    static Examples make() throws Exception {
        FixedRandom random = new FixedRandom("securecomm golden e2e examples, v1");
        IdentityKeyPair alice = IdentityKeyPair.generate(random);
        IdentityKeyPair bob = IdentityKeyPair.generate(random);
        InMemoryProtocolStore bobStore = new InMemoryProtocolStore(bob);
        try (SignedPreKeyRecord spk = SignedPreKeyRecord.generate(bob, 1, Instant.EPOCH, random);
                OneTimePreKeyRecord opk = OneTimePreKeyRecord.generate(2, random);
                KemPreKeyRecord kem = KemPreKeyRecord.generate(bob, 3, KemPreKeyKind.ONE_TIME, Instant.EPOCH, random)) {
            bobStore.storeSignedPreKey(spk);
            bobStore.storePreKey(opk);
            bobStore.storeKemPreKey(kem);
            PreKeyBundle bundle = new PreKeyBundle(bob.publicKey(), spk.publicPreKey(), opk.publicPreKey(),
                    kem.publicPreKey());
            SessionCipher toBob = new SessionCipher(new InMemoryProtocolStore(alice), "alice", "bob", random);
            toBob.processPreKeyBundle(bundle);
            Map<String, byte[]> bytes = new LinkedHashMap<>();
            bytes.put("pqxdh_bundle", bundle.encode());
            bytes.put("pqxdh_pre_key_message", toBob.encrypt(TEXT.getBytes(StandardCharsets.UTF_8)));
            return new Examples(bytes, bobStore);
        }
    }

    @Test
    void theDocumentsExamplesAreWhatTheCodeMakesAndTheyDecode() throws Exception {
        Map<String, String> doc = ProtocolDocument.block(ProtocolDocument.read(), "golden-e2e");
        Examples made = make();
        assertEquals(made.bytes().keySet(), doc.keySet(), "the document and the code name the same examples");
        for (Map.Entry<String, byte[]> e : made.bytes().entrySet()) {
            assertEquals(HexFormat.of().formatHex(e.getValue()),
                    HexFormat.of().formatHex(ProtocolDocument.hex(doc.get(e.getKey()))), e.getKey());
        }
        byte[] bundle = ProtocolDocument.hex(doc.get("pqxdh_bundle"));
        assertEquals(PreKeyBundle.MAX_ENCODED_BYTES, bundle.length);
        assertArrayEquals(bundle, PreKeyBundle.decode(bundle).encode(), "decodes, signatures verified");
        byte[] message = ProtocolDocument.hex(doc.get("pqxdh_pre_key_message"));
        PreKeyMessage m = PreKeyMessage.decode(message);
        assertEquals(3, m.kemPreKeyId());
        assertEquals(TEXT, new String(new SessionCipher(made.bob(), "bob", "alice", new FixedRandom("bob"))
                .decrypt(message), StandardCharsets.UTF_8));
    }

    /**
     * Prints the {@code golden-e2e} block for PROTOCOL.md, fields separated by {@code |}.
     *
     * @param args unused
     * @throws Exception never, with the fixed inputs
     */
    public static void main(String[] args) throws Exception {
        Map<String, byte[]> bytes = make().bytes();
        System.out.println("```golden-e2e");
        print("pqxdh_bundle", bytes.get("pqxdh_bundle"), new int[] {1, 128, 4, 32, 64, 1, 4, 1, 1568, 64, 1, 4, 32});
        byte[] m = bytes.get("pqxdh_pre_key_message");
        print("pqxdh_pre_key_message", m, new int[] {2, 128, 32, 4, 1, 4, 4, 1568, m.length - 1743});
        System.out.println("```");
    }

    private static void print(String name, byte[] b, int[] fields) {
        StringBuilder out = new StringBuilder(name + ":");
        int at = 0;
        for (int f : fields) {
            String hex = HexFormat.of().formatHex(b, at, at + f);
            at += f;
            for (int i = 0; i < hex.length(); i += 96) {
                out.append(i == 0 ? "\n    | " : "\n      ").append(hex, i, Math.min(hex.length(), i + 96));
            }
        }
        if (at != b.length) {
            throw new IllegalStateException(name + ": fields cover " + at + " of " + b.length + " bytes");
        }
        System.out.println(out.toString().replaceFirst("\n    \\| ", " "));
    }
}
