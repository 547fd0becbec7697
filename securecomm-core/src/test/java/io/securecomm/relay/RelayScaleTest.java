package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ClientPage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Joined;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More clients than one {@code ClientList} carries, over real sockets on 127.0.0.1: 300 connections that speak only
 * the relay protocol, a room of 8, and a real {@link ChatClient} that walks everyone online page by page. (The
 * benchmarks' load harness holds 10,000; docs/BENCHMARKS.md.)
 */
@Timeout(120)
class RelayScaleTest {
    private static final int RAW_CLIENTS = 300;
    private static final int ROOM = 8;

    @Test
    void aRelayHoldsMoreClientsThanOneListCarriesAndListsThemPageByPage() throws Exception {
        RelayOptions options = RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .maxClients(RAW_CLIENTS + 10).maxRoomMembers(ROOM)
                .maxConnectionsPerAddress(RAW_CLIENTS + 10)
                .build();
        List<HostileClient> raw = new ArrayList<>();
        try (RelayServer relay = RelayServer.create(options).start()) {
            for (int i = 0; i < RAW_CLIENTS; i++) {
                raw.add(new HostileClient(relay.localAddress()).join(String.format("raw%03d", i)));
            }
            assertEquals(RAW_CLIENTS, relay.onlineClients());

            // The first member heard of the other seven members and of no one else: presence stays in the room.
            // The relay answers in order, and every join was announced before the last welcome, so all of them are
            // ahead of the list's answer.
            HostileClient first = raw.get(0);
            first.send(new ListRequest(1));
            int joins = 0;
            Message m;
            while (!((m = first.receive()) instanceof ClientList)) {
                assertInstanceOf(Joined.class, m);
                joins++;
            }
            assertEquals(ROOM - 1, joins, "one Joined per other member, none for the 292 outside the room");
            assertEquals(ROOM, ((ClientList) m).clients().size());

            ChatClient walker = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                    .nickname("walker").trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(),
                    new ChatListener() { });
            try {
                walker.connect().await(Duration.ofSeconds(30));
                assertTrue(walker.list().await(Duration.ofSeconds(30)).isEmpty(), "the room is full");
                TreeSet<String> seen = new TreeSet<>();
                List<Integer> sizes = new ArrayList<>();
                Optional<String> cursor = Optional.of("");
                while (cursor.isPresent()) {
                    ClientPage page = walker.listPage(cursor.get(), 256).await(Duration.ofSeconds(30));
                    assertEquals(RAW_CLIENTS + 1, page.online());
                    assertEquals(ROOM, page.roomMembers());
                    sizes.add(page.entries().size());
                    page.entries().forEach(e -> assertTrue(seen.add(e.client().nickname()), "twice: " + e));
                    cursor = page.nextCursor();
                }
                assertEquals(List.of(256, RAW_CLIENTS + 1 - 256), sizes);
                assertEquals("raw000", seen.first());
                assertEquals("walker", seen.last());
            } finally {
                walker.close();
            }
        } finally {
            for (HostileClient c : raw) {
                c.close();
            }
        }
    }
}
