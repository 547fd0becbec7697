package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact exception types and messages of every {@link KeyExchange}, so that refactoring the shared
 * skeleton of the implementations cannot silently change what callers and logs see.
 */
class KeyExchangeMessagesTest {
    private static final KeyExchange[] ALL = {
        KeyExchange.x25519(), KeyExchange.x448(), KeyExchange.ffdhe2048(), KeyExchange.ffdhe3072()};

    @Test
    void wrongLengthsNameAlgorithmExpectedAndActualSize() {
        for (KeyExchange kx : ALL) {
            // RFC 7748 speaks of public keys, RFC 7919 (like TLS) of public values.
            String noun = kx.name().startsWith("ffdhe") ? "public value" : "public key";
            int size = kx.publicKeySizeBytes();
            assertEquals(kx.name() + " " + noun + " must be " + size + " bytes, got " + (size - 1),
                    assertThrows(InvalidPublicKeyException.class, () -> kx.decodePublicKey(new byte[size - 1]))
                            .getMessage());
            assertEquals(kx.name() + " " + noun + " must be " + size + " bytes, got 0",
                    assertThrows(InvalidPublicKeyException.class, () -> kx.decodePublicKey(new byte[0]))
                            .getMessage());
            assertEquals(kx.name() + " private key must be " + kx.privateKeySizeBytes() + " bytes, got 3",
                    assertThrows(IllegalArgumentException.class, () -> kx.keyPairFromPrivateKey(new byte[3]))
                            .getMessage());
        }
    }

    @Test
    void nullArgumentsNameTheParameter() {
        for (KeyExchange kx : ALL) {
            assertEquals("encoded",
                    assertThrows(NullPointerException.class, () -> kx.decodePublicKey(null)).getMessage());
            assertEquals("privateKey",
                    assertThrows(NullPointerException.class, () -> kx.keyPairFromPrivateKey(null)).getMessage());
            assertEquals("ours", assertThrows(NullPointerException.class,
                    () -> kx.agree(null, (KeyExchangePublicKey) null)).getMessage());
        }
        try (KeyExchangeKeyPair ours = KeyExchange.x25519().generateKeyPair()) {
            assertEquals("theirs", assertThrows(NullPointerException.class,
                    () -> KeyExchange.x25519().agree(ours, (KeyExchangePublicKey) null)).getMessage());
        }
    }

    @Test
    void keysOfAnotherAlgorithmNameBoth() throws Exception {
        KeyExchange x448 = KeyExchange.x448();
        KeyExchange ffdhe = KeyExchange.ffdhe2048();
        try (KeyExchangeKeyPair x = KeyExchange.x25519().generateKeyPair();
                KeyExchangeKeyPair y = x448.generateKeyPair()) {
            assertEquals("expected a X448 key, got X25519", assertThrows(IllegalArgumentException.class,
                    () -> x448.agree(x, y.publicKey())).getMessage());
            assertEquals("expected a X448 key, got X25519", assertThrows(IllegalArgumentException.class,
                    () -> x448.agree(y, x.publicKey())).getMessage());
            assertEquals("expected a ffdhe2048 key, got X25519", assertThrows(IllegalArgumentException.class,
                    () -> ffdhe.agree(x, y.publicKey())).getMessage());
        }
    }

    @Test
    void algorithmSpecificRejectionsKeepTheirMessages() throws Exception {
        KeyExchange x25519 = KeyExchange.x25519();
        try (KeyExchangeKeyPair ours = x25519.generateKeyPair()) {
            assertEquals("X25519 peer public key is a low-order point (all-zero shared secret)",
                    assertThrows(LowOrderPointException.class, () -> x25519.agree(ours, new byte[32])).getMessage());
        }
        KeyExchange ffdhe = KeyExchange.ffdhe2048();
        BigInteger p = ((FfdheKeyExchange) ffdhe).p();
        assertEquals("ffdhe2048 public value is outside 2..p-2", assertThrows(InvalidPublicKeyException.class,
                () -> ffdhe.decodePublicKey(new byte[256])).getMessage());
        assertEquals("ffdhe2048 public value is not in the prime-order subgroup",
                assertThrows(InvalidPublicKeyException.class,
                        () -> ffdhe.decodePublicKey(KeyExchangeTest.encode(p.subtract(BigInteger.TWO),
                                256))).getMessage());
        assertEquals("ffdhe2048 private exponent must lie in 1..p-2", assertThrows(IllegalArgumentException.class,
                () -> ffdhe.keyPairFromPrivateKey(new byte[256])).getMessage());
    }

    @Test
    void closedKeyPairAndToString() {
        for (KeyExchange kx : ALL) {
            assertEquals("KeyExchange[" + kx.name() + "]", kx.toString());
        }
        KeyExchange x25519 = KeyExchange.x25519();
        KeyExchangeKeyPair pair = x25519.generateKeyPair();
        pair.close();
        assertEquals("X25519 key pair is closed", assertThrows(IllegalStateException.class,
                () -> x25519.agree(pair, pair.publicKey())).getMessage());
    }
}
