package io.securecomm.e2e;

import java.security.SecureRandom;

/**
 * The PQXDH key agreement alone, for {@code E2eBench}: {@code Pqxdh} is package-private in securecomm-core (spec
 * machinery, not API), and the benchmarks run on the class path, where this class shares its package. Not part of
 * any published module.
 */
public final class PqxdhForBenchmarks {
    private PqxdhForBenchmarks() {
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
