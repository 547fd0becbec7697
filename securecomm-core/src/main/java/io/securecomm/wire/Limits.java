package io.securecomm.wire;

/**
 * The size limits of wire protocol v1, in two tiers (see docs/PROTOCOL.md, "Limits").
 *
 * <p><b>Codec caps</b> ({@code *_FIELD_MAX_BYTES}, {@link #IDENTITY_KEY_MAX_BYTES},
 * {@link #CLIENT_LIST_MAX_ENTRIES}) bound what a message can carry at all. The record constructors reject
 * values above them with {@link IllegalArgumentException}, and {@link MessageCodec#decode(byte[])} rejects
 * them with {@link MalformedMessageException.Reason#FIELD_TOO_LONG} before it allocates anything for the
 * field. They keep every message far below one Noise transport record.
 *
 * <p><b>Application rules</b> ({@code NICKNAME_*}, {@code TEXT_*}) are narrower. The codec does not enforce
 * them, so that a peer who breaks one gets a polite {@link ErrorCode} instead of a dropped connection: the
 * relay checks them with {@link #isValidNickname(String)} and {@link #isValidText(String)} and answers with
 * {@link ErrorCode#INVALID_NICKNAME}, {@link ErrorCode#EMPTY_MESSAGE} or {@link ErrorCode#MESSAGE_TOO_LONG}.
 * Clients should apply the same rules before sending, and to what they display.
 */
public final class Limits {
    /** Shortest nickname, in characters. */
    public static final int NICKNAME_MIN_CHARS = 1;

    /**
     * Longest nickname, in characters. Nicknames are ASCII only (see {@link #isValidNickname(String)}), so
     * this is also their length in UTF-8 bytes.
     */
    public static final int NICKNAME_MAX_CHARS = 24;

    /** Shortest chat text, in UTF-8 bytes: empty text is {@link ErrorCode#EMPTY_MESSAGE}. */
    public static final int TEXT_MIN_BYTES = 1;

    /** Longest chat text, in UTF-8 bytes: longer text is {@link ErrorCode#MESSAGE_TOO_LONG}. */
    public static final int TEXT_MAX_BYTES = 4096;

    /** Codec cap of every nickname field, in UTF-8 bytes. */
    public static final int NICKNAME_FIELD_MAX_BYTES = 64;

    /** Codec cap of every chat text field, in UTF-8 bytes. */
    public static final int TEXT_FIELD_MAX_BYTES = 8192;

    /**
     * Codec cap of the informational strings ({@code clientVersion}, {@code serverInfo} and the
     * {@code detail} of {@link ErrorReply} and {@link Bye}), in UTF-8 bytes.
     */
    public static final int INFO_FIELD_MAX_BYTES = 256;

    /** Shortest identity key, in bytes: an identity key is never empty. */
    public static final int IDENTITY_KEY_MIN_BYTES = 1;

    /** Codec cap of an identity key, in bytes (an X25519 key is 32, an X448 key 56). */
    public static final int IDENTITY_KEY_MAX_BYTES = 64;

    /**
     * Codec cap of an {@link UploadPreKeys} field, in bytes: 40 KiB, the most an encoded
     * {@code io.securecomm.e2e.PreKeyUpload} may take (its signed keys take 1871 bytes, each one-time curve pre-key 36
     * and each one-time ML-KEM pre-key 1638; a securecomm client sends uploads of at most 16,357 bytes, to fit the
     * relay's default frame).
     */
    public static final int PRE_KEYS_FIELD_MAX_BYTES = 40960;

    /**
     * Codec cap of a {@link PreKeyBundleResponse} bundle, in bytes (an encoded bundle, with its ML-KEM pre-key, is at
     * most 1904).
     */
    public static final int PRE_KEY_BUNDLE_FIELD_MAX_BYTES = 2048;

    /**
     * Codec cap of an end-to-end ciphertext ({@link SendEnvelope}, {@link Envelope}, {@link SendRoomEnvelope},
     * {@link RoomEnvelope}), in bytes: room for a {@value #TEXT_MAX_BYTES}-byte text with every header, tag
     * and signature of the end-to-end layer (docs/E2E.md).
     */
    public static final int ENVELOPE_FIELD_MAX_BYTES = 8192;

    /**
     * Most entries in one {@link ClientList} and most recipients of one {@link SendRoomEnvelope}: a {@code ClientList}
     * carries the members of the public room, so a relay's room has at most this many members at once (its
     * configurable member limit is at most this). The relay admits more clients than that; the others are online
     * outside the room and are listed page by page ({@link ListPage}).
     */
    public static final int CLIENT_LIST_MAX_ENTRIES = 256;

    /** Most message ids in one {@link AckStored}. */
    public static final int ACK_MAX_MESSAGE_IDS = 256;
    /**
     * Most entries in one {@link ListPage} (and the most a {@link ListPageRequest} may ask for). A full page is at most
     * 35,096 bytes, so it fits one record with room to spare.
     */
    public static final int LIST_PAGE_MAX_ENTRIES = 256;

    /** The largest rate or burst a {@link Welcome} announces (the relay's own bound on its rate limit). */
    public static final int RATE_MAX_REQUESTS = 1_000_000;

    private Limits() {}

    /**
     * Tells whether a nickname follows the application rule: {@value #NICKNAME_MIN_CHARS} to
     * {@value #NICKNAME_MAX_CHARS} characters, each an ASCII letter, an ASCII digit, {@code '_'},
     * {@code '-'} or {@code '.'}, and not digits only (so that it can never be mistaken for a client id).
     *
     * <p>ASCII only is deliberate: it rules out look-alike letters from other scripts, invisible
     * characters and terminal control sequences.
     *
     * @param nickname the nickname to check
     * @return {@code true} if the relay accepts it
     */
    public static boolean isValidNickname(String nickname) {
        return nicknameProblem(nickname) == null;
    }

    /**
     * Explains why a nickname breaks the rule of {@link #isValidNickname(String)}, in one sentence fit to show
     * the person who chose it.
     *
     * @param nickname the nickname to check
     * @return {@code null} if the nickname is valid, otherwise what is wrong with it
     */
    public static String nicknameProblem(String nickname) {
        int n = nickname.length();
        if (n < NICKNAME_MIN_CHARS) {
            return "the nickname is empty";
        }
        if (n > NICKNAME_MAX_CHARS) {
            return "the nickname has " + n + " characters; the limit is " + NICKNAME_MAX_CHARS;
        }
        boolean onlyDigits = true;
        for (int i = 0; i < n; i++) {
            char c = nickname.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!digit && !letter && c != '_' && c != '-' && c != '.') {
                return "the nickname may contain only letters a-z and A-Z, digits, '_', '-' and '.'";
            }
            onlyDigits &= digit;
        }
        return onlyDigits ? "the nickname must not be digits only (it would look like a client id)" : null;
    }

    /**
     * Tells whether a chat text follows the application rule: {@value #TEXT_MIN_BYTES} to
     * {@value #TEXT_MAX_BYTES} UTF-8 bytes.
     *
     * @param text the text to check; it must be well-formed UTF-16 (no unpaired surrogates)
     * @return {@code true} if the relay accepts it
     * @throws IllegalArgumentException if {@code text} contains an unpaired surrogate
     */
    public static boolean isValidText(String text) {
        int bytes = Fields.utf8Length(text);
        return bytes >= TEXT_MIN_BYTES && bytes <= TEXT_MAX_BYTES;
    }
}
