package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The RFC 7919 group constants: the transcribed hex of p matches the RFC's own definition, p = 2^b - 2^{b-64} +
 * {[2^{b-130} e] + X} * 2^64 - 1 (appendix A.1 X = 560316, A.2 X = 2625351), and p and q = (p-1)/2 are
 * (probabilistically) prime.
 */
class Rfc7919GroupTest {
    @Test
    void ffdhe2048MatchesTheRfcDefinitionAndIsASafePrime() {
        check(FfdheKeyExchange.FFDHE2048_P_HEX, 2048, 560316);
        assertEquals(FfdheKeyExchange.FFDHE2048.p(), new BigInteger(FfdheKeyExchange.FFDHE2048_P_HEX, 16));
    }

    @Test
    void ffdhe3072MatchesTheRfcDefinitionAndIsASafePrime() {
        check(FfdheKeyExchange.FFDHE3072_P_HEX, 3072, 2625351);
    }

    private static void check(String hex, int bits, int x) {
        BigInteger p = new BigInteger(hex, 16);
        assertEquals(bits, p.bitLength());
        BigInteger floorEScaled = floorOfETimesTwoTo(bits - 130);
        BigInteger expected = BigInteger.TWO.pow(bits)
                .subtract(BigInteger.TWO.pow(bits - 64))
                .add(floorEScaled.add(BigInteger.valueOf(x)).shiftLeft(64))
                .subtract(BigInteger.ONE);
        assertEquals(expected, p, "p differs from the RFC 7919 formula");
        assertTrue(p.isProbablePrime(64), "p prime");
        assertTrue(p.shiftRight(1).isProbablePrime(64), "q = (p-1)/2 prime");
        // The generator 2 lies in the order-q subgroup: 2^q = 1 mod p.
        assertEquals(BigInteger.ONE, BigInteger.TWO.modPow(p.shiftRight(1), p));
    }

    /** floor(2^k * e), from e = sum 1/n!, computed with 64 guard bits (the tail of the series is far smaller). */
    private static BigInteger floorOfETimesTwoTo(int k) {
        int precision = k + 64;
        BigInteger one = BigInteger.ONE.shiftLeft(precision);
        BigInteger term = one;
        BigInteger sum = BigInteger.ZERO;
        for (int n = 1; term.signum() > 0; n++) {
            sum = sum.add(term);
            term = term.divide(BigInteger.valueOf(n));
        }
        return sum.shiftRight(64);
    }
}
