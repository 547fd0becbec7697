package io.securecomm.crypto.insecure;

import io.securecomm.crypto.insecure.LegacyHandshakeException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One handshake frame of the INSECURE legacy suite (layouts in {@link LegacySuite}). Public values are sent in
 * clear and signed by nobody, which is exactly what the teaching attacks exploit. Immutable.
 *
 * @param kind which frame this is
 * @param publicValue the sender's Diffie-Hellman public value, 0..2^32-1 (0 in a legacy-only offer)
 * @param suiteName the announced suite name (empty in a client hello), printable ASCII, at most 255 bytes
 */
public record LegacyHello(Kind kind, long publicValue, String suiteName) {
    /** The kind of a legacy handshake frame, with its code byte (offset 8). */
    public enum Kind {
        /** Client to relay: the client's public value A. */
        CLIENT_HELLO(1),
        /** Relay to client: the relay's public value B and the suite name it announces. */
        RELAY_HELLO(2),
        /** Relay to a Noise client: this relay speaks only the legacy suite; the relay closes afterwards. */
        LEGACY_ONLY_OFFER(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /**
         * The code byte.
         *
         * @return 1, 2 or 3
         */
        public int code() {
            return code;
        }
    }

    /**
     * Checks the fields.
     *
     * @param kind which frame
     * @param publicValue the public value
     * @param suiteName the suite name
     * @throws IllegalArgumentException if a field is out of range or does not fit its kind
     */
    public LegacyHello {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(suiteName, "suiteName");
        if (publicValue < 0 || publicValue > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("public value must fit in 32 bits, got " + publicValue);
        }
        if (suiteName.length() > 255 || !suiteName.chars().allMatch(c -> c >= 0x21 && c < 0x7F)) {
            throw new IllegalArgumentException("suite name must be at most 255 printable ASCII characters");
        }
        if (kind == Kind.CLIENT_HELLO && !suiteName.isEmpty()) {
            throw new IllegalArgumentException("a client hello carries no suite name");
        }
        if (kind == Kind.LEGACY_ONLY_OFFER && publicValue != 0) {
            throw new IllegalArgumentException("a legacy-only offer carries no public value");
        }
    }

    /**
     * A client hello.
     *
     * @param publicValue the client's public value A
     * @return the frame
     */
    public static LegacyHello clientHello(long publicValue) {
        return new LegacyHello(Kind.CLIENT_HELLO, publicValue, "");
    }

    /**
     * A relay hello announcing {@link LegacySuite#NAME}.
     *
     * @param publicValue the relay's public value B
     * @return the frame
     */
    public static LegacyHello relayHello(long publicValue) {
        return new LegacyHello(Kind.RELAY_HELLO, publicValue, LegacySuite.NAME);
    }

    /**
     * The offer a legacy-only relay sends to a client that opened with a Noise handshake.
     *
     * @return the frame
     */
    public static LegacyHello legacyOnlyOffer() {
        return new LegacyHello(Kind.LEGACY_ONLY_OFFER, 0, LegacySuite.NAME);
    }

    /**
     * Encodes the frame payload.
     *
     * @return a fresh array
     */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LegacySuite.magic());
        out.write(kind.code);
        if (kind != Kind.LEGACY_ONLY_OFFER) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (publicValue >>> shift));
            }
        }
        if (kind != Kind.CLIENT_HELLO) {
            byte[] name = suiteName.getBytes(StandardCharsets.US_ASCII);
            out.write(name.length);
            out.writeBytes(name);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a frame payload.
     *
     * @param frame the frame payload; not modified or retained
     * @return the hello
     * @throws LegacyHandshakeException with {@link Reason#NOT_LEGACY} if the frame lacks the magic, or
     *     {@link Reason#MALFORMED} if its kind, length or fields are wrong
     */
    public static LegacyHello decode(byte[] frame) throws LegacyHandshakeException {
        if (!LegacySuite.isLegacyFrame(frame)) {
            throw new LegacyHandshakeException(Reason.NOT_LEGACY, "the frame (" + frame.length
                    + " bytes) does not start with the legacy magic SCLEGACY");
        }
        int at = LegacySuite.MAGIC_LENGTH_BYTES;
        if (frame.length <= at) {
            throw malformed("the legacy frame ends after the magic");
        }
        int code = frame[at++] & 0xFF;
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.code == code) {
                kind = k;
            }
        }
        if (kind == null) {
            throw malformed("unknown legacy frame kind " + code);
        }
        long publicValue = 0;
        if (kind != Kind.LEGACY_ONLY_OFFER) {
            if (frame.length < at + 4) {
                throw malformed("the legacy " + kind + " is " + frame.length
                        + " bytes, too short for its public value");
            }
            for (int i = 0; i < 4; i++) {
                publicValue = (publicValue << 8) | (frame[at++] & 0xFF);
            }
        }
        String name = "";
        if (kind != Kind.CLIENT_HELLO) {
            if (frame.length < at + 1 || frame.length != at + 1 + (frame[at] & 0xFF)) {
                throw malformed("the legacy " + kind + " is " + frame.length + " bytes, which does not match its"
                        + " suite name length");
            }
            name = new String(frame, at + 1, frame[at] & 0xFF, StandardCharsets.US_ASCII);
            at = frame.length;
        }
        if (at != frame.length) {
            throw malformed("the legacy " + kind + " is " + frame.length + " bytes, expected " + at);
        }
        try {
            return new LegacyHello(kind, publicValue, name);
        } catch (IllegalArgumentException e) {
            throw malformed("the legacy " + kind + " has an invalid field: " + e.getMessage());
        }
    }

    private static LegacyHandshakeException malformed(String message) {
        return new LegacyHandshakeException(Reason.MALFORMED, message);
    }
}
