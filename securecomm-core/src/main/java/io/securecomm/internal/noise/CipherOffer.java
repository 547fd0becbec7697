package io.securecomm.internal.noise;

import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseCipher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The cipher offer a client may send as the payload of handshake message 1 (docs/PROTOCOL.md, section 3): the Noise
 * ciphers it would rather use than {@code ChaChaPoly}, in its order of preference. {@code ChaChaPoly} needs no offer:
 * every relay speaks it.
 *
 * <pre>
 * +------+-------+-----------+-------------------+-----------+-------------------+
 * | 0x01 | count | length 1  | name 1 (ASCII)    | length 2  | name 2 ...        |
 * +------+-------+-----------+-------------------+-----------+-------------------+
 *   format  1 to 8  1 to 32     a Noise cipher name
 * </pre>
 *
 * <p>An empty payload is no offer. A payload that starts with another format byte is an offer this version cannot
 * read, taken as no offer, so that a later format reaches old relays as v1 does. A name this version does not know is
 * skipped. A format-1 payload that does not parse fails the handshake.
 */
public final class CipherOffer {
    /** The format byte of this encoding. */
    public static final int FORMAT = 1;
    /** The most ciphers one offer names. */
    public static final int MAX_CIPHERS = 8;
    /** The longest cipher name, in bytes. */
    public static final int MAX_NAME_BYTES = 32;

    private CipherOffer() {}

    /**
     * Encodes an offer.
     *
     * @param ciphers the ciphers, in order of preference; at most {@value #MAX_CIPHERS}
     * @return the payload of message 1: empty for an empty offer
     * @throws IllegalArgumentException if there are too many ciphers
     */
    public static byte[] encode(List<NoiseCipher> ciphers) {
        if (ciphers.isEmpty()) {
            return new byte[0];
        }
        if (ciphers.size() > MAX_CIPHERS) {
            throw new IllegalArgumentException("an offer names at most " + MAX_CIPHERS + " ciphers, not "
                    + ciphers.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FORMAT);
        out.write(ciphers.size());
        for (NoiseCipher cipher : ciphers) {
            byte[] name = cipher.specName().getBytes(StandardCharsets.US_ASCII);
            out.write(name.length);
            out.writeBytes(name);
        }
        return out.toByteArray();
    }

    /**
     * Decodes the payload of message 1.
     *
     * @param payload the payload
     * @return the offered ciphers this version knows, in the offer's order, without repeats; empty for no offer
     * @throws HandshakeException with {@link HandshakeException.Reason#MALFORMED_MESSAGE} if a format-1 offer does
     *     not parse: a count or length out of range, bytes missing or left over
     */
    public static List<NoiseCipher> decode(byte[] payload) throws HandshakeException {
        if (payload.length == 0 || (payload[0] & 0xff) != FORMAT) {
            return List.of();
        }
        if (payload.length < 2) {
            throw malformed("ends before its count");
        }
        int count = payload[1] & 0xff;
        if (count < 1 || count > MAX_CIPHERS) {
            throw malformed("names " + count + " ciphers; an offer names 1 to " + MAX_CIPHERS);
        }
        List<NoiseCipher> offered = new ArrayList<>(count);
        int pos = 2;
        for (int i = 0; i < count; i++) {
            if (pos >= payload.length) {
                throw malformed("ends before cipher " + (i + 1) + " of " + count);
            }
            int length = payload[pos++] & 0xff;
            if (length < 1 || length > MAX_NAME_BYTES || pos + length > payload.length) {
                throw malformed("has a cipher name of " + length + " bytes where 1 to " + MAX_NAME_BYTES
                        + " bytes, all present, are allowed");
            }
            NoiseCipher cipher = named(new String(payload, pos, length, StandardCharsets.US_ASCII));
            pos += length;
            if (cipher != null && !offered.contains(cipher)) {
                offered.add(cipher);
            }
        }
        if (pos != payload.length) {
            throw malformed("has " + (payload.length - pos) + " bytes after its last cipher name");
        }
        return List.copyOf(offered);
    }

    /** The cipher whose Noise name this is, exactly; {@code null} for a name this version does not know. */
    private static NoiseCipher named(String name) {
        for (NoiseCipher cipher : NoiseCipher.values()) {
            if (cipher.specName().equals(name)) {
                return cipher;
            }
        }
        return null;
    }

    private static HandshakeException malformed(String what) {
        return new HandshakeException(HandshakeException.Reason.MALFORMED_MESSAGE,
                "the cipher offer in handshake message 1 " + what, null);
    }
}
