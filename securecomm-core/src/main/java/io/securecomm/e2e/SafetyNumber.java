package io.securecomm.e2e;

import io.securecomm.wire.Nickname;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The safety number of a pair of clients: 60 decimal digits that both people compare out of band
 * (read aloud, or side by side) to detect a key substituted by the relay. Both sides compute the same
 * number, whichever side computes it.
 *
 * <p>Computed in the style of Signal's numeric fingerprint: for each party,
 * {@code h = SHA-512(version || publicKeys || id)}, then {@value #ITERATIONS} times
 * {@code h = SHA-512(h || publicKeys)}, where {@code version} is the two bytes {@code 00 01},
 * {@code publicKeys} is {@link IdentityKey#publicKeys()} (both the Ed25519 and the X25519 key), and
 * {@code id} is the UTF-8 of the name in its canonical form ({@link io.securecomm.wire.Nickname#canonical}; empty
 * when none), so the number does not depend on the letter case the relay shows. The first 30 bytes of {@code h} make
 * six 5-byte big-endian chunks, each reduced mod 100000 to 5 digits: 30 digits per party. The two 30-digit
 * strings are sorted and concatenated.
 *
 * @param digits the 60 digits, without spaces
 */
public record SafetyNumber(String digits) {
    /** Number of SHA-512 iterations per party. */
    public static final int ITERATIONS = 5200;
    /** Number of digits. */
    public static final int DIGITS = 60;

    private static final byte[] VERSION = {0x00, 0x01};

    /**
     * Creates a safety number from its digits.
     *
     * @param digits exactly {@value #DIGITS} ASCII digits
     * @throws IllegalArgumentException if not
     */
    public SafetyNumber {
        Objects.requireNonNull(digits, "digits");
        if (digits.length() != DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a safety number is " + DIGITS + " digits");
        }
    }

    /**
     * Reads a safety number as people write it: 60 digits, grouped by spaces or not.
     *
     * @param text the digits, spaces allowed anywhere (as {@link #formatted()} prints them)
     * @return the safety number
     * @throws IllegalArgumentException if, without its spaces, the text is not {@value #DIGITS} ASCII digits
     */
    public static SafetyNumber parse(String text) {
        return new SafetyNumber(Objects.requireNonNull(text, "text").replace(" ", ""));
    }

    /**
     * Computes the safety number of two identities.
     *
     * @param localIdentity this client's identity key
     * @param localName this client's stable name, or {@code null} for none
     * @param remoteIdentity the peer's identity key
     * @param remoteName the peer's stable name, or {@code null} for none
     * @return the same number the peer computes with the arguments swapped
     */
    public static SafetyNumber of(IdentityKey localIdentity, String localName, IdentityKey remoteIdentity,
            String remoteName) {
        Objects.requireNonNull(localIdentity, "localIdentity");
        Objects.requireNonNull(remoteIdentity, "remoteIdentity");
        String a = partyDigits(localIdentity, localName);
        String b = partyDigits(remoteIdentity, remoteName);
        return new SafetyNumber(a.compareTo(b) <= 0 ? a + b : b + a);
    }

    private static String partyDigits(IdentityKey key, String name) {
        byte[] keys = key.publicKeys();
        byte[] id = name == null ? new byte[0]
                : Nickname.canonical(name).getBytes(StandardCharsets.UTF_8);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            sha.update(VERSION);
            sha.update(keys);
            sha.update(id);
            byte[] h = sha.digest();
            for (int i = 0; i < ITERATIONS; i++) {
                sha.update(h);
                sha.update(keys);
                h = sha.digest();
            }
            StringBuilder sb = new StringBuilder(30);
            for (int chunk = 0; chunk < 6; chunk++) {
                long v = 0;
                for (int j = 0; j < 5; j++) {
                    v = (v << 8) | (h[chunk * 5 + j] & 0xff);
                }
                sb.append(String.format("%05d", v % 100000));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-512", e);
        }
    }

    /**
     * Shows the digits in twelve groups of five, for people to compare.
     *
     * @return e.g. {@code "12345 67890 ..."}
     */
    public String formatted() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < DIGITS; i += 5) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(digits, i, i + 5);
        }
        return sb.toString();
    }

    /**
     * Compares with what the other person read out, ignoring spaces; constant time.
     *
     * @param other the other side's digits, spaces allowed
     * @return whether they match
     */
    public boolean matches(String other) {
        Objects.requireNonNull(other, "other");
        byte[] o = other.replace(" ", "").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(digits.getBytes(StandardCharsets.US_ASCII), o);
    }

    /**
     * Returns {@link #formatted()}.
     *
     * @return the grouped digits
     */
    @Override
    public String toString() {
        return formatted();
    }
}
