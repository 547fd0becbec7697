package io.securecomm.examples.attacks;

import io.securecomm.crypto.insecure.SmallPrimeDiffieHellman;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * Shanks' baby-step giant-step discrete logarithm in the toy's group: given {@code y = g^x mod p}, finds
 * {@code x} in about {@code 2 * sqrt(p)} multiplications, 2^17 for the 32-bit toy prime (milliseconds).
 *
 * <p>With {@code m = ceil(sqrt(p - 1))}: baby steps store {@code g^j} for {@code j < m} in a table; giant steps
 * compute {@code y * g^(-m i)} for {@code i = 0, 1, ...} until one is in the table, then {@code x = i m + j}.
 * The table (about 2^16 entries, 1.5 MiB) is built once and reused for every value. Immutable after
 * construction and thread-safe.
 */
public final class BabyStepGiantStep {
    private static final long EMPTY = -1;

    private final SmallPrimeDiffieHellman group;
    private final long m;
    private final long giantFactor;
    private final long[] tableKeys;
    private final int[] tableValues;
    private final int mask;

    /**
     * Precomputes the baby steps for a group.
     *
     * @param group the toy group
     */
    public BabyStepGiantStep(SmallPrimeDiffieHellman group) {
        this.group = Objects.requireNonNull(group, "group");
        long p = group.p();
        this.m = (long) Math.ceil(Math.sqrt((double) (p - 1)));
        int capacity = Integer.highestOneBit((int) m) << 2;
        this.mask = capacity - 1;
        this.tableKeys = new long[capacity];
        this.tableValues = new int[capacity];
        Arrays.fill(tableKeys, EMPTY);
        long e = 1;
        for (int j = 0; j < m; j++) {
            put(e, j);
            e = mulMod(e, group.g(), p);
        }
        // g^(-m) = g^(p - 1 - m), since g^(p-1) = 1.
        this.giantFactor = BigInteger.valueOf(group.g())
                .modPow(BigInteger.valueOf(p - 1 - m), group.modulus()).longValueExact();
    }

    private void put(long key, int value) {
        int i = slot(key);
        while (tableKeys[i] != EMPTY) {
            if (tableKeys[i] == key) {
                return; // keep the smallest exponent
            }
            i = (i + 1) & mask;
        }
        tableKeys[i] = key;
        tableValues[i] = value;
    }

    private int get(long key) {
        int i = slot(key);
        while (tableKeys[i] != EMPTY) {
            if (tableKeys[i] == key) {
                return tableValues[i];
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** {@code a * b mod p} for {@code a, b < p < 2^32}: the product fits in 64 unsigned bits. */
    private static long mulMod(long a, long b, long p) {
        return Long.remainderUnsigned(a * b, p);
    }

    /**
     * Solves {@code g^x = y mod p}.
     *
     * @param y a public value, 1 to p-1
     * @return the smallest {@code x} in 0..p-2 with {@code g^x = y}
     * @throws AttackFailedException if y is not a power of g (0, or outside the group)
     */
    public long discreteLog(long y) throws AttackFailedException {
        long p = group.p();
        if (y <= 0 || y >= p) {
            throw new AttackFailedException("the value " + y + " is not an element of the group mod " + p);
        }
        long gamma = y;
        for (long i = 0; i < m; i++) {
            int j = get(gamma);
            if (j >= 0) {
                return (i * m + j) % (p - 1);
            }
            gamma = mulMod(gamma, giantFactor, p);
        }
        throw new AttackFailedException("no exponent found: " + y + " is not a power of g = " + group.g());
    }
}
