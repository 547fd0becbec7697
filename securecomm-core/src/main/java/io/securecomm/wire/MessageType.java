package io.securecomm.wire;

/**
 * The one-byte type code that starts every encoded {@link Message}.
 *
 * <p>Assigned ranges (docs/PROTOCOL.md, "Message types"): {@code 0x00} is never valid; {@code 0x01-0x3F}
 * relay messages (0x01-0x0F used by v1, the rest reserved for relay messages added later);
 * {@code 0x40-0x5F} the end-to-end messages (0x40-0x47 used: pre-keys and opaque envelopes) (opaque ciphertext for one
 * client or for the room); {@code 0x60-0x6F} reserved for legacy and teaching messages; {@code 0x70-0xFF} unassigned. A
 * decoder that meets a code it does not know fails with {@link MalformedMessageException.Reason#UNKNOWN_TYPE}.
 */
public enum MessageType {
    /** {@link ClientHello}, client to relay. */
    CLIENT_HELLO(0x01),
    /** {@link Welcome}, relay to client. */
    WELCOME(0x02),
    /** {@link ListRequest}, client to relay. */
    LIST_REQUEST(0x03),
    /** {@link ClientList}, relay to client. */
    CLIENT_LIST(0x04),
    /** {@link SendPublic}, client to relay. */
    SEND_PUBLIC(0x05),
    /** {@link PublicMessage}, relay to client. */
    PUBLIC_MESSAGE(0x06),
    /** {@link SendPrivate}, client to relay. */
    SEND_PRIVATE(0x07),
    /** {@link PrivateMessage}, relay to client. */
    PRIVATE_MESSAGE(0x08),
    /** {@link Delivered}, relay to client. */
    DELIVERED(0x09),
    /** {@link ErrorReply}, relay to client. */
    ERROR_REPLY(0x0A),
    /** {@link Joined}, relay to client. */
    JOINED(0x0B),
    /** {@link Left}, relay to client. */
    LEFT(0x0C),
    /** {@link Ping}, either direction. */
    PING(0x0D),
    /** {@link Pong}, either direction. */
    PONG(0x0E),
    /** {@link Bye}, either direction. */
    BYE(0x0F),
    /** {@link AccountHello}. */
    ACCOUNT_HELLO(0x10),
    /** {@link SendToAccount}. */
    SEND_TO_ACCOUNT(0x11),
    /** {@link DeliveryReport}. */
    DELIVERY_REPORT(0x12),
    /** {@link StoredEnvelope}. */
    STORED_ENVELOPE(0x13),
    /** {@link AckStored}. */
    ACK_STORED(0x14),
    /** {@link AccountBundleRequest}. */
    ACCOUNT_BUNDLE_REQUEST(0x15),
    /** {@link AccountBundle}. */
    ACCOUNT_BUNDLE(0x16),
    /** {@link ReleaseAccount}. */
    RELEASE_ACCOUNT(0x17),
    /** {@link ListPageRequest}. */
    LIST_PAGE_REQUEST(0x20),
    /** {@link ListPage}. */
    LIST_PAGE(0x21),
    /** {@link UploadPreKeys}, client to relay. */
    UPLOAD_PRE_KEYS(0x40),
    /** {@link PreKeyBundleRequest}, client to relay. */
    PRE_KEY_BUNDLE_REQUEST(0x41),
    /** {@link PreKeyBundleResponse}, relay to client. */
    PRE_KEY_BUNDLE_RESPONSE(0x42),
    /** {@link PreKeyCount}, relay to client. */
    PRE_KEY_COUNT(0x43),
    /** {@link SendEnvelope}, client to relay. */
    SEND_ENVELOPE(0x44),
    /** {@link Envelope}, relay to client. */
    ENVELOPE(0x45),
    /** {@link SendRoomEnvelope}, client to relay. */
    SEND_ROOM_ENVELOPE(0x46),
    /** {@link RoomEnvelope}, relay to client. */
    ROOM_ENVELOPE(0x47);

    /** First code of the range reserved for end-to-end envelopes. */
    public static final int E2E_RANGE_FIRST = 0x40;
    /** Last code of the range reserved for end-to-end envelopes. */
    public static final int E2E_RANGE_LAST = 0x5F;
    /** First code of the range reserved for legacy and teaching messages. */
    public static final int LEGACY_RANGE_FIRST = 0x60;
    /** Last code of the range reserved for legacy and teaching messages. */
    public static final int LEGACY_RANGE_LAST = 0x6F;

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /**
     * Returns the type code on the wire.
     *
     * @return the code, 0x01..0xFF
     */
    public int code() {
        return code;
    }

    /** Returns the type for a code, or {@code null} if v1 does not define it. */
    static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
