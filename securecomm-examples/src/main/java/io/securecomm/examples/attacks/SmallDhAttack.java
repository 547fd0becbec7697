package io.securecomm.examples.attacks;

import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacyHello;
import io.securecomm.crypto.insecure.LegacyTransport;
import io.securecomm.crypto.insecure.SmallPrimeDiffieHellman;
import java.util.Objects;

/**
 * Passive attack on the legacy suite's key exchange: from the two recorded hellos alone, solve the discrete
 * logarithm of the client's public value, compute the shared secret as the client would, and derive the session
 * key. Against the default suite there is nothing to solve: the first frames are Noise messages (X25519 keys,
 * then encrypted static keys), with no small-group value in them.
 */
public final class SmallDhAttack {
    private final SmallPrimeDiffieHellman group;
    private final BabyStepGiantStep solver;

    /**
     * Precomputes the solver for the toy's default group.
     */
    public SmallDhAttack() {
        this.group = SmallPrimeDiffieHellman.defaults();
        this.solver = new BabyStepGiantStep(group);
    }

    /**
     * What the attack recovered: the victims' secrets, so not a record; {@link #toString()} shows only the public
     * values, and the demos print the rest on purpose.
     */
    public static final class Recovered {
        private final long clientPublicValue;
        private final long relayPublicValue;
        private final long clientPrivateValue;
        private final long sharedSecret;

        private Recovered(long clientPublicValue, long relayPublicValue, long clientPrivateValue, long sharedSecret) {
            this.clientPublicValue = clientPublicValue;
            this.relayPublicValue = relayPublicValue;
            this.clientPrivateValue = clientPrivateValue;
            this.sharedSecret = sharedSecret;
        }

        /**
         * A, as recorded.
         *
         * @return the client's public value
         */
        public long clientPublicValue() {
            return clientPublicValue;
        }

        /**
         * B, as recorded.
         *
         * @return the relay's public value
         */
        public long relayPublicValue() {
            return relayPublicValue;
        }

        /**
         * The recovered exponent a, with g^a = A.
         *
         * @return the client's private value (the smallest exponent that works)
         */
        public long clientPrivateValue() {
            return clientPrivateValue;
        }

        /**
         * B^a mod p, the session's shared secret.
         *
         * @return the shared secret
         */
        public long sharedSecret() {
            return sharedSecret;
        }

        /**
         * Builds a transport that decrypts the recorded session like its two ends did.
         *
         * @return a transport at positions 0; {@code open} decrypts one direction's records in order
         */
        public LegacyTransport transport() {
            return LegacyTransport.fromSharedSecret(sharedSecret);
        }

        /**
         * Describes the result without the recovered secrets.
         *
         * @return the public values
         */
        @Override
        public String toString() {
            return "Recovered[A=" + clientPublicValue + ", B=" + relayPublicValue + ", secrets=<redacted>]";
        }
    }

    /**
     * Recovers the session key from the first frame of each direction.
     *
     * @param clientFirstFrame the client's first frame payload
     * @param relayFirstFrame the relay's first frame payload
     * @return what was recovered
     * @throws LegacyHandshakeException with reason {@code NOT_LEGACY} if the frames are not legacy hellos (for
     *     example, a Noise handshake: there is no small-group value to attack), or {@code MALFORMED}
     * @throws AttackFailedException if the discrete logarithm has no solution
     */
    public Recovered recover(byte[] clientFirstFrame, byte[] relayFirstFrame)
            throws LegacyHandshakeException, AttackFailedException {
        Objects.requireNonNull(clientFirstFrame, "clientFirstFrame");
        Objects.requireNonNull(relayFirstFrame, "relayFirstFrame");
        long a = LegacyHello.decode(clientFirstFrame).publicValue();
        long b = LegacyHello.decode(relayFirstFrame).publicValue();
        long x = solver.discreteLog(a);
        return new Recovered(a, b, x, group.sharedSecret(x, b));
    }

    /**
     * The solver, for showing the discrete logarithm on its own.
     *
     * @return the precomputed solver
     */
    public BabyStepGiantStep solver() {
        return solver;
    }
}
