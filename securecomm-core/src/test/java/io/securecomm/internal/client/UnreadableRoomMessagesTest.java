package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: room envelopes a client cannot read cost it next to nothing and are reported once per sender, not once
 * per message; none that could still become readable is dropped, and none vanishes unreported.
 */
class UnreadableRoomMessagesTest {
    private static final int JUNK = 100;
    private static final int KEYLESS = 100;

    /**
     * A member floods bob's room with 100 envelopes that are no room message at all (8 KiB of zeros, as the load
     * harness's fan-out attack sends) and 100 well-formed ones under a key it never sent. Bob reported each of the
     * first hundred at once (an exception and a listener call each); now he reports the sender once, keeps the
     * keyless ones held (they could become readable), reports them together when their 30 s are up, and reads
     * alice's private and public messages meanwhile. Every one of the 200 is accounted for in the reports' counts.
     */
    @Test
    void aFloodOfUnreadableRoomEnvelopesIsReportedOncePerSenderAndTheChatFlows() {
        ClientHarness net = new ClientHarness();
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        Client mallory = net.connected("mallory");
        net.settle();
        int malloryId = net.relay.relay.registry().byNickname("mallory").orElseThrow().clientId();
        bob.fromRelay = m -> {
            if (m instanceof RoomEnvelope e && e.senderId() == malloryId) {
                List<RoomEnvelope> flood = new ArrayList<>(List.of(e));
                for (int i = 0; i < JUNK; i++) {
                    flood.add(new RoomEnvelope(malloryId, new byte[8192]));
                }
                for (int i = 0; i < KEYLESS; i++) {
                    byte[] keyless = new byte[UnreadableRoomMessages.MIN_ROOM_MESSAGE_BYTES + 16];
                    keyless[0] = 1; // version
                    keyless[1] = 3; // room message
                    keyless[2] = (byte) 0x7f; // a chain id mallory never distributed
                    keyless[9] = (byte) i; // its iteration
                    flood.add(new RoomEnvelope(malloryId, keyless));
                }
                return List.copyOf(flood);
            }
            return List.of(m);
        };
        mallory.sendPublic("the one genuine message");
        alice.sendPrivate("bob", "private, during the flood");
        alice.sendPublic("public, during the flood");
        net.settle();

        List<String> read = bob.events(ClientEvent.MessageReceived.class).stream().map(r -> r.message().text())
                .toList();
        assertTrue(read.containsAll(List.of("the one genuine message", "private, during the flood",
                "public, during the flood")), read.toString());
        List<ClientEvent.Undecryptable> reports = fromMallory(bob);
        assertEquals(1, reports.size(), "the first unreadable one reported, the others counted: " + reports);

        net.advance(Duration.ofSeconds(31)); // the keyless ones' 30 s are up: given up, counted
        net.advance(UnreadableRoomMessages.REPORT_INTERVAL); // and reported together
        reports = fromMallory(bob);
        assertTrue(reports.size() <= 3, "a report a minute at most: " + reports);
        assertEquals(JUNK + KEYLESS, reports.stream().mapToInt(ClientEvent.Undecryptable::messages).sum(),
                "every unreadable one accounted for: " + reports);
    }

    private static List<ClientEvent.Undecryptable> fromMallory(Client c) {
        return c.events(ClientEvent.Undecryptable.class).stream()
                .filter(u -> !u.error().isPrivate() && u.error().getMessage().contains("mallory")).toList();
    }

    @Test
    void aSenderIsReportedFirstThenAtMostOnceAnIntervalAndWhatIsCountedIsReportedWhenItLeaves() {
        MutableClock clock = new MutableClock();
        Instant start = clock.instant();
        UnreadableRoomMessages u = new UnreadableRoomMessages(clock);
        Optional<UnreadableRoomMessages.Report> first = u.unreadable("mallory", "junk", null);
        assertEquals(1, first.orElseThrow().messages());
        for (int i = 0; i < 50; i++) {
            assertFalse(u.unreadable("mallory", "junk", null).isPresent(), "counted, not reported");
        }
        assertTrue(u.unreadable("carol", "junk", null).isPresent(), "another sender's first is reported");
        assertEquals(Optional.of(start.plus(UnreadableRoomMessages.REPORT_INTERVAL)), u.nextReport());
        clock.advance(UnreadableRoomMessages.REPORT_INTERVAL);
        List<UnreadableRoomMessages.Report> due = u.due(clock.instant());
        assertEquals(1, due.size());
        assertEquals(50, due.get(0).messages());
        assertEquals(Optional.empty(), u.nextReport(), "nothing counted since");
        u.unreadable("mallory", "junk", null);
        assertEquals(1, u.left("mallory").orElseThrow().messages(), "what is counted is reported when it leaves");
        assertEquals(Optional.empty(), u.left("mallory"));
        assertEquals(53, u.total());
    }

    @Test
    void onlyBytesShapedLikeARoomMessageCanBecomeReadable() {
        byte[] shaped = new byte[UnreadableRoomMessages.MIN_ROOM_MESSAGE_BYTES];
        shaped[0] = 1;
        shaped[1] = 3;
        assertTrue(UnreadableRoomMessages.couldBeRoomMessage(shaped));
        assertFalse(UnreadableRoomMessages.couldBeRoomMessage(new byte[8192]), "zeros");
        assertFalse(UnreadableRoomMessages.couldBeRoomMessage(Arrays.copyOf(shaped, shaped.length - 1)),
                "too short for a tag and a signature");
        shaped[1] = 1;
        assertFalse(UnreadableRoomMessages.couldBeRoomMessage(shaped), "a pairwise message");
    }
}
