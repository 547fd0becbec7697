package io.securecomm.e2e;

import java.security.SecureRandom;

/**
 * What {@code E2eBench} measures below the API: the PQXDH key agreement alone and raw X25519 (for its X3DH
 * baseline). {@code Pqxdh} and {@code X25519} are package-private in securecomm-core (spec machinery, not API), and
 * the benchmarks run on the class path, where this class shares their package. Not part of any published module.
 */
public final class E2eForBenchmarks {
    private E2eForBenchmarks() {
    }

    /**
     * A fresh X25519 key pair, as the end-to-end layer makes them.
     *
     * @param random the randomness
     * @return {private key, public key}, 32 bytes each
     */
    public static byte[][] x25519Generate(SecureRandom random) {
        return X25519.generate(random);
    }

    /**
     * X25519 of a private and a public key, as the end-to-end layer computes it.
     *
     * @param privateKey 32 bytes
     * @param publicKey 32 bytes
     * @return the shared secret, 32 bytes
     * @throws E2eException if the public key is a low-order point
     */
    public static byte[] x25519(byte[] privateKey, byte[] publicKey) throws E2eException {
        return X25519.dh(privateKey, publicKey);
    }

    /**
     * Both sides of one PQXDH: the initiator from the responder's bundle, then the responder from what the first
     * message carries.
     *
     * @param initiator the initiator's identity (IK_A)
     * @param bundle the responder's bundle, with a KEM pre-key
     * @param responder the responder's identity (IK_B)
     * @param signedPreKey the responder's signed curve pre-key that the bundle carries
     * @param kemPreKey the responder's KEM pre-key that the bundle carries
     * @param random randomness for EK_A and the encapsulation
     * @return SK, as the responder derives it
     * @throws E2eException never when both sides are honest
     */
    public static byte[] keyAgreement(IdentityKeyPair initiator, PreKeyBundle bundle, IdentityKeyPair responder,
            SignedPreKeyRecord signedPreKey, KemPreKeyRecord kemPreKey, SecureRandom random) throws E2eException {
        try (Pqxdh.Initiation x = Pqxdh.initiate(initiator, bundle, random)) {
            return Pqxdh.respond(responder, signedPreKey, null, kemPreKey, initiator.publicKey(),
                    x.ephemeralPublicKey(), x.kemCiphertext());
        }
    }
}
