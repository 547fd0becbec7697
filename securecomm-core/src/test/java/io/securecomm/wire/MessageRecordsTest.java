package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageRecordsTest {

    @Test
    void constructorsEnforceTheCodecCaps() {
        String nick65 = "n".repeat(65);
        String info257 = "i".repeat(257);
        String text8193 = "t".repeat(8193);
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(nick65, ""));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello("a", info257));
        assertThrows(IllegalArgumentException.class, () -> new Welcome(1, "a", info257, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Welcome(1, "a", "", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Welcome(1, "a", "", 1, Limits.RATE_MAX_REQUESTS + 1));
        assertThrows(IllegalArgumentException.class, () -> new SendPublic(1, text8193));
        assertThrows(IllegalArgumentException.class, () -> new PublicMessage(1, "a", text8193));
        assertThrows(IllegalArgumentException.class, () -> new SendPrivate(1, 1, text8193));
        assertThrows(IllegalArgumentException.class, () -> new PrivateMessage(1, nick65, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ErrorReply(1, ErrorCode.INTERNAL_ERROR, info257));
        assertThrows(IllegalArgumentException.class, () -> new Bye(ByeReason.CLIENT_EXIT, info257));
        assertThrows(IllegalArgumentException.class, () -> new Left(1, nick65, LeaveReason.BYE));
        assertThrows(IllegalArgumentException.class, () -> new ClientInfo(1, "a", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new ClientInfo(1, "a", new byte[65]));
        // Caps are in UTF-8 bytes, not chars: 22 three-byte chars are 66 bytes.
        assertThrows(IllegalArgumentException.class, () -> new ClientHello("\u20ac".repeat(22), ""));
        new ClientHello("\u20ac".repeat(21), "");
    }

    @Test
    void constructorsCheckIds() {
        assertThrows(IllegalArgumentException.class, () -> new ListRequest(0));
        assertThrows(IllegalArgumentException.class, () -> new Delivered(-1));
        assertThrows(IllegalArgumentException.class, () -> new SendPublic(0, "x"));
        assertThrows(IllegalArgumentException.class, () -> new SendPrivate(1, 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ClientList(0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ErrorReply(-1, ErrorCode.RATE_LIMITED, ""));
        assertThrows(IllegalArgumentException.class, () -> new Welcome(0, "a", "", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PublicMessage(-5, "a", ""));
        new ErrorReply(0, ErrorCode.RATE_LIMITED, "");
    }

    @Test
    void unpairedSurrogatesCannotBeEncodedSoTheyAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SendPublic(1, "a\uD83D"));
        assertThrows(IllegalArgumentException.class, () -> new SendPublic(1, "\uDC4Ba"));
        assertThrows(IllegalArgumentException.class, () -> Limits.isValidText("\uD800"));
        new SendPublic(1, "\uD83D\uDC4B");
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> new ClientHello(null, ""));
        assertThrows(NullPointerException.class, () -> new ErrorReply(1, null, ""));
        assertThrows(NullPointerException.class, () -> new Bye(null, ""));
        assertThrows(NullPointerException.class, () -> new Left(1, "a", null));
        assertThrows(NullPointerException.class, () -> new ClientInfo(1, "a", null));
        assertThrows(NullPointerException.class, () -> new Joined(null));
        List<ClientInfo> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> new ClientList(1, withNull));
    }

    @Test
    void clientListCopiesAndCapsItsEntries() {
        List<ClientInfo> list = new ArrayList<>();
        list.add(new ClientInfo(1, "a", new byte[] {1}));
        ClientList cl = new ClientList(1, list);
        list.clear();
        assertEquals(1, cl.clients().size());
        assertThrows(UnsupportedOperationException.class, () -> cl.clients().clear());
        List<ClientInfo> tooMany = new ArrayList<>();
        for (int i = 1; i <= Limits.CLIENT_LIST_MAX_ENTRIES + 1; i++) {
            tooMany.add(new ClientInfo(i, "a", new byte[] {1}));
        }
        assertThrows(IllegalArgumentException.class, () -> new ClientList(1, tooMany));
    }

    @Test
    void keyArraysAreCopiedInAndOutAndCompareByContent() {
        byte[] key = {1, 2, 3};
        Joined j = new Joined(new ClientInfo(1, "a", key));
        ClientInfo c = new ClientInfo(1, "a", key);
        key[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, j.client().identityKey());
        j.client().identityKey()[1] = 9;
        c.identityKey()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, j.client().identityKey());
        assertArrayEquals(new byte[] {1, 2, 3}, c.identityKey());

        assertEquals(new Joined(new ClientInfo(1, "a", new byte[] {1, 2, 3})), j);
        assertEquals(new Joined(new ClientInfo(1, "a", new byte[] {1, 2, 3})).hashCode(), j.hashCode());
        assertNotEquals(new Joined(new ClientInfo(1, "a", new byte[] {1, 2, 4})), j);
        assertEquals(new ClientInfo(1, "a", new byte[] {1, 2, 3}), c);
        assertEquals(new ClientInfo(1, "a", new byte[] {1, 2, 3}).hashCode(), c.hashCode());
        assertNotEquals(new ClientInfo(1, "a", new byte[] {1, 2, 4}), c);
        assertNotEquals(new ClientInfo(2, "a", new byte[] {1, 2, 3}), c);
        assertNotEquals(new ClientInfo(1, "b", new byte[] {1, 2, 3}), c);
        assertNotEquals(new ClientInfo(1, "a", new byte[] {1, 2}), c);
        assertTrue(j.toString().contains("010203"), j.toString());
        assertTrue(c.toString().contains("010203"), c.toString());
    }

    @Test
    void toStringOfChatMessagesHidesTheText() {
        List<Message> chats = List.of(new SendPublic(1, "secret plan"), new PublicMessage(1, "a", "secret plan"),
                new SendPrivate(1, 2, "secret plan"), new PrivateMessage(1, "a", "secret plan"));
        for (Message m : chats) {
            assertFalse(m.toString().contains("secret"), m.toString());
            assertTrue(m.toString().contains("11 chars"), m.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Bob_2", "x", "a.b-c_d", "123abc", "0x1", "abcdefghijklmnopqrstuvwx"})
    void validNicknames(String nickname) {
        assertTrue(Limits.isValidNickname(nickname));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42", "0", "abcdefghijklmnopqrstuvwxy", "al ice", "al\u0000ice", "\u00e9mile",
        "\u0430lice", "a/b", "a\u001b[31m", "al@ice", "a\u200bb"})
    void invalidNicknames(String nickname) {
        assertFalse(Limits.isValidNickname(nickname));
    }

    @Test
    void textRuleCountsUtf8Bytes() {
        assertFalse(Limits.isValidText(""));
        assertTrue(Limits.isValidText("a"));
        assertTrue(Limits.isValidText("\u20ac".repeat(1365))); // 4095 bytes
        assertFalse(Limits.isValidText("\u20ac".repeat(1366))); // 4098 bytes
        assertTrue(Limits.isValidText("a".repeat(4096)));
        assertFalse(Limits.isValidText("a".repeat(4097)));
    }

    @Test
    void eachRecordReportsItsType() {
        for (Message m : GoldenMessages.all().values()) {
            assertTrue(m.getClass().getSimpleName().replace("_", "").equalsIgnoreCase(
                    m.type().name().replace("_", "")), m.getClass() + " vs " + m.type());
        }
    }
}
