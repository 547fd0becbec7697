package io.securecomm.examples.library;

import io.securecomm.crypto.Aead;
import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.crypto.AeadKey;
import io.securecomm.crypto.KeyExchange;
import io.securecomm.crypto.KeyExchangeKeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The crypto building blocks on their own, as their Javadoc teaches: an X25519 agreement, a key derived from the
 * shared secret with HKDF, and an AEAD that seals, opens, and refuses what was tampered with. (The public keys are
 * exchanged unauthenticated here; a real protocol authenticates them first, as Noise does for the relay.)
 */
public final class SharedSecretToAead {
    /**
     * Runs the example and prints what happens.
     *
     * @param args ignored
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        KeyExchange x25519 = KeyExchange.x25519();
        byte[] info = "securecomm example v1: alice to bob".getBytes(StandardCharsets.UTF_8);
        byte[] associatedData = "message 1".getBytes(StandardCharsets.UTF_8);
        try (KeyExchangeKeyPair alice = x25519.generateKeyPair(); KeyExchangeKeyPair bob = x25519.generateKeyPair()) {
            // Each side sends its public key, encoded(), and agrees with the other's.
            byte[] aliceShared = x25519.agree(alice, bob.publicKey().encoded());
            byte[] bobShared = x25519.agree(bob, alice.publicKey().encoded());
            try (AeadKey aliceKey = AeadKey.deriveFromSharedSecret(AeadAlgorithm.CHACHA20_POLY1305, aliceShared, null,
                    info);
                    AeadKey bobKey = AeadKey.deriveFromSharedSecret(AeadAlgorithm.CHACHA20_POLY1305, bobShared, null,
                            info);
                    Aead sealer = Aead.create(aliceKey);
                    Aead opener = Aead.create(bobKey)) {
                byte[] sealed = sealer.encrypt("meet at noon".getBytes(StandardCharsets.UTF_8), associatedData);
                System.out.println("opened: " + new String(opener.decrypt(sealed, associatedData),
                        StandardCharsets.UTF_8));
                sealed[sealed.length - 1] ^= 1;
                try {
                    opener.decrypt(sealed, associatedData);
                } catch (AeadAuthenticationException e) {
                    System.out.println("tampered: refused");
                }
            } finally {
                Arrays.fill(aliceShared, (byte) 0);
                Arrays.fill(bobShared, (byte) 0);
            }
        }
    }

    private SharedSecretToAead() {}
}
