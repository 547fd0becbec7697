package io.securecomm.e2e;

import java.util.Arrays;

/**
 * Reads the big-endian fixed-layout encodings of {@code io.securecomm.e2e}; every overrun or leftover
 * byte is an {@link InvalidEncodingException} naming the structure. Not thread-safe.
 */
final class ByteReader {
    private final byte[] data;
    private final String what;
    private int pos;

    /**
     * Reads {@code data} (not copied: the caller must not change it while reading).
     *
     * @param data the encoding
     * @param what the structure's name, for error messages
     */
    public ByteReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    private void need(int n) throws InvalidEncodingException {
        if (n < 0 || data.length - pos < n) {
            throw new InvalidEncodingException(what + " truncated: needs " + n + " more bytes at offset " + pos
                    + " of " + data.length);
        }
    }

    /**
     * Reads one unsigned byte.
     *
     * @return the byte, 0 to 255
     * @throws InvalidEncodingException if no byte is left
     */
    public int u8() throws InvalidEncodingException {
        need(1);
        return data[pos++] & 0xff;
    }

    /**
     * Reads a big-endian unsigned 16-bit integer.
     *
     * @return the value
     * @throws InvalidEncodingException if fewer than 2 bytes are left
     */
    public int u16() throws InvalidEncodingException {
        need(2);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /**
     * Reads a big-endian 32-bit integer.
     *
     * @return the value
     * @throws InvalidEncodingException if fewer than 4 bytes are left
     */
    public int u32() throws InvalidEncodingException {
        need(4);
        int v = ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /**
     * Reads a big-endian 64-bit integer.
     *
     * @return the value
     * @throws InvalidEncodingException if fewer than 8 bytes are left
     */
    public long u64() throws InvalidEncodingException {
        long hi = u32() & 0xffffffffL;
        long lo = u32() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    /**
     * Reads a boolean encoded as one byte, 0 or 1.
     *
     * @return the value
     * @throws InvalidEncodingException if no byte is left or it is neither 0 nor 1
     */
    public boolean bool() throws InvalidEncodingException {
        int b = u8();
        if (b > 1) {
            throw new InvalidEncodingException(what + ": flag byte must be 0 or 1, was " + b);
        }
        return b == 1;
    }

    /**
     * Reads {@code n} bytes.
     *
     * @param n how many
     * @return a fresh array
     * @throws InvalidEncodingException if fewer are left
     */
    public byte[] bytes(int n) throws InvalidEncodingException {
        need(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /**
     * Reads a 2-byte length, then that many bytes.
     *
     * @return a fresh array
     * @throws InvalidEncodingException if truncated
     */
    public byte[] bytes16() throws InvalidEncodingException {
        return bytes(u16());
    }

    /**
     * Reads every byte that is left.
     *
     * @return a fresh array, possibly empty
     */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, pos, data.length);
        pos = data.length;
        return out;
    }

    /**
     * Returns how many bytes are left.
     *
     * @return the count
     */
    public int remaining() {
        return data.length - pos;
    }

    /**
     * Returns the current offset.
     *
     * @return bytes read so far
     */
    public int position() {
        return pos;
    }

    /**
     * Checks that every byte was read.
     *
     * @throws InvalidEncodingException if bytes are left over
     */
    public void end() throws InvalidEncodingException {
        if (pos != data.length) {
            throw new InvalidEncodingException(what + " has " + (data.length - pos) + " unexpected trailing bytes");
        }
    }
}
