package io.securecomm.examples.attacks;

import io.securecomm.crypto.insecure.RepeatingKeyXorCipher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Known-plaintext attack on repeating-key XOR: from ciphertext and a guessed plaintext prefix (a crib), find the
 * key length and the key, then decrypt everything else encrypted under that key.
 *
 * <p>How: XORing the ciphertext with the crib gives {@code crib.length} keystream bytes. A repeating key of
 * length {@code L} makes that keystream periodic, so {@code ks[i] == ks[i + L]} wherever both are known. The
 * smallest {@code L} that passes at least {@link #MIN_OVERLAP_BYTES} such checks is the key length (a wrong
 * {@code L} survives each check with probability 1/256); its first {@code L} keystream bytes are the key.
 */
public final class XorKnownPlaintext {
    /** How many keystream repetitions must agree before a key length is believed. */
    public static final int MIN_OVERLAP_BYTES = 8;

    private XorKnownPlaintext() {}

    /**
     * The recovered key. A secret of the victims', so not a record: {@link #toString()} shows only its length;
     * the demos print {@link #key()} on purpose.
     */
    public static final class RecoveredKey {
        private final byte[] key;

        /**
         * Wraps a key.
         *
         * @param key the key bytes, aligned to keystream position 0 (copied)
         */
        public RecoveredKey(byte[] key) {
            this.key = key.clone();
        }

        /**
         * The key.
         *
         * @return a copy
         */
        public byte[] key() {
            return key.clone();
        }

        /**
         * The key length.
         *
         * @return bytes
         */
        public int lengthBytes() {
            return key.length;
        }

        /**
         * Describes the key without its bytes.
         *
         * @return the length
         */
        @Override
        public String toString() {
            return "RecoveredKey[" + key.length + " bytes]";
        }
    }

    /**
     * Finds the key length and the key.
     *
     * @param ciphertext ciphertext whose first byte sits at keystream position {@code position}
     * @param position the keystream position of {@code ciphertext[0]}
     * @param crib the guessed plaintext of the start of {@code ciphertext}
     * @param maxKeyLengthBytes the largest key length to try
     * @return the key
     * @throws AttackFailedException if no key length up to the maximum is consistent with the crib
     */
    public static RecoveredKey recoverKey(byte[] ciphertext, long position, byte[] crib, int maxKeyLengthBytes)
            throws AttackFailedException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(crib, "crib");
        int known = Math.min(ciphertext.length, crib.length);
        byte[] keystream = new byte[known];
        for (int i = 0; i < known; i++) {
            keystream[i] = (byte) (ciphertext[i] ^ crib[i]);
        }
        for (int length = 1; length <= maxKeyLengthBytes && length + MIN_OVERLAP_BYTES <= known; length++) {
            if (periodic(keystream, length)) {
                byte[] key = new byte[length];
                for (int i = 0; i < length; i++) {
                    key[(int) ((position + i) % length)] = keystream[i];
                }
                return new RecoveredKey(key);
            }
        }
        throw new AttackFailedException("no repeating key of 1 to " + maxKeyLengthBytes + " bytes is consistent with"
                + " the " + known + "-byte guessed prefix (each length needs " + MIN_OVERLAP_BYTES
                + " agreeing repetitions): this is not repeating-key XOR");
    }

    private static boolean periodic(byte[] keystream, int length) {
        for (int i = 0; i + length < keystream.length; i++) {
            if (keystream[i] != keystream[i + length]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decrypts a direction's records with a recovered key, from keystream position 0 on.
     *
     * @param key the recovered key
     * @param records the records of one direction, in order
     * @return the plaintexts
     */
    public static List<byte[]> decrypt(RecoveredKey key, List<byte[]> records) {
        try (RepeatingKeyXorCipher cipher = new RepeatingKeyXorCipher(key.key)) {
            long position = 0;
            ArrayList<byte[]> out = new ArrayList<>();
            for (byte[] record : records) {
                byte[] plain = record.clone();
                cipher.apply(position, plain, 0, plain.length);
                position += plain.length;
                out.add(plain);
            }
            return out;
        }
    }
}
