package io.securecomm.e2e.internal;

import java.io.ByteArrayOutputStream;

/** Writes the big-endian fixed-layout encodings of {@code io.securecomm.e2e}. Not thread-safe. */
public final class ByteWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Creates an empty writer. */
    public ByteWriter() {}

    /**
     * Writes one byte.
     *
     * @param v the low 8 bits are written
     * @return this writer
     */
    public ByteWriter u8(int v) {
        out.write(v);
        return this;
    }

    /**
     * Writes a big-endian 16-bit integer.
     *
     * @param v 0 to 65535
     * @return this writer
     * @throws IllegalArgumentException if out of range
     */
    public ByteWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("value " + v + " does not fit 16 bits");
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /**
     * Writes a big-endian 32-bit integer.
     *
     * @param v the value
     * @return this writer
     */
    public ByteWriter u32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /**
     * Writes a big-endian 64-bit integer.
     *
     * @param v the value
     * @return this writer
     */
    public ByteWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    /**
     * Writes a boolean as one byte, 0 or 1.
     *
     * @param v the value
     * @return this writer
     */
    public ByteWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /**
     * Writes bytes as they are.
     *
     * @param b the bytes
     * @return this writer
     */
    public ByteWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /**
     * Writes a 2-byte length, then the bytes.
     *
     * @param b at most 65535 bytes
     * @return this writer
     */
    public ByteWriter bytes16(byte[] b) {
        u16(b.length);
        return bytes(b);
    }

    /**
     * Returns what was written.
     *
     * @return a fresh array
     */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
