package io.securecomm.wire;

import java.util.Objects;

/** Argument checks shared by the message records; package-private. */
final class Fields {
    private Fields() {}

    /**
     * Returns the length of {@code s} in UTF-8 without encoding it.
     *
     * @throws IllegalArgumentException if {@code s} has an unpaired surrogate, which UTF-8 cannot carry
     */
    static int utf8Length(String s) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i);
                }
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate at index " + i);
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Checks a string field against its codec cap. */
    static String string(String value, String name, int maxBytes) {
        Objects.requireNonNull(value, name);
        int bytes;
        try {
            bytes = utf8Length(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(
                    name + " is " + bytes + " UTF-8 bytes, above the limit of " + maxBytes);
        }
        return value;
    }

    /** Checks a request id of a client request: chosen by the client, strictly positive. */
    static long requestId(long requestId) {
        if (requestId <= 0) {
            throw new IllegalArgumentException("requestId must be > 0, got " + requestId);
        }
        return requestId;
    }

    /** Checks a client id: assigned by the relay, from 1. */
    static int clientId(int clientId, String name) {
        if (clientId < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + clientId);
        }
        return clientId;
    }

    /** Checks an announced rate or burst: 1 to {@link Limits#RATE_MAX_REQUESTS}. */
    static int rate(int value, String name) {
        if (value < 1 || value > Limits.RATE_MAX_REQUESTS) {
            throw new IllegalArgumentException(name + " must be 1.." + Limits.RATE_MAX_REQUESTS + ", got " + value);
        }
        return value;
    }

    /** Checks an identity key's length and returns a private copy. */
    static byte[] identityKey(byte[] key) {
        Objects.requireNonNull(key, "identityKey");
        if (key.length < Limits.IDENTITY_KEY_MIN_BYTES || key.length > Limits.IDENTITY_KEY_MAX_BYTES) {
            throw new IllegalArgumentException("identityKey is " + key.length + " bytes, expected "
                    + Limits.IDENTITY_KEY_MIN_BYTES + ".." + Limits.IDENTITY_KEY_MAX_BYTES);
        }
        return key.clone();
    }

    /** Checks an opaque byte field: 1 to {@code maxBytes} bytes; returns a private copy. */
    static byte[] bytes(byte[] b, String name, int maxBytes) {
        Objects.requireNonNull(b, name);
        if (b.length < 1 || b.length > maxBytes) {
            throw new IllegalArgumentException(name + " is " + b.length + " bytes, expected 1.." + maxBytes);
        }
        return b.clone();
    }

    /** Describes a text's size without showing it, for {@code toString}. */
    static String redacted(String text) {
        return "<" + text.length() + " chars>";
    }
}
