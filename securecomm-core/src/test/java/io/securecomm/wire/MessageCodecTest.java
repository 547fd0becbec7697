package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.wire.MalformedMessageException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static MalformedMessageException malformed(String hex, Reason reason, int offset) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> MessageCodec.decode(HEX.parseHex(hex.replace(" ", ""))));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        return e;
    }

    @Test
    void emptyInputIsTruncatedAtZero() {
        malformed("", Reason.TRUNCATED, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x18, 0x1F, 0x28, 0x3F, 0x48, 0x5F, 0x60, 0x6F, 0x70, 0xFF})
    void undefinedTypeCodesAreUnknownType(int code) {
        MalformedMessageException e = malformed(String.format("%02x", code) + "0000000000000001",
                Reason.UNKNOWN_TYPE, 0);
        assertTrue(e.getMessage().contains(String.format("0x%02X", code)), e.getMessage());
    }

    @Test
    void everyDefinedTypeHasADistinctCodeInTheRelayRange() {
        boolean[] seen = new boolean[256];
        for (MessageType t : MessageType.values()) {
            assertTrue((t.code() >= 0x01 && t.code() <= 0x3F)
                    || (t.code() >= MessageType.E2E_RANGE_FIRST && t.code() <= MessageType.E2E_RANGE_LAST),
                    t + " outside the relay and end-to-end ranges");
            assertTrue(!seen[t.code()], t + " reuses a code");
            seen[t.code()] = true;
            assertEquals(t, MessageType.fromCode(t.code()));
        }
        assertEquals(null, MessageType.fromCode(-1));
        assertEquals(null, MessageType.fromCode(256));
    }

    @Test
    void trailingBytesAreRejectedWhereTheyStart() {
        malformed("0d 0102030405060708 00", Reason.TRAILING_BYTES, 9);
        malformed("0f 01 0000 ff", Reason.TRAILING_BYTES, 4);
    }

    @Test
    void truncatedFixedFieldsNameTheirOffset() {
        malformed("0d 01020304050607", Reason.TRUNCATED, 1);
        malformed("02 000000", Reason.TRUNCATED, 1);
        malformed("0c 00000002 0003 626f62", Reason.TRUNCATED, 10);
    }

    @Test
    void truncatedStringPointsAtItsLengthPrefix() {
        malformed("01 0005 616c6963", Reason.TRUNCATED, 1);
        malformed("01 00", Reason.TRUNCATED, 1);
        malformed("01 0005 616c696365 0014 73", Reason.TRUNCATED, 8);
    }

    @Test
    void everyProperPrefixOfEveryGoldenMessageIsTruncated() {
        int checked = 0;
        int expected = 0;
        for (Map.Entry<String, Message> g : GoldenMessages.all().entrySet()) {
            byte[] full = MessageCodec.encode(g.getValue());
            expected += full.length;
            for (int len = 0; len < full.length; len++) {
                byte[] prefix = Arrays.copyOf(full, len);
                MalformedMessageException e = assertThrows(MalformedMessageException.class,
                        () -> MessageCodec.decode(prefix), g.getKey() + " cut at " + len);
                assertEquals(Reason.TRUNCATED, e.reason(), g.getKey() + " cut at " + len);
                assertTrue(e.offset() <= len, g.getKey() + " cut at " + len + ": " + e.getMessage());
                checked++;
            }
        }
        assertEquals(expected, checked);
        assertTrue(checked > 400, "checked " + checked);
    }

    @Test
    void everyBitFlipOfEveryGoldenMessageDecodesOrFailsWithTheCodecsException() {
        int rejected = 0;
        int flips = 0;
        for (Message m : GoldenMessages.all().values()) {
            byte[] good = MessageCodec.encode(m);
            for (int bit = 0; bit < good.length * 8; bit++) {
                byte[] bad = good.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                flips++;
                try {
                    Message other = MessageCodec.decode(bad);
                    // A flip inside a value may give another valid message, never the same one.
                    assertTrue(!other.equals(m), "flip of bit " + bit + " went unnoticed");
                    assertArrayEquals(bad, MessageCodec.encode(other), "decoding is canonical");
                } catch (MalformedMessageException e) {
                    rejected++;
                }
            }
        }
        // Both outcomes occur: flips in type codes and lengths are caught, flips in values yield other values.
        assertTrue(rejected > 0 && rejected < flips, rejected + " of " + flips + " flips rejected");
    }

    @Test
    void invalidUtf8IsRejectedAtTheBadByte() {
        // Text field of SendPublic starts at offset 11 (type 1 + requestId 8 + length 2).
        String head = "05 0000000000000001";
        malformed(head + "0002 c080", Reason.INVALID_UTF8, 11); // overlong NUL
        malformed(head + "0003 eda080", Reason.INVALID_UTF8, 11); // encoded surrogate U+D800
        malformed(head + "0004 f4908080", Reason.INVALID_UTF8, 11); // above U+10FFFF
        malformed(head + "0003 41 80 42", Reason.INVALID_UTF8, 12); // lone continuation byte
        malformed(head + "0003 41 e282", Reason.INVALID_UTF8, 12); // sequence cut by the field's end
        malformed(head + "0002 41 ff", Reason.INVALID_UTF8, 12); // never valid in UTF-8
        malformed("01 0003 e282ac 0002 c3", Reason.TRUNCATED, 6); // the length prefix wins over content
    }

    @Test
    void multiByteSequenceMayNotStraddleTwoFields() {
        // "€" is e2 82 ac; split across nickname and clientVersion each half is invalid.
        malformed("01 0002 e282 0001 ac", Reason.INVALID_UTF8, 3);
    }

    @Test
    void overLongFieldsAreRejectedAtTheirLengthPrefixBeforeReadingThem() {
        malformed("01 0041", Reason.FIELD_TOO_LONG, 1); // nickname 65 > 64, no content needed
        malformed("01 0001 61 0101", Reason.FIELD_TOO_LONG, 4); // clientVersion 257 > 256
        malformed("05 0000000000000001 2001", Reason.FIELD_TOO_LONG, 9); // text 8193 > 8192
        malformed("0b 00000002 0003 626f62 0041", Reason.FIELD_TOO_LONG, 10); // identity key 65 > 64
        malformed("04 0000000000000001 0101", Reason.FIELD_TOO_LONG, 9); // 257 clients > 256
        malformed("04 0000000000000001 ffff", Reason.FIELD_TOO_LONG, 9);
    }

    @Test
    void fieldsAtTheirCapsAreAccepted() throws MalformedMessageException {
        String nick64 = "n".repeat(64);
        String info256 = "\u00e9".repeat(128);
        String text8192 = "\uD83D\uDC4B".repeat(2048);
        byte[] key64 = new byte[64];
        List<ClientInfo> many = new ArrayList<>();
        for (int i = 1; i <= Limits.CLIENT_LIST_MAX_ENTRIES; i++) {
            many.add(new ClientInfo(i, nick64, key64));
        }
        List<Message> atCaps = List.of(
                new ClientHello(nick64, info256),
                new SendPublic(Long.MAX_VALUE, text8192),
                new SendPrivate(1, Integer.MAX_VALUE, text8192),
                new Joined(new ClientInfo(Integer.MAX_VALUE, nick64, key64)),
                new ErrorReply(Long.MAX_VALUE, ErrorCode.SERVER_FULL, info256),
                new ClientList(1, many));
        for (Message m : atCaps) {
            byte[] encoded = MessageCodec.encode(m);
            assertTrue(encoded.length <= MessageCodec.MAX_MESSAGE_BYTES, m.type() + ": " + encoded.length);
            assertEquals(m, MessageCodec.decode(encoded));
        }
    }

    @Test
    void outOfRangeIdsAreInvalidValues() {
        malformed("02 00000000 0001 61 0000", Reason.INVALID_VALUE, 1); // client id 0
        malformed("02 80000000 0001 61 0000", Reason.INVALID_VALUE, 1); // negative as int32
        malformed("03 0000000000000000", Reason.INVALID_VALUE, 1); // requestId 0
        malformed("09 8000000000000000", Reason.INVALID_VALUE, 1); // negative requestId
        malformed("0a ffffffffffffffff 01 0000", Reason.INVALID_VALUE, 1);
        malformed("07 0000000000000001 00000000 0001 61", Reason.INVALID_VALUE, 9); // recipient 0
        malformed("04 0000000000000001 0001 00000000 0001 61 0001 00", Reason.INVALID_VALUE, 11);
    }

    @Test
    void errorReplyMayHaveRequestIdZero() throws MalformedMessageException {
        assertEquals(new ErrorReply(0, ErrorCode.PROTOCOL_VIOLATION, ""),
                MessageCodec.decode(HEX.parseHex("0a000000000000000007" + "0000")));
    }

    @Test
    void undefinedEnumCodesAreInvalidValues() {
        malformed("0a 0000000000000001 00 0000", Reason.INVALID_VALUE, 9);
        malformed("0a 0000000000000001 13 0000", Reason.INVALID_VALUE, 9);
        malformed("0c 00000002 0003 626f62 00", Reason.INVALID_VALUE, 10);
        malformed("0c 00000002 0003 626f62 05", Reason.INVALID_VALUE, 10);
        malformed("0f 00 0000", Reason.INVALID_VALUE, 1);
        malformed("0f 09 0000", Reason.INVALID_VALUE, 1);
    }

    @Test
    void enumCodesAreStableAndDistinct() {
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(c, ErrorCode.fromCode(c.code()));
            assertEquals(c.ordinal() + 1, c.code(), "codes are 1.. in declaration order; append only");
        }
        for (LeaveReason r : LeaveReason.values()) {
            assertEquals(r.ordinal() + 1, r.code());
            assertEquals(r, LeaveReason.fromCode(r.code()));
        }
        for (ByeReason r : ByeReason.values()) {
            assertEquals(r.ordinal() + 1, r.code());
            assertEquals(r, ByeReason.fromCode(r.code()));
        }
    }

    @Test
    void emptyIdentityKeyIsAnInvalidValue() {
        malformed("0b 00000002 0003 626f62 0000", Reason.INVALID_VALUE, 10);
    }

    @Test
    void errorMessagesNameFieldsButNotTheirContent() {
        MalformedMessageException e = malformed("05 0000000000000001 0006 736563726574 00",
                Reason.TRAILING_BYTES, 17);
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
        MalformedMessageException utf = malformed("05 0000000000000001 0007 736563726574 ff",
                Reason.INVALID_UTF8, 17);
        assertTrue(utf.getMessage().contains("text") && !utf.getMessage().contains("secret"), utf.getMessage());
    }

    @Test
    void decodeDoesNotRetainTheInput() throws MalformedMessageException {
        byte[] in = MessageCodec.encode(new Joined(new ClientInfo(2, "bob", GoldenMessages.BOB_KEY)));
        Joined j = (Joined) MessageCodec.decode(in);
        Arrays.fill(in, (byte) 0);
        assertArrayEquals(GoldenMessages.BOB_KEY, j.client().identityKey());
    }

    @Test
    void nullIsACallerMistake() {
        assertThrows(NullPointerException.class, () -> MessageCodec.encode(null));
        assertThrows(NullPointerException.class, () -> MessageCodec.decode(null));
    }
}
