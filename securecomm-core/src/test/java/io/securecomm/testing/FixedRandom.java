package io.securecomm.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A SecureRandom that is not random at all: the stream SHA-256(label || counter) for counter = 0, 1, ..., so that a
 * test whose keys and encapsulations draw from it computes the same bytes on every run and every machine. For
 * known-answer tests only.
 */
public final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] label;
    private long counter;
    private byte[] block = new byte[0];
    private int used;

    /**
     * Creates the stream of a label.
     *
     * @param label what makes this stream differ from others
     */
    public FixedRandom(String label) {
        this.label = label.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (used == block.length) {
                block = nextBlock();
                used = 0;
            }
            out[i] = block[used++];
        }
    }

    private byte[] nextBlock() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label);
            long c = counter++;
            for (int i = 7; i >= 0; i--) {
                sha.update((byte) (c >>> (8 * i)));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        byte[] b = new byte[numBytes];
        nextBytes(b);
        return b;
    }

    @Override
    public void setSeed(long seed) {
        // Ignored: the stream is fixed by the label (SecureRandom's constructor calls this).
    }
}
