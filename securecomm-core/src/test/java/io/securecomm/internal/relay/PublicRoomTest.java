package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The room's membership and the registry's pages, without sessions. */
class PublicRoomTest {
    private static final byte[] KEY = new byte[32];

    private static Member<String> admit(ClientRegistry<String> registry, String nickname) {
        return ((Admission.Admitted<String>) registry.admit(nickname, KEY, nickname)).member();
    }

    @Test
    void theRoomKeepsItsLimitUnderConcurrentEntriesAndAPlaceFreesOnLeaving() throws Exception {
        ClientRegistry<String> registry = new ClientRegistry<>(1000);
        PublicRoom<String> room = new PublicRoom<>(64);
        List<Member<String>> members = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            members.add(admit(registry, "m" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int entered = 0;
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Member<String> m : members) {
                results.add(pool.submit(() -> room.enter(m)));
            }
            for (Future<Boolean> f : results) {
                entered += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(64, entered);
        assertEquals(64, room.size());
        Member<String> inside = room.members().get(0);
        Member<String> outside = members.stream().filter(m -> !room.contains(m.clientId())).findFirst().orElseThrow();
        assertFalse(room.leave(outside), "an outsider was never in");
        assertFalse(room.enter(outside), "still full");
        assertTrue(room.leave(inside));
        assertFalse(room.leave(inside), "leaving twice is harmless");
        assertTrue(room.enter(outside), "the free place is taken");
        assertEquals(64, room.size());
        assertEquals(63, room.othersThan(outside.clientId()).size());
        assertThrows(IllegalArgumentException.class, () -> new PublicRoom<String>(0));
    }

    @Test
    void pagesAreInCanonicalOrderAndCarryOneMoreToTellTheEnd() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        for (String n : List.of("Carol", "alice", "Dave", "bob")) {
            admit(registry, n);
        }
        assertEquals(List.of("alice", "bob", "Carol"), nicknames(registry.page("", 2)), "two and the next");
        assertEquals(List.of("Carol", "Dave"), nicknames(registry.page("bob", 5)), "after a cursor, to the end");
        assertEquals(List.of("Dave"), nicknames(registry.page("carol", 1)), "the cursor is canonical");
        assertTrue(registry.page("dave", 3).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> registry.page("", 0));
    }

    private static List<String> nicknames(List<Member<String>> page) {
        return page.stream().map(Member::nickname).toList();
    }
}
