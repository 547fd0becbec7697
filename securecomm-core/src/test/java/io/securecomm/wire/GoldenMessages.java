package io.securecomm.wire;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records behind the golden examples of docs/PROTOCOL.md, by the name each example has there.
 * {@link ProtocolDocumentTest} checks that the document's hex and these records agree both ways.
 */
final class GoldenMessages {
    /** Alice's X25519 public key from RFC 7748, section 6.1. */
    static final byte[] ALICE_KEY = HexFormat.of().parseHex(
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    /** Bob's X25519 public key from RFC 7748, section 6.1. */
    static final byte[] BOB_KEY = HexFormat.of().parseHex(
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

    private GoldenMessages() {}

    static Map<String, Message> all() {
        Map<String, Message> m = new LinkedHashMap<>();
        m.put("client_hello", new ClientHello("alice", "securecomm-cli/0.1.0"));
        m.put("welcome", new Welcome(1, "alice", "securecomm-relay/0.1.0", 20, 40));
        m.put("list_request", new ListRequest(7));
        m.put("client_list", new ClientList(7, List.of(
                new ClientInfo(1, "alice", ALICE_KEY), new ClientInfo(2, "bob", BOB_KEY))));
        m.put("client_list_empty", new ClientList(8, List.of()));
        m.put("send_public", new SendPublic(9, "hello, room"));
        m.put("public_message", new PublicMessage(1, "alice", "h\u00e9llo \uD83D\uDC4B"));
        m.put("send_private", new SendPrivate(10, 2, "hi bob"));
        m.put("private_message", new PrivateMessage(1, "alice", "hi bob"));
        m.put("delivered", new Delivered(10));
        m.put("error_reply", new ErrorReply(11, ErrorCode.UNKNOWN_RECIPIENT, "no client 42"));
        m.put("error_reply_untied", new ErrorReply(0, ErrorCode.NICKNAME_TAKEN, ""));
        m.put("error_reply_invalid_pre_keys", new ErrorReply(12, ErrorCode.INVALID_PRE_KEYS,
                "pre-keys refused: one-time pre-key id 7 appears twice"));
        m.put("joined", new Joined(new ClientInfo(2, "bob", BOB_KEY)));
        m.put("left", new Left(2, "bob", LeaveReason.BYE));
        m.put("list_page_request", new ListPageRequest(16, "", 100));
        m.put("list_page_request_after", new ListPageRequest(17, "bob", 2));
        m.put("list_page", new ListPage(16, 10_000, 256, 256, true, List.of(
                new ListPage.Entry(new ClientInfo(1, "alice", ALICE_KEY), true),
                new ListPage.Entry(new ClientInfo(2, "bob", BOB_KEY), false))));
        m.put("list_page_last", new ListPage(17, 3, 1, 256, false, List.of()));
        m.put("ping", new Ping(0x0102030405060708L));
        m.put("pong", new Pong(0x0102030405060708L));
        m.put("ping_negative_nonce", new Ping(-1L));
        m.put("bye", new Bye(ByeReason.CLIENT_EXIT, ""));
        m.put("bye_with_detail", new Bye(ByeReason.SERVER_SHUTDOWN, "maintenance"));
        m.put("upload_pre_keys", new UploadPreKeys(12, HexFormat.of().parseHex("01aabbcc")));
        m.put("pre_key_bundle_request", new PreKeyBundleRequest(13, 2));
        m.put("pre_key_bundle_response", new PreKeyBundleResponse(13, 2, HexFormat.of().parseHex("01ddeeff")));
        m.put("pre_key_count", new PreKeyCount(19, 5));
        m.put("send_envelope", new SendEnvelope(14, 2, HexFormat.of().parseHex("0102c0ffee")));
        m.put("envelope", new Envelope(1, HexFormat.of().parseHex("0102c0ffee")));
        m.put("send_room_envelope", new SendRoomEnvelope(15, new int[] {2, 3}, HexFormat.of().parseHex("0103beef")));
        m.put("room_envelope", new RoomEnvelope(1, HexFormat.of().parseHex("0103beef")));
        m.put("account_hello", new AccountHello("bob", "securecomm-cli/0.2.0"));
        m.put("send_to_account", new SendToAccount(16, "bob", HexFormat.of().parseHex("0102c0ffee")));
        m.put("delivery_report_delivered", new DeliveryReport(16, DeliveryState.DELIVERED));
        m.put("delivery_report_stored", new DeliveryReport(17, DeliveryState.STORED));
        m.put("stored_envelope", new StoredEnvelope(1764930000000001L, 1764930000123L, "alice", ALICE_KEY,
                HexFormat.of().parseHex("0102c0ffee")));
        m.put("ack_stored", new AckStored(new long[] {1764930000000001L, 1764930000000002L}));
        m.put("account_bundle_request", new AccountBundleRequest(18, "bob"));
        m.put("account_bundle", new AccountBundle(18, "bob", BOB_KEY, HexFormat.of().parseHex("02ddeeff")));
        m.put("release_account", new ReleaseAccount(19));
        m.put("error_reply_nickname_registered", new ErrorReply(0, ErrorCode.NICKNAME_REGISTERED,
                "'bob' is registered to another identity key"));
        m.put("error_reply_queue_full", new ErrorReply(17, ErrorCode.QUEUE_FULL,
                "bob has 1000 stored messages, the most this relay keeps"));
        return m;
    }
}
