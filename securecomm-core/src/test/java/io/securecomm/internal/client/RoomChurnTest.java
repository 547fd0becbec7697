package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PendingRoomMessages;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.wire.MessageType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22: the room under churn, seeded. Sixteen nicknames, six to twelve online at a time; members join, leave
 * cleanly, crash, and come back with the same identity or a new one (whose change every member who knew the old one
 * accepts, as a user comparing safety numbers would), while members write to the room and to each other. Then the
 * churn stops, and:
 *
 * <ul>
 *   <li>the room heals within a bound: after {@link #HEAL_BOUND} of quiet, every member reads a public message of
 *       every other member (key hand-overs that failed were retried; accepted identities got the keys again);</li>
 *   <li>nothing vanished: every room message the relay delivered to a member was, for that member, either read or
 *       reported unreadable, including those still held when the member left or crashed.</li>
 * </ul>
 *
 * <p>All on the harness's clock: each seed runs about 40 s of simulated churn (150 steps of 50 to 500 ms),
 * then the quiet, in one to three seconds; the six seeds took 7 to 12 s on the shared 2-core machine.
 */
class RoomChurnTest {
    private static final int NICKNAMES = 16;
    private static final int MIN_ONLINE = 6;
    private static final int MAX_ONLINE = 12;
    private static final int STEPS = 150;
    /** How long after the churn the room must read itself again: the longest hand-over back-off, and some. */
    static final Duration HEAL_BOUND = RoomKeyHandOver.RETRY_MAX.plusSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One session of a member: what the relay handed it of the room, and what it made of that. */
    private static final class Tracked {
        final Client client;
        int roomEnvelopes;

        Tracked(Client client) {
            this.client = client;
        }

        long accountedFor() {
            long read = client.events(ClientEvent.MessageReceived.class).stream().filter(m -> !m.message().isPrivate())
                    .count();
            long reported = client.events(ClientEvent.Undecryptable.class).stream()
                    .filter(u -> !u.error().isPrivate()).mapToLong(ClientEvent.Undecryptable::messages).sum();
            return read + reported;
        }
    }

    private ClientHarness net;
    private Random random;
    private final Map<String, InMemoryProtocolStore> stores = new HashMap<>();
    private final Map<String, Tracked> online = new LinkedHashMap<>();
    private final List<Tracked> everyone = new ArrayList<>();
    private final Map<Client, Integer> decided = new HashMap<>();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void theRoomHealsAfterChurnAndNothingVanishes(long seed) {
        net = new ClientHarness();
        random = new Random(seed);
        for (int i = 0; i < 8; i++) {
            join(offlineName(), false);
        }
        for (int step = 0; step < STEPS; step++) {
            net.advance(Duration.ofMillis(50 + random.nextInt(450)));
            int roll = random.nextInt(100);
            if (online.size() < MIN_ONLINE || (online.size() < MAX_ONLINE && roll < 20)) {
                join(offlineName(), random.nextInt(3) == 0);
            } else if (online.size() > MIN_ONLINE && roll < 30) {
                leave(random.nextBoolean());
            } else if (roll < 80) {
                Tracked t = pick();
                t.client.sendPublic("public " + seed + "/" + step + " from " + t.client.nickname);
            } else {
                Tracked from = pick();
                Tracked to = pick();
                if (from != to) {
                    from.client.sendPrivate(to.client.nickname, "private " + step);
                }
            }
            acceptChanges();
        }

        // The churn stops. The users accept what changed; the clients retry what failed.
        acceptChanges();
        net.settle();
        net.advance(HEAL_BOUND);
        acceptChanges();
        net.settle();
        for (Tracked sender : online.values()) {
            String text = "healed " + seed + " " + sender.client.nickname;
            sender.client.sendPublic(text);
            for (Tracked reader : online.values()) {
                if (reader != sender) {
                    Duration took = net.advanceUntil(() -> texts(reader.client).contains(text),
                            reader.client.nickname + " reads " + sender.client.nickname + " after the churn (seed "
                                    + seed + ")");
                    assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "read at once, not after " + took);
                }
            }
        }

        // Nothing vanished: what was still held is given up after its time, or reported when the session ended.
        net.advance(PendingRoomMessages.DEFAULT_MAX_AGE.plusSeconds(1));
        for (Tracked t : everyone) {
            assertEquals(t.roomEnvelopes, t.accountedFor(), t.client.nickname + " (seed " + seed + "): every room"
                    + " message it was handed was read or reported");
        }
    }

    private static List<String> texts(Client c) {
        return c.events(ClientEvent.MessageReceived.class).stream().map(ClientEvent.MessageReceived::message)
                .map(ChatMessage::text).toList();
    }

    private String offlineName() {
        List<String> offline = new ArrayList<>();
        for (int i = 0; i < NICKNAMES; i++) {
            if (!online.containsKey("m" + i)) {
                offline.add("m" + i);
            }
        }
        return offline.get(random.nextInt(offline.size()));
    }

    private Tracked pick() {
        List<Tracked> all = new ArrayList<>(online.values());
        return all.get(random.nextInt(all.size()));
    }

    private void join(String name, boolean newIdentity) {
        InMemoryProtocolStore store = stores.get(name);
        if (store == null || newIdentity) {
            if (store != null) {
                net.releaseAccount(name); // a new identity takes the nickname only once its account is released
            }
            store = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
            stores.put(name, store);
        }
        InMemoryProtocolStore mine = store;
        Client c = net.client(name, b -> b.protocolStore(mine));
        Tracked t = new Tracked(c);
        c.fromRelay = m -> {
            if (m.type() == MessageType.ROOM_ENVELOPE) {
                t.roomEnvelopes++;
            }
            return List.of(m);
        };
        net.connected(c);
        online.put(name, t);
        everyone.add(t);
    }

    private void leave(boolean clean) {
        Tracked t = pick();
        online.remove(t.client.nickname);
        if (clean) {
            t.client.session.close();
            net.pump();
        } else {
            t.client.crash();
        }
    }

    /** Each member accepts the identity changes it was warned of, with the safety number it was shown. */
    private void acceptChanges() {
        for (Tracked t : List.copyOf(online.values())) {
            List<ClientEvent.IdentityChanged> changes = t.client.events(ClientEvent.IdentityChanged.class);
            int seen = decided.getOrDefault(t.client, 0);
            for (ClientEvent.IdentityChanged change : changes.subList(seen, changes.size())) {
                PeerIdentityChangedException e = change.change();
                // A change superseded meanwhile (the peer came back with yet another key) is refused: a later
                // warning names the newest key.
                t.client.<Boolean>call((s, f) -> s.commands().trustNewIdentity(e.peer(),
                        SafetyNumber.parse(e.safetyNumber()), f));
            }
            decided.put(t.client, changes.size());
        }
        net.pump();
    }
}
