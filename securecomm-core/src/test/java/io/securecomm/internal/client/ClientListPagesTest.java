package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ClientPage;
import io.securecomm.client.OnlineClient;
import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ListPageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the paged list and of a full room, sans-I/O ({@link ClientHarness} against
 * {@link io.securecomm.internal.relay.RelayHarness}): a walk over more than one page, and a client that connects
 * into a full room.
 */
class ClientListPagesTest {
    private final ClientHarness net = new ClientHarness(RelayOptions.builder().maxClients(50).maxRoomMembers(2));

    private static <T> T value(CompletableFuture<T> f) throws Exception {
        assertTrue(f.isDone() && !f.isCompletedExceptionally(), () -> "expected a value, got " + f);
        return f.get();
    }

    private static CompletableFuture<ClientPage> page(Client c, String after, int max) {
        return c.<ClientPage>call((s, f) -> s.commands().listPage(after, max, f));
    }

    @Test
    void aClientWalksEveryoneOnlinePageByPage() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        // Eleven more clients that speak only the relay protocol: all outside the full room.
        for (int i = 0; i < 11; i++) {
            net.relay.admitted(String.format("user%02d", i), 100 + i);
        }
        List<String> walked = new ArrayList<>();
        List<Boolean> inRoom = new ArrayList<>();
        int pages = 0;
        Optional<String> cursor = Optional.of("");
        while (cursor.isPresent()) {
            ClientPage page = value(page(alice, cursor.get(), 5));
            pages++;
            assertEquals(13, page.online());
            assertEquals(2, page.roomMembers());
            assertEquals(2, page.roomLimit());
            page.entries().forEach(e -> {
                walked.add(e.client().nickname());
                inRoom.add(e.inRoom());
            });
            cursor = page.nextCursor();
        }
        assertEquals(3, pages, "13 clients in pages of 5");
        List<String> expected = new ArrayList<>(List.of("alice", "bob"));
        for (int i = 0; i < 11; i++) {
            expected.add(String.format("user%02d", i));
        }
        assertEquals(expected, walked);
        assertEquals(List.of(true, true), inRoom.subList(0, 2));
        assertFalse(inRoom.subList(2, 13).contains(true));
        ListPageRequest last = (ListPageRequest) alice.sent.get(alice.sent.size() - 1);
        assertEquals("user07", last.after(), "the cursor is the previous page's last entry's canonical nickname");
        // The roster is the room: pages do not add the clients outside it.
        assertEquals(List.of("alice", "bob"), value(alice.list()).stream().map(OnlineClient::nickname).toList());
        assertTrue(bob.session.isConnected());
    }

    @Test
    void aClientThatConnectsIntoAFullRoomIsOnlineButHasAnEmptyRoom() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        Client carol = net.connected("carol");
        assertTrue(carol.session.isConnected(), "a full room is no reason to refuse a client");
        assertTrue(value(carol.list()).isEmpty(), "outside the room, the room is empty");
        assertTrue(alice.events(ClientEvent.Joined.class).stream().noneMatch(j -> j.client().nickname()
                .equals("carol")), "the members never hear of carol");
        assertTrue(carol.events(ClientEvent.Joined.class).isEmpty(), "and carol hears of no one");
        assertEquals(List.of("alice", "bob"), value(bob.list()).stream().map(OnlineClient::nickname).toList());
        ClientPage page = value(page(carol, "", 10));
        assertEquals(List.of("alice", "bob", "carol"),
                page.entries().stream().map(e -> e.client().nickname()).toList(), "but carol can list everyone");
        assertFalse(page.more());
        assertTrue(page.nextCursor().isEmpty());
    }

    @Test
    void aBadPageRequestIsTheCallersMistake() {
        assertThrows(IllegalArgumentException.class, () -> ClientChecks.checkPageRequest("", 0));
        assertThrows(IllegalArgumentException.class, () -> ClientChecks.checkPageRequest("", 257));
        assertThrows(IllegalArgumentException.class, () -> ClientChecks.checkPageRequest("x".repeat(65), 10));
        assertThrows(NullPointerException.class, () -> ClientChecks.checkPageRequest(null, 10));
        ClientChecks.checkPageRequest("x".repeat(64), 256);
    }
}
