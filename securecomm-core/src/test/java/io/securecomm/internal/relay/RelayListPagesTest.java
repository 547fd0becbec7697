package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Left;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relay's side of the paged list of everyone online and of the public room's member limit, without sockets
 * ({@link RelayHarness}): more clients than one page holds, and more than the room admits.
 */
class RelayListPagesTest {
    private static final int CLIENTS = 600;
    private static final int ROOM = 4;

    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(CLIENTS + 10)
            .maxRoomMembers(ROOM));

    private static String name(int i) {
        return String.format("user%04d", i);
    }

    private List<Conn> admitMany(int count) {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            conns.add(relay.admitted(name(i), i));
        }
        return conns;
    }

    private static ListPage page(Conn c, long requestId, String after, int max) {
        c.drain(); // presence that came before
        c.send(new ListPageRequest(requestId, after, max));
        ListPage page = assertInstanceOf(ListPage.class, c.next());
        assertEquals(requestId, page.requestId());
        return page;
    }

    @Test
    void aWalkOverSeveralPagesListsEveryClientOnceInNicknameOrder() {
        // Admitted in an order that is not the nicknames' order, so the pages must sort.
        List<Conn> conns = new ArrayList<>();
        for (int i = CLIENTS - 1; i >= 0; i--) {
            conns.add(relay.admitted(name(i), i));
        }
        Conn asker = conns.get(CLIENTS - 1); // user0000, outside the room: anyone online may list
        List<String> seen = new ArrayList<>();
        Map<String, Boolean> inRoom = new HashMap<>();
        List<Integer> sizes = new ArrayList<>();
        String after = "";
        long requestId = 1;
        ListPage page;
        do {
            page = page(asker, requestId++, after, 256);
            assertEquals(CLIENTS, page.online());
            assertEquals(ROOM, page.roomMembers());
            assertEquals(ROOM, page.roomLimit());
            sizes.add(page.entries().size());
            for (ListPage.Entry e : page.entries()) {
                seen.add(e.client().nickname());
                inRoom.put(e.client().nickname(), e.inRoom());
            }
            after = Nickname.canonical(seen.get(seen.size() - 1));
        } while (page.more());
        assertEquals(List.of(256, 256, CLIENTS - 512), sizes, "three pages, the last one short");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            expected.add(name(i));
        }
        assertEquals(expected, seen, "every client once, in nickname order");
        // The first four admitted (user0599 .. user0596) took the room's places.
        for (int i = 0; i < CLIENTS; i++) {
            assertEquals(i >= CLIENTS - ROOM, inRoom.get(name(i)), name(i));
        }
    }

    @Test
    void aWalkStaysStableWhileClientsComeAndGo() {
        List<Conn> conns = admitMany(10);
        Conn asker = conns.get(0);
        ListPage first = page(asker, 1, "", 4);
        assertEquals(List.of("user0000", "user0001", "user0002", "user0003"), names(first));
        assertTrue(first.more());
        // Before the cursor: one leaves, one joins; after it: one leaves, one joins.
        conns.get(1).clientCloses();
        relay.pump();
        relay.admitted("user0000a", 50);
        conns.get(6).clientCloses();
        relay.pump();
        relay.admitted("user0005a", 51);
        ListPage second = page(asker, 2, "user0003", 4);
        assertEquals(List.of("user0004", "user0005", "user0005a", "user0007"), names(second));
        ListPage third = page(asker, 3, "user0007", 4);
        assertEquals(List.of("user0008", "user0009"), names(third));
        assertFalse(third.more(), "the last page says so");
        assertEquals(10, third.online());
    }

    @Test
    void aPageAfterTheLastNameIsEmptyAndAPageAskedBeforeTheHelloIsRefused() {
        Conn c = admitMany(2).get(0);
        ListPage none = page(c, 1, "zzz", 10);
        assertTrue(none.entries().isEmpty());
        assertFalse(none.more());
        ListPage one = page(c, 2, "", 1);
        assertEquals(List.of("user0000"), names(one));
        assertTrue(one.more(), "a page of one with a second client after it");

        Conn early = relay.established(99);
        early.send(new ListPageRequest(1, "", 10));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, assertInstanceOf(ErrorReply.class, early.next()).code());
        assertFalse(early.isOpen());
    }

    @Test
    void theRoomHasItsOwnMemberLimitAndOnlyMembersHearOfEachOther() {
        List<Conn> conns = admitMany(6); // user0000..0003 are members, user0004 and user0005 are outside
        Conn member = conns.get(0);
        Conn outsider = conns.get(4);
        List<Message> toMember = member.drain();
        assertEquals(3, toMember.size(), "the three other members' joins, not the two outsiders': " + toMember);
        toMember.forEach(m -> assertTrue(((Joined) m).client().clientId() <= ROOM));
        assertTrue(outsider.drain().isEmpty(), "an outsider hears of no one");
        assertTrue(conns.get(3).drain().isEmpty(), "the last member in heard of no later arrival");

        member.send(new ListRequest(1));
        assertEquals(List.of(1, 2, 3, 4), ids(assertInstanceOf(ClientList.class, member.next())));
        outsider.send(new ListRequest(2));
        assertTrue(assertInstanceOf(ClientList.class, outsider.next()).clients().isEmpty(),
                "an outsider's room is empty: it has no one to send its room key to");

        // An outsider's room message reaches no one, even one that names the members.
        outsider.send(new SendRoomEnvelope(3, new int[] {1, 2}, new byte[] {1, 3, 7}));
        assertInstanceOf(Delivered.class, outsider.next());
        assertNull(member.next());
        // A member's message that names an outsider reaches only the members.
        conns.get(1).drain();
        member.send(new SendRoomEnvelope(4, new int[] {2, 5}, new byte[] {1, 3, 7}));
        assertInstanceOf(Delivered.class, member.next());
        assertInstanceOf(RoomEnvelope.class, conns.get(1).next());
        assertNull(outsider.next());

        // An outsider leaves: no one is told. A member leaves: the members are told, and its place is free.
        outsider.clientCloses();
        relay.pump();
        assertNull(member.next());
        conns.get(3).clientCloses();
        relay.pump();
        assertEquals(4, assertInstanceOf(Left.class, member.next()).clientId());
        assertTrue(conns.get(5).drain().isEmpty(), "an outsider stays outside, and hears nothing");
        Conn newcomer = relay.admitted("late", 70);
        assertEquals("late", assertInstanceOf(Joined.class, member.next()).client().nickname(),
                "the free place goes to the next client to arrive");
        newcomer.send(new ListRequest(5));
        assertEquals(List.of(1, 2, 3, 7), ids(assertInstanceOf(ClientList.class, newcomer.next())));
        assertEquals(4, relay.relay.room().size());
        assertEquals(5, relay.relay.registry().size());
    }

    @Test
    void theClientLimitStillRefusesOnceTheRelayIsFull() {
        RelayHarness small = new RelayHarness(RelayOptions.builder().maxClients(3).maxRoomMembers(1));
        small.admitted("a", 1);
        small.admitted("b", 2);
        small.admitted("c", 3);
        Conn full = small.established(4);
        full.send(new ClientHello("d", "t"));
        assertEquals(ErrorCode.SERVER_FULL, assertInstanceOf(ErrorReply.class, full.next()).code());
        assertEquals(1, small.relay.room().size());
    }

    private static List<String> names(ListPage page) {
        return page.entries().stream().map(e -> e.client().nickname()).toList();
    }

    private static List<Integer> ids(ClientList list) {
        return list.clients().stream().map(ClientInfo::clientId).toList();
    }
}
