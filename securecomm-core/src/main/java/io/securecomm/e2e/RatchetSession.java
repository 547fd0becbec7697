package io.securecomm.e2e;

import static io.securecomm.e2e.ChainCrypto.wipe;

import io.securecomm.e2e.internal.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One side of a Double Ratchet session, as Signal's Double Ratchet document (revision 1) specifies it:
 * {@code RatchetInitAlice} / {@code RatchetInitBob}, {@code RatchetEncrypt}, {@code RatchetDecrypt}
 * with {@code TrySkippedMessageKeys}, {@code SkipMessageKeys} and {@code DHRatchet}.
 *
 * <p>Parameters: {@code DH} is X25519; {@code KDF_RK} is HKDF-SHA-256 with info
 * {@code "securecomm-ratchet-root-v1"}; {@code KDF_CK} is HMAC-SHA-256 with inputs 0x01 (message key)
 * and 0x02 (next chain key); {@code ENCRYPT} derives a ChaCha20-Poly1305 key and nonce from the
 * message key with HKDF-SHA-256 (info {@code "securecomm-ratchet-message-v1"}) and authenticates
 * {@code AD || header}. See {@link RatchetMessage} for the header.
 *
 * <p>Security: every message key is used once and deleted (forward secrecy); every reply triggers a
 * fresh DH step (post-compromise security). Out-of-order messages are handled by storing skipped message
 * keys: at most {@value #MAX_SKIP} per chain step, at most {@value #MAX_STORED_SKIPPED_KEYS} in total
 * (the oldest are deleted beyond that). A decryption that fails for any reason leaves the state exactly
 * as it was, as the specification requires.
 *
 * <p>A secret: redacted {@link #toString()}, {@link #close()} wipes the keys (best effort). Not
 * thread-safe: confine each session to one thread or lock around it.
 */
final class RatchetSession implements AutoCloseable {
    /** The most message keys one message may make this party skip in a single chain ({@code MAX_SKIP}). */
    public static final int MAX_SKIP = 1000;
    /** The most skipped message keys kept in total; beyond it the oldest are deleted. */
    public static final int MAX_STORED_SKIPPED_KEYS = 2000;
    /** How many previous receiving ratchet keys are remembered to recognise replays of old chains. */
    public static final int REMEMBERED_RATCHET_KEYS = 16;

    private static final byte[] INFO_RK = "securecomm-ratchet-root-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO_MESSAGE = "securecomm-ratchet-message-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int STATE_VERSION = 1;

    private record SkippedKey(String dh, int n) {}

    private final SecureRandom random;
    private byte[] ad;
    private byte[] dhsPrivate;
    private byte[] dhsPublic;
    private byte[] dhr;
    private byte[] rk;
    private byte[] cks;
    private byte[] ckr;
    private int ns;
    private int nr;
    private int pn;
    private LinkedHashMap<SkippedKey, byte[]> mkSkipped = new LinkedHashMap<>();
    private ArrayDeque<String> previousDhr = new ArrayDeque<>();
    private boolean closed;

    private RatchetSession(SecureRandom random) {
        this.random = random;
    }

    /**
     * {@code RatchetInitAlice}: the initiator, after PQXDH, with the responder's signed pre-key as the
     * responder's first ratchet public key.
     *
     * @param sk the 32-byte shared secret from PQXDH (copied)
     * @param associatedData the PQXDH associated data (copied)
     * @param bobRatchetPublicKey the responder's ratchet public key (its signed pre-key)
     * @param random randomness for ratchet key pairs
     * @return the session, ready to encrypt
     * @throws InvalidEncodingException if the responder's key is not a valid X25519 public key
     */
    public static RatchetSession initAlice(byte[] sk, byte[] associatedData, byte[] bobRatchetPublicKey,
            SecureRandom random) throws InvalidEncodingException {
        RatchetSession s = new RatchetSession(Objects.requireNonNull(random, "random"));
        s.ad = associatedData.clone();
        byte[][] kp = X25519.generate(random);
        s.dhsPrivate = kp[0];
        s.dhsPublic = kp[1];
        s.dhr = bobRatchetPublicKey.clone();
        byte[] dhOut = X25519.dh(s.dhsPrivate, s.dhr);
        byte[][] out = ChainCrypto.KDF_RK(sk, dhOut, INFO_RK);
        wipe(dhOut);
        s.rk = out[0];
        s.cks = out[1];
        return s;
    }

    /**
     * {@code RatchetInitBob}: the responder, after PQXDH, whose signed pre-key pair is its first ratchet
     * key pair.
     *
     * @param sk the 32-byte shared secret from PQXDH (copied)
     * @param associatedData the PQXDH associated data (copied)
     * @param bobRatchetPrivateKey the signed pre-key's private key (copied)
     * @param bobRatchetPublicKey the signed pre-key's public key (copied)
     * @param random randomness for ratchet key pairs
     * @return the session, ready to decrypt the initiator's first message
     */
    public static RatchetSession initBob(byte[] sk, byte[] associatedData, byte[] bobRatchetPrivateKey,
            byte[] bobRatchetPublicKey, SecureRandom random) {
        RatchetSession s = new RatchetSession(Objects.requireNonNull(random, "random"));
        s.ad = associatedData.clone();
        s.dhsPrivate = bobRatchetPrivateKey.clone();
        s.dhsPublic = bobRatchetPublicKey.clone();
        s.rk = sk.clone();
        return s;
    }

    /**
     * {@code RatchetEncrypt}: advances the sending chain and encrypts one message.
     *
     * @param plaintext the plaintext
     * @return the message to send
     * @throws IllegalStateException if the session is closed, or has no sending chain yet (a responder
     *     must receive before it can send)
     */
    public RatchetMessage encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        checkOpen();
        if (cks == null) {
            throw new IllegalStateException("no sending chain yet: the responder must receive a message first");
        }
        byte[][] out = ChainCrypto.KDF_CK(cks);
        wipe(cks);
        cks = out[0];
        byte[] mk = out[1];
        try {
            byte[] header = new ByteWriter().u8(RatchetMessage.VERSION).u8(RatchetMessage.TYPE).bytes(dhsPublic)
                    .u32(pn).u32(ns).toByteArray();
            byte[] ct = ChainCrypto.ENCRYPT(mk, plaintext, concat(ad, header), INFO_MESSAGE);
            RatchetMessage m = new RatchetMessage(dhsPublic, pn, ns, ct);
            ns++;
            return m;
        } finally {
            wipe(mk);
        }
    }

    /**
     * Tells whether this session can encrypt (the initiator always can; the responder once it has
     * received a message).
     *
     * @return whether a sending chain exists
     */
    public boolean canEncrypt() {
        return cks != null;
    }

    /**
     * {@code RatchetDecrypt}: decrypts one message, in any order within the skip bounds. On any failure
     * the state is unchanged.
     *
     * @param message the received message
     * @return the plaintext
     * @throws DuplicateMessageException if the message's key was already used (a replay)
     * @throws TooManySkippedMessagesException if reaching the message would skip more than
     *     {@value #MAX_SKIP} message keys
     * @throws InvalidMessageException if authentication fails
     * @throws InvalidEncodingException if the header's ratchet key is not a valid X25519 key
     */
    public byte[] decrypt(RatchetMessage message) throws DuplicateMessageException, TooManySkippedMessagesException,
            InvalidMessageException, InvalidEncodingException {
        Objects.requireNonNull(message, "message");
        checkOpen();
        byte[] associated = concat(ad, message.header());
        byte[] plaintext = TrySkippedMessageKeys(message, associated);
        if (plaintext != null) {
            return plaintext;
        }
        String dhHex = hex(message.dh());
        if (dhr != null && MessageDigest.isEqual(dhr, message.dh())
                && Integer.toUnsignedLong(message.n()) < Integer.toUnsignedLong(nr)) {
            throw new DuplicateMessageException("message " + Integer.toUnsignedString(message.n())
                    + " of the current chain was already decrypted (or its key expired)");
        }
        if (previousDhr.contains(dhHex)) {
            throw new DuplicateMessageException(
                    "message of an earlier chain was already decrypted (or its key expired)");
        }
        // Work on a copy: the specification discards every state change when decryption fails.
        RatchetSession work = copy();
        try {
            if (work.dhr == null || !MessageDigest.isEqual(work.dhr, message.dh())) {
                work.SkipMessageKeys(message.pn());
                work.DHRatchet(message);
            }
            work.SkipMessageKeys(message.n());
            byte[][] out = ChainCrypto.KDF_CK(work.ckr);
            wipe(work.ckr);
            work.ckr = out[0];
            byte[] mk = out[1];
            work.nr++;
            try {
                plaintext = ChainCrypto.DECRYPT(mk, message.ciphertext(), associated, INFO_MESSAGE);
            } finally {
                wipe(mk);
            }
            work.evictSkipped();
            adopt(work);
            return plaintext;
        } finally {
            work.close();
        }
    }

    private byte[] TrySkippedMessageKeys(RatchetMessage message, byte[] associated) throws InvalidMessageException {
        SkippedKey key = new SkippedKey(hex(message.dh()), message.n());
        byte[] mk = mkSkipped.get(key);
        if (mk == null) {
            return null;
        }
        byte[] plaintext = ChainCrypto.DECRYPT(mk, message.ciphertext(), associated, INFO_MESSAGE);
        mkSkipped.remove(key);
        wipe(mk);
        return plaintext;
    }

    private void SkipMessageKeys(int until) throws TooManySkippedMessagesException {
        long target = Integer.toUnsignedLong(until);
        long current = Integer.toUnsignedLong(nr);
        if (current + MAX_SKIP < target) {
            throw new TooManySkippedMessagesException(target - current, MAX_SKIP);
        }
        if (ckr != null) {
            String dh = hex(dhr);
            while (Integer.toUnsignedLong(nr) < target) {
                byte[][] out = ChainCrypto.KDF_CK(ckr);
                wipe(ckr);
                ckr = out[0];
                mkSkipped.put(new SkippedKey(dh, nr), out[1]);
                nr++;
            }
        }
    }

    private void DHRatchet(RatchetMessage message) throws InvalidEncodingException {
        if (dhr != null) {
            previousDhr.addLast(hex(dhr));
            while (previousDhr.size() > REMEMBERED_RATCHET_KEYS) {
                previousDhr.removeFirst();
            }
        }
        pn = ns;
        ns = 0;
        nr = 0;
        wipe(dhr);
        dhr = message.dh();
        byte[] dhOut = X25519.dh(dhsPrivate, dhr);
        byte[][] out = ChainCrypto.KDF_RK(rk, dhOut, INFO_RK);
        wipe(dhOut, rk, ckr);
        rk = out[0];
        ckr = out[1];
        byte[][] kp = X25519.generate(random);
        wipe(dhsPrivate);
        dhsPrivate = kp[0];
        dhsPublic = kp[1];
        dhOut = X25519.dh(dhsPrivate, dhr);
        out = ChainCrypto.KDF_RK(rk, dhOut, INFO_RK);
        wipe(dhOut, rk, cks);
        rk = out[0];
        cks = out[1];
    }

    private void evictSkipped() {
        Iterator<Map.Entry<SkippedKey, byte[]>> it = mkSkipped.entrySet().iterator();
        while (mkSkipped.size() > MAX_STORED_SKIPPED_KEYS && it.hasNext()) {
            wipe(it.next().getValue());
            it.remove();
        }
    }

    /**
     * Returns how many skipped message keys are stored (for tests and monitoring).
     *
     * @return the count
     */
    public int skippedKeyCount() {
        return mkSkipped.size();
    }

    /**
     * Returns a deep copy of the session state, to try an operation and keep or discard it.
     *
     * @return an independent copy
     */
    RatchetSession copy() {
        checkOpen();
        RatchetSession c = new RatchetSession(random);
        c.ad = ad.clone();
        c.dhsPrivate = dhsPrivate.clone();
        c.dhsPublic = dhsPublic.clone();
        c.dhr = dhr == null ? null : dhr.clone();
        c.rk = rk.clone();
        c.cks = cks == null ? null : cks.clone();
        c.ckr = ckr == null ? null : ckr.clone();
        c.ns = ns;
        c.nr = nr;
        c.pn = pn;
        for (Map.Entry<SkippedKey, byte[]> e : mkSkipped.entrySet()) {
            c.mkSkipped.put(e.getKey(), e.getValue().clone());
        }
        c.previousDhr = new ArrayDeque<>(previousDhr);
        return c;
    }

    /** Takes over {@code other}'s state (other's arrays are moved, ours wiped); {@code other} is emptied. */
    private void adopt(RatchetSession other) {
        wipeAll();
        ad = other.ad;
        dhsPrivate = other.dhsPrivate;
        dhsPublic = other.dhsPublic;
        dhr = other.dhr;
        rk = other.rk;
        cks = other.cks;
        ckr = other.ckr;
        ns = other.ns;
        nr = other.nr;
        pn = other.pn;
        mkSkipped = other.mkSkipped;
        previousDhr = other.previousDhr;
        other.ad = null;
        other.dhsPrivate = null;
        other.dhr = null;
        other.rk = null;
        other.cks = null;
        other.ckr = null;
        other.mkSkipped = new LinkedHashMap<>();
    }

    /** The current sending chain key, for tests of post-compromise security. */
    byte[] sendingChainKeyForTesting() {
        return cks == null ? null : cks.clone();
    }

    /**
     * Decrypts a message with a given message key, as an attacker who learned that key would; for tests.
     *
     * @return the plaintext
     * @throws InvalidMessageException if the key is wrong
     */
    static byte[] decryptWithMessageKeyForTesting(byte[] mk, byte[] ad, RatchetMessage m)
            throws InvalidMessageException {
        return ChainCrypto.DECRYPT(mk, m.ciphertext(), concat(ad, m.header()), INFO_MESSAGE);
    }

    /**
     * Encodes the whole state for a {@link SessionStore}. The bytes are secret.
     *
     * @return the encoding (internal, versioned)
     */
    byte[] encode() {
        checkOpen();
        ByteWriter w = new ByteWriter().u8(STATE_VERSION).bytes16(ad).bytes(dhsPrivate).bytes(dhsPublic);
        w.bool(dhr != null);
        if (dhr != null) {
            w.bytes(dhr);
        }
        w.bytes(rk);
        w.bool(cks != null);
        if (cks != null) {
            w.bytes(cks);
        }
        w.bool(ckr != null);
        if (ckr != null) {
            w.bytes(ckr);
        }
        w.u32(ns).u32(nr).u32(pn);
        w.u16(previousDhr.size());
        for (String h : previousDhr) {
            w.bytes(HexFormat.of().parseHex(h));
        }
        w.u32(mkSkipped.size());
        for (Map.Entry<SkippedKey, byte[]> e : mkSkipped.entrySet()) {
            w.bytes(HexFormat.of().parseHex(e.getKey().dh())).u32(e.getKey().n()).bytes(e.getValue());
        }
        return w.toByteArray();
    }

    /**
     * Reads a state written by {@link #encode()}.
     *
     * @param r the reader
     * @param random randomness for future ratchet key pairs
     * @return the session
     * @throws InvalidEncodingException if the bytes do not parse
     */
    static RatchetSession read(ByteReader r, SecureRandom random) throws InvalidEncodingException {
        if (r.u8() != STATE_VERSION) {
            throw new InvalidEncodingException("ratchet state has an unknown version");
        }
        RatchetSession s = new RatchetSession(random);
        s.ad = r.bytes16();
        s.dhsPrivate = r.bytes(32);
        s.dhsPublic = r.bytes(32);
        s.dhr = r.bool() ? r.bytes(32) : null;
        s.rk = r.bytes(32);
        s.cks = r.bool() ? r.bytes(32) : null;
        s.ckr = r.bool() ? r.bytes(32) : null;
        s.ns = r.u32();
        s.nr = r.u32();
        s.pn = r.u32();
        int prev = r.u16();
        for (int i = 0; i < prev; i++) {
            s.previousDhr.addLast(hex(r.bytes(32)));
        }
        long skipped = Integer.toUnsignedLong(r.u32());
        if (skipped > MAX_STORED_SKIPPED_KEYS) {
            throw new InvalidEncodingException("ratchet state stores " + skipped + " skipped keys; the maximum is "
                    + MAX_STORED_SKIPPED_KEYS);
        }
        for (long i = 0; i < skipped; i++) {
            s.mkSkipped.put(new SkippedKey(hex(r.bytes(32)), r.u32()), r.bytes(32));
        }
        return s;
    }

    /**
     * Decodes a state written by {@link #encode()}.
     *
     * @param encoded the encoding
     * @param random randomness for future ratchet key pairs
     * @return the session
     * @throws InvalidEncodingException if the bytes do not parse
     */
    static RatchetSession decode(byte[] encoded, SecureRandom random) throws InvalidEncodingException {
        ByteReader r = new ByteReader(encoded, "ratchet state");
        RatchetSession s = read(r, random);
        r.end();
        return s;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ratchet session is closed");
        }
    }

    private void wipeAll() {
        wipe(dhsPrivate, rk, cks, ckr);
        for (byte[] mk : mkSkipped.values()) {
            wipe(mk);
        }
        mkSkipped.clear();
    }

    /** Wipes every key this session holds. */
    @Override
    public void close() {
        if (!closed) {
            wipeAll();
            closed = true;
        }
    }

    /**
     * Redacted: shows only counters.
     *
     * @return a description without keys
     */
    @Override
    public String toString() {
        return "RatchetSession[ns=" + Integer.toUnsignedString(ns) + ", nr=" + Integer.toUnsignedString(nr)
                + ", skipped=" + mkSkipped.size() + ", keys=<redacted>]";
    }

    /** Lists the skipped keys' identities (dh hex, n) for tests. */
    List<String> skippedIdsForTesting() {
        List<String> ids = new ArrayList<>();
        for (SkippedKey k : mkSkipped.keySet()) {
            ids.add(k.dh() + ":" + k.n());
        }
        return ids;
    }
}
