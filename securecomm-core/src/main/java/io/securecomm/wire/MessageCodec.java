package io.securecomm.wire;

import io.securecomm.wire.MalformedMessageException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Encodes and decodes the {@link Message}s of wire protocol v1: the plaintext of one Noise transport record.
 *
 * <pre>
 * +------+---------------------------+
 * | type |  fields of that type ...  |   type: 1 byte, see {@link MessageType}
 * +------+---------------------------+
 *  u8     u32 / u64: big-endian, signed two's complement
 *         str:   u16 length (big-endian) + that many bytes of UTF-8
 *         bytes: u16 length (big-endian) + that many bytes
 *         enum:  u8 code
 * </pre>
 *
 * The layout of each type is in docs/PROTOCOL.md, with golden examples the tests check against this class.
 *
 * <p>{@link #decode(byte[])} fails on any input that is not exactly one well-formed message with a
 * {@link MalformedMessageException} naming the {@link MalformedMessageException.Reason} and the offset; it
 * checks every length against its cap in {@link Limits} before it allocates, so its memory use is bounded by
 * the input's size. Stateless and thread-safe.
 */
public final class MessageCodec {
    /**
     * Largest encoded message: a Noise transport message is at most 65535 bytes, 16 of which are the
     * authentication tag. Every message the records can express is smaller (the largest, a full
     * {@link ClientList}, is well under half of this).
     */
    public static final int MAX_MESSAGE_BYTES = 65535 - 16;

    private static final int U16_MAX = 0xFFFF;

    private MessageCodec() {}

    /**
     * Encodes a message.
     *
     * @param message the message
     * @return a fresh array holding the type code and the fields
     */
    public static byte[] encode(Message message) {
        Objects.requireNonNull(message, "message");
        Writer w = new Writer();
        w.u8(message.type().code());
        switch (message.type()) {
            case CLIENT_HELLO -> {
                ClientHello m = (ClientHello) message;
                w.str(m.nickname());
                w.str(m.clientVersion());
            }
            case WELCOME -> {
                Welcome m = (Welcome) message;
                w.u32(m.clientId());
                w.str(m.nickname());
                w.str(m.serverInfo());
                w.u32(m.requestsPerSecond());
                w.u32(m.requestBurst());
            }
            case LIST_REQUEST -> w.u64(((ListRequest) message).requestId());
            case CLIENT_LIST -> {
                ClientList m = (ClientList) message;
                w.u64(m.requestId());
                w.u16(m.clients().size());
                for (ClientInfo c : m.clients()) {
                    writeClientInfo(w, c);
                }
            }
            case SEND_PUBLIC -> {
                SendPublic m = (SendPublic) message;
                w.u64(m.requestId());
                w.str(m.text());
            }
            case PUBLIC_MESSAGE -> {
                PublicMessage m = (PublicMessage) message;
                w.u32(m.senderId());
                w.str(m.senderNickname());
                w.str(m.text());
            }
            case SEND_PRIVATE -> {
                SendPrivate m = (SendPrivate) message;
                w.u64(m.requestId());
                w.u32(m.recipientId());
                w.str(m.text());
            }
            case PRIVATE_MESSAGE -> {
                PrivateMessage m = (PrivateMessage) message;
                w.u32(m.senderId());
                w.str(m.senderNickname());
                w.str(m.text());
            }
            case DELIVERED -> w.u64(((Delivered) message).requestId());
            case ERROR_REPLY -> {
                ErrorReply m = (ErrorReply) message;
                w.u64(m.requestId());
                w.u8(m.code().code());
                w.str(m.detail());
            }
            case JOINED -> writeClientInfo(w, ((Joined) message).client());
            case LEFT -> {
                Left m = (Left) message;
                w.u32(m.clientId());
                w.str(m.nickname());
                w.u8(m.reason().code());
            }
            case PING -> w.u64(((Ping) message).nonce());
            case PONG -> w.u64(((Pong) message).nonce());
            case BYE -> {
                Bye m = (Bye) message;
                w.u8(m.reason().code());
                w.str(m.detail());
            }
            case LIST_PAGE_REQUEST -> {
                ListPageRequest m = (ListPageRequest) message;
                w.u64(m.requestId());
                w.str(m.after());
                w.u16(m.maxEntries());
            }
            case LIST_PAGE -> {
                ListPage m = (ListPage) message;
                w.u64(m.requestId());
                w.u32(m.online());
                w.u32(m.roomMembers());
                w.u32(m.roomLimit());
                w.u8(m.more() ? 1 : 0);
                w.u16(m.entries().size());
                for (ListPage.Entry e : m.entries()) {
                    writeClientInfo(w, e.client());
                    w.u8(e.inRoom() ? 1 : 0);
                }
            }
            case UPLOAD_PRE_KEYS -> {
                UploadPreKeys m = (UploadPreKeys) message;
                w.u64(m.requestId());
                w.bytes(m.preKeys());
            }
            case PRE_KEY_BUNDLE_REQUEST -> {
                PreKeyBundleRequest m = (PreKeyBundleRequest) message;
                w.u64(m.requestId());
                w.u32(m.clientId());
            }
            case PRE_KEY_BUNDLE_RESPONSE -> {
                PreKeyBundleResponse m = (PreKeyBundleResponse) message;
                w.u64(m.requestId());
                w.u32(m.clientId());
                w.bytes(m.bundle());
            }
            case PRE_KEY_COUNT -> {
                PreKeyCount m = (PreKeyCount) message;
                w.u16(m.remaining());
                w.u16(m.remainingKem());
            }
            case SEND_ENVELOPE -> {
                SendEnvelope m = (SendEnvelope) message;
                w.u64(m.requestId());
                w.u32(m.recipientId());
                w.bytes(m.ciphertext());
            }
            case ENVELOPE -> {
                Envelope m = (Envelope) message;
                w.u32(m.senderId());
                w.bytes(m.ciphertext());
            }
            case SEND_ROOM_ENVELOPE -> {
                SendRoomEnvelope m = (SendRoomEnvelope) message;
                w.u64(m.requestId());
                int[] recipients = m.recipientIds();
                w.u16(recipients.length);
                for (int id : recipients) {
                    w.u32(id);
                }
                w.bytes(m.ciphertext());
            }
            case ROOM_ENVELOPE -> {
                RoomEnvelope m = (RoomEnvelope) message;
                w.u32(m.senderId());
                w.bytes(m.ciphertext());
            }
            case ACCOUNT_HELLO -> {
                AccountHello m = (AccountHello) message;
                w.str(m.nickname());
                w.str(m.clientVersion());
            }
            case SEND_TO_ACCOUNT -> {
                SendToAccount m = (SendToAccount) message;
                w.u64(m.requestId());
                w.str(m.recipient());
                w.bytes(m.ciphertext());
            }
            case DELIVERY_REPORT -> {
                DeliveryReport m = (DeliveryReport) message;
                w.u64(m.requestId());
                w.u8(m.state().code());
            }
            case STORED_ENVELOPE -> {
                StoredEnvelope m = (StoredEnvelope) message;
                w.u64(m.messageId());
                w.u64(m.sentAtMillis());
                w.str(m.senderNickname());
                w.bytes(m.senderIdentityKey());
                w.bytes(m.ciphertext());
            }
            case ACK_STORED -> {
                long[] ids = ((AckStored) message).messageIds();
                w.u16(ids.length);
                for (long id : ids) {
                    w.u64(id);
                }
            }
            case ACCOUNT_BUNDLE_REQUEST -> {
                AccountBundleRequest m = (AccountBundleRequest) message;
                w.u64(m.requestId());
                w.str(m.nickname());
            }
            case ACCOUNT_BUNDLE -> {
                AccountBundle m = (AccountBundle) message;
                w.u64(m.requestId());
                w.str(m.nickname());
                w.bytes(m.identityKey());
                w.bytes(m.bundle());
            }
            case RELEASE_ACCOUNT -> w.u64(((ReleaseAccount) message).requestId());
            default -> throw new AssertionError(message.type());
        }
        byte[] out = w.toByteArray();
        if (out.length > MAX_MESSAGE_BYTES) {
            // Unreachable with the caps of Limits; kept so a future cap change cannot silently overflow.
            throw new IllegalArgumentException(
                    "encoded message is " + out.length + " bytes, above " + MAX_MESSAGE_BYTES);
        }
        return out;
    }

    /**
     * Decodes exactly one message.
     *
     * @param encoded the plaintext of one transport record; not modified or retained
     * @return the message
     * @throws MalformedMessageException if {@code encoded} is not exactly one well-formed v1 message
     */
    public static Message decode(byte[] encoded) throws MalformedMessageException {
        Objects.requireNonNull(encoded, "encoded");
        Reader r = new Reader(encoded);
        int typeCode = r.u8("type");
        MessageType type = MessageType.fromCode(typeCode);
        if (type == null) {
            throw new MalformedMessageException(Reason.UNKNOWN_TYPE, 0,
                    String.format("type code 0x%02X is not defined in protocol v1", typeCode));
        }
        Message m = switch (type) {
            case CLIENT_HELLO -> new ClientHello(
                    r.str("nickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.str("clientVersion", Limits.INFO_FIELD_MAX_BYTES));
            case WELCOME -> new Welcome(
                    r.clientId("clientId"),
                    r.str("nickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.str("serverInfo", Limits.INFO_FIELD_MAX_BYTES),
                    r.rate("requestsPerSecond"),
                    r.rate("requestBurst"));
            case LIST_REQUEST -> new ListRequest(r.requestId(false));
            case CLIENT_LIST -> {
                long requestId = r.requestId(false);
                int count = r.count("clients", Limits.CLIENT_LIST_MAX_ENTRIES);
                List<ClientInfo> clients = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    clients.add(readClientInfo(r, "clients[" + i + "]."));
                }
                yield new ClientList(requestId, clients);
            }
            case SEND_PUBLIC -> new SendPublic(
                    r.requestId(false),
                    r.str("text", Limits.TEXT_FIELD_MAX_BYTES));
            case PUBLIC_MESSAGE -> new PublicMessage(
                    r.clientId("senderId"),
                    r.str("senderNickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.str("text", Limits.TEXT_FIELD_MAX_BYTES));
            case SEND_PRIVATE -> new SendPrivate(
                    r.requestId(false),
                    r.clientId("recipientId"),
                    r.str("text", Limits.TEXT_FIELD_MAX_BYTES));
            case PRIVATE_MESSAGE -> new PrivateMessage(
                    r.clientId("senderId"),
                    r.str("senderNickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.str("text", Limits.TEXT_FIELD_MAX_BYTES));
            case DELIVERED -> new Delivered(r.requestId(false));
            case ERROR_REPLY -> {
                long requestId = r.requestId(true);
                int at = r.position();
                ErrorCode code = ErrorCode.fromCode(r.u8("code"));
                if (code == null) {
                    throw r.invalid(at, "code", "undefined error code " + (encoded[at] & 0xFF));
                }
                yield new ErrorReply(requestId, code, r.str("detail", Limits.INFO_FIELD_MAX_BYTES));
            }
            case JOINED -> new Joined(readClientInfo(r, ""));
            case LEFT -> {
                int clientId = r.clientId("clientId");
                String nickname = r.str("nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
                int at = r.position();
                LeaveReason reason = LeaveReason.fromCode(r.u8("reason"));
                if (reason == null) {
                    throw r.invalid(at, "reason", "undefined leave reason " + (encoded[at] & 0xFF));
                }
                yield new Left(clientId, nickname, reason);
            }
            case PING -> new Ping(r.u64("nonce"));
            case PONG -> new Pong(r.u64("nonce"));
            case BYE -> {
                int at = r.position();
                ByeReason reason = ByeReason.fromCode(r.u8("reason"));
                if (reason == null) {
                    throw r.invalid(at, "reason", "undefined bye reason " + (encoded[at] & 0xFF));
                }
                yield new Bye(reason, r.str("detail", Limits.INFO_FIELD_MAX_BYTES));
            }
            case LIST_PAGE_REQUEST -> {
                long requestId = r.requestId(false);
                String after = r.str("after", Limits.NICKNAME_FIELD_MAX_BYTES);
                int at = r.position();
                int maxEntries = r.u16("maxEntries");
                if (maxEntries < 1 || maxEntries > Limits.LIST_PAGE_MAX_ENTRIES) {
                    throw r.invalid(at, "maxEntries", "must be 1.." + Limits.LIST_PAGE_MAX_ENTRIES + ", got "
                            + maxEntries);
                }
                yield new ListPageRequest(requestId, after, maxEntries);
            }
            case LIST_PAGE -> {
                long requestId = r.requestId(false);
                int online = r.count32("online");
                int at = r.position();
                int roomMembers = r.count32("roomMembers");
                if (roomMembers > online) {
                    throw r.invalid(at, "roomMembers", roomMembers + " is more than the " + online + " online");
                }
                at = r.position();
                int roomLimit = r.count32("roomLimit");
                if (roomLimit < 1) {
                    throw r.invalid(at, "roomLimit", "must be at least 1, got 0");
                }
                boolean more = r.flag("more");
                int count = r.count("entries", Limits.LIST_PAGE_MAX_ENTRIES);
                List<ListPage.Entry> entries = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ClientInfo client = readClientInfo(r, "entries[" + i + "].");
                    entries.add(new ListPage.Entry(client, r.flag("entries[" + i + "].inRoom")));
                }
                yield new ListPage(requestId, online, roomMembers, roomLimit, more, entries);
            }
            case UPLOAD_PRE_KEYS -> new UploadPreKeys(
                    r.requestId(false),
                    r.opaque("preKeys", Limits.PRE_KEYS_FIELD_MAX_BYTES));
            case PRE_KEY_BUNDLE_REQUEST -> new PreKeyBundleRequest(
                    r.requestId(false),
                    r.clientId("clientId"));
            case PRE_KEY_BUNDLE_RESPONSE -> new PreKeyBundleResponse(
                    r.requestId(false),
                    r.clientId("clientId"),
                    r.opaque("bundle", Limits.PRE_KEY_BUNDLE_FIELD_MAX_BYTES));
            case PRE_KEY_COUNT -> new PreKeyCount(r.u16("remaining"), r.u16("remainingKem"));
            case SEND_ENVELOPE -> new SendEnvelope(
                    r.requestId(false),
                    r.clientId("recipientId"),
                    r.opaque("ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES));
            case ENVELOPE -> new Envelope(
                    r.clientId("senderId"),
                    r.opaque("ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES));
            case SEND_ROOM_ENVELOPE -> {
                long requestId = r.requestId(false);
                int count = r.count("recipientIds", Limits.CLIENT_LIST_MAX_ENTRIES);
                int[] recipients = new int[count];
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    int at = r.position();
                    recipients[i] = r.clientId("recipientIds[" + i + "]");
                    if (!seen.add(recipients[i])) {
                        throw r.invalid(at, "recipientIds[" + i + "]", "client " + recipients[i] + " is listed twice");
                    }
                }
                yield new SendRoomEnvelope(requestId, recipients,
                        r.opaque("ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES));
            }
            case ROOM_ENVELOPE -> new RoomEnvelope(
                    r.clientId("senderId"),
                    r.opaque("ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES));
            case ACCOUNT_HELLO -> new AccountHello(
                    r.str("nickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.str("clientVersion", Limits.INFO_FIELD_MAX_BYTES));
            case SEND_TO_ACCOUNT -> new SendToAccount(
                    r.requestId(false),
                    r.str("recipient", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.opaque("ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES));
            case DELIVERY_REPORT -> {
                long requestId = r.requestId(false);
                int at = r.position();
                DeliveryState state = DeliveryState.fromCode(r.u8("state"));
                if (state == null) {
                    throw r.invalid(at, "state", "undefined delivery state " + (encoded[at] & 0xFF));
                }
                yield new DeliveryReport(requestId, state);
            }
            case STORED_ENVELOPE -> {
                int at = r.position();
                long messageId = r.u64("messageId");
                if (messageId < 1) {
                    throw r.invalid(at, "messageId", "must be >= 1, got " + messageId);
                }
                yield new StoredEnvelope(messageId, r.u64("sentAtMillis"),
                        r.str("senderNickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                        r.identityKey("senderIdentityKey"),
                        r.opaque("ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES));
            }
            case ACK_STORED -> {
                int countAt = r.position();
                int count = r.count("messageIds", Limits.ACK_MAX_MESSAGE_IDS);
                if (count < 1) {
                    throw r.invalid(countAt, "messageIds", "an acknowledgement names at least one message");
                }
                long[] ids = new long[count];
                for (int i = 0; i < count; i++) {
                    int at = r.position();
                    ids[i] = r.u64("messageIds[" + i + "]");
                    if (ids[i] < 1) {
                        throw r.invalid(at, "messageIds[" + i + "]", "must be >= 1, got " + ids[i]);
                    }
                }
                yield new AckStored(ids);
            }
            case ACCOUNT_BUNDLE_REQUEST -> new AccountBundleRequest(
                    r.requestId(false),
                    r.str("nickname", Limits.NICKNAME_FIELD_MAX_BYTES));
            case ACCOUNT_BUNDLE -> new AccountBundle(
                    r.requestId(false),
                    r.str("nickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                    r.identityKey("identityKey"),
                    r.opaque("bundle", Limits.PRE_KEY_BUNDLE_FIELD_MAX_BYTES));
            case RELEASE_ACCOUNT -> new ReleaseAccount(r.requestId(false));
        };
        r.end(type);
        return m;
    }

    /** One client as a {@code ClientList} entry and a {@code Joined} body lay it out: id, nickname, key. */
    private static void writeClientInfo(Writer w, ClientInfo c) {
        w.u32(c.clientId());
        w.str(c.nickname());
        w.bytes(c.identityKey());
    }

    /**
     * Reads what {@link #writeClientInfo} writes.
     *
     * @param fieldPrefix put before each field's name in error messages: {@code ""} for {@code Joined},
     *     {@code "clients[i]."} for an entry of a {@code ClientList}
     */
    private static ClientInfo readClientInfo(Reader r, String fieldPrefix) throws MalformedMessageException {
        return new ClientInfo(
                r.clientId(fieldPrefix + "clientId"),
                r.str(fieldPrefix + "nickname", Limits.NICKNAME_FIELD_MAX_BYTES),
                r.identityKey(fieldPrefix + "identityKey"));
    }

    /** Appends big-endian fields to a growing array; the caps of the records keep it small. */
    private static final class Writer {
        private byte[] buf = new byte[64];
        private int len;

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void u16(int v) {
            if (v < 0 || v > U16_MAX) {
                throw new IllegalArgumentException("length " + v + " does not fit in 16 bits");
            }
            ensure(2);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        void u32(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (v >>> shift);
            }
        }

        void u64(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (v >>> shift);
            }
        }

        void str(String s) {
            // The records rejected unpaired surrogates, so this encoding is exact and reversible.
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] b) {
            u16(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads fields with bounds checks; every failure is a {@link MalformedMessageException}. */
    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        int position() {
            return pos;
        }

        private void need(int n, String field) throws MalformedMessageException {
            if (in.length - pos < n) {
                throw new MalformedMessageException(Reason.TRUNCATED, pos, field + " needs " + n
                        + " bytes but only " + (in.length - pos) + " remain");
            }
        }

        MalformedMessageException invalid(int at, String field, String what) {
            return new MalformedMessageException(Reason.INVALID_VALUE, at, field + ": " + what);
        }

        int u8(String field) throws MalformedMessageException {
            need(1, field);
            return in[pos++] & 0xFF;
        }

        int u16(String field) throws MalformedMessageException {
            need(2, field);
            int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        int u32(String field) throws MalformedMessageException {
            need(4, field);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (in[pos++] & 0xFF);
            }
            return v;
        }

        long u64(String field) throws MalformedMessageException {
            need(8, field);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (in[pos++] & 0xFF);
            }
            return v;
        }

        int clientId(String field) throws MalformedMessageException {
            int at = pos;
            int v = u32(field);
            if (v < 1) {
                throw invalid(at, field, "client id must be 1..2147483647, got " + Integer.toUnsignedString(v));
            }
            return v;
        }

        /** A count carried as {@code u32}: 0 to 2^31 - 1. */
        int count32(String field) throws MalformedMessageException {
            int at = pos;
            int v = u32(field);
            if (v < 0) {
                throw invalid(at, field, "must be 0..2147483647, got " + Integer.toUnsignedString(v));
            }
            return v;
        }

        /** A {@code u8} that is 0 (false) or 1 (true). */
        boolean flag(String field) throws MalformedMessageException {
            int at = pos;
            int v = u8(field);
            if (v > 1) {
                throw invalid(at, field, "a flag must be 0 or 1, got " + v);
            }
            return v == 1;
        }

        int rate(String field) throws MalformedMessageException {
            int at = pos;
            int v = u32(field);
            if (v < 1 || v > Limits.RATE_MAX_REQUESTS) {
                throw invalid(at, field, "a rate must be 1.." + Limits.RATE_MAX_REQUESTS + ", got "
                        + Integer.toUnsignedString(v));
            }
            return v;
        }

        long requestId(boolean zeroAllowed) throws MalformedMessageException {
            int at = pos;
            long v = u64("requestId");
            if (v < 0 || (v == 0 && !zeroAllowed)) {
                throw invalid(at, "requestId", "must be " + (zeroAllowed ? "0" : "1") + "..2^63-1, got "
                        + Long.toUnsignedString(v));
            }
            return v;
        }

        int count(String field, int max) throws MalformedMessageException {
            int at = pos;
            int n = u16(field + " count");
            if (n > max) {
                throw new MalformedMessageException(Reason.FIELD_TOO_LONG, at,
                        field + " has " + n + " entries, above the limit of " + max);
            }
            return n;
        }

        /** Reads a length prefix, checks it against the cap and the remaining input, returns the length. */
        private int lengthPrefix(String field, int maxBytes) throws MalformedMessageException {
            int at = pos;
            int n = u16(field + " length");
            if (n > maxBytes) {
                throw new MalformedMessageException(Reason.FIELD_TOO_LONG, at,
                        field + " declares " + n + " bytes, above the limit of " + maxBytes);
            }
            if (in.length - pos < n) {
                throw new MalformedMessageException(Reason.TRUNCATED, at, field + " declares " + n
                        + " bytes but only " + (in.length - pos) + " remain");
            }
            return n;
        }

        String str(String field, int maxBytes) throws MalformedMessageException {
            int n = lengthPrefix(field, maxBytes);
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer src = ByteBuffer.wrap(in, pos, n);
            // A UTF-8 string never has more UTF-16 units than bytes.
            CharBuffer dst = CharBuffer.allocate(n);
            CoderResult cr = dec.decode(src, dst, true);
            if (!cr.isError()) {
                cr = dec.flush(dst);
            }
            if (cr.isError() || src.hasRemaining()) {
                throw new MalformedMessageException(Reason.INVALID_UTF8, src.position(),
                        field + " is not well-formed UTF-8");
            }
            pos += n;
            dst.flip();
            return dst.toString();
        }

        byte[] identityKey(String field) throws MalformedMessageException {
            int at = pos;
            int n = lengthPrefix(field, Limits.IDENTITY_KEY_MAX_BYTES);
            if (n < Limits.IDENTITY_KEY_MIN_BYTES) {
                throw invalid(at, field, "an identity key cannot be empty");
            }
            byte[] out = Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return out;
        }

        /** Reads an opaque {@code bytes(1, maxBytes)} field (end-to-end data the relay does not parse). */
        byte[] opaque(String field, int maxBytes) throws MalformedMessageException {
            int at = pos;
            int n = lengthPrefix(field, maxBytes);
            if (n < 1) {
                throw invalid(at, field, "cannot be empty");
            }
            byte[] out = Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return out;
        }

        void end(MessageType type) throws MalformedMessageException {
            if (pos != in.length) {
                throw new MalformedMessageException(Reason.TRAILING_BYTES, pos, (in.length - pos)
                        + " bytes follow the last field of " + type);
            }
        }
    }
}
