package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.RoomKeyWithheldReason;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.wire.LeaveReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a client's events in order; tests wait for them with a timeout, never with sleeps. */
final class E2eEvents implements ChatListener {
    static final long WAIT_SECONDS = 10;

    /** One event: its kind and value. */
    record Event(String kind, Object value) {}

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage message) {
        events.add(new Event("message", message));
    }

    @Override
    public void onJoin(OnlineClient client) {
        events.add(new Event("join", client));
    }

    @Override
    public void onLeave(OnlineClient client, LeaveReason reason) {
        events.add(new Event("leave", client));
    }

    @Override
    public void onError(ChatClientException error) {
        events.add(new Event("error", error));
    }

    @Override
    public void onIdentityChanged(PeerIdentityChangedException change) {
        events.add(new Event("identity", change));
    }

    @Override
    public void onUndecryptable(UndecryptableMessageException error) {
        events.add(new Event("undecryptable", error));
    }

    @Override
    public void onRoomKeyChanged(OnlineClient member) {
        events.add(new Event("roomkey", member));
    }

    @Override
    public void onRoomKeyShared(PeerIdentity member) {
        events.add(new Event("shared", member));
    }

    @Override
    public void onRoomKeyWithheld(OnlineClient member, RoomKeyWithheldReason reason) {
        events.add(new Event("withheld", member));
    }

    @Override
    public void onDisconnected(ChatClientException cause) {
        events.add(new Event("disconnected", cause));
    }

    /** Waits for the next event of one of the kinds, skipping others. */
    Event next(String... kinds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<Event> skipped = new ArrayList<>();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(e, "no " + String.join("/", kinds) + " event within " + WAIT_SECONDS + " s; skipped "
                    + skipped);
            skipped.add(e);
            for (String k : kinds) {
                if (e.kind().equals(k)) {
                    return e;
                }
            }
        }
    }

    /** Waits until {@code n} room keys arrived (one per other member after joining), skipping other events. */
    void roomKeys(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            next("roomkey");
        }
    }

    ChatMessage message() throws InterruptedException {
        return (ChatMessage) next("message").value();
    }

    /** The next message, failing the test if a failure report comes first. */
    ChatMessage strictMessage() throws InterruptedException {
        Event e = next("message", "undecryptable");
        if (e.kind().equals("undecryptable")) {
            fail("expected a message, got " + e.value());
        }
        return (ChatMessage) e.value();
    }

    /** Asserts that no message is queued (call after a later event proved earlier ones had their chance). */
    void assertNoMessage() {
        for (Event e : events) {
            if (e.kind().equals("message")) {
                fail("unexpected message " + e.value());
            }
        }
    }

    /** The next message or failure report; a message here means a wrong plaintext reached the user. */
    UndecryptableMessageException undecryptable() throws InterruptedException {
        Event e = next("message", "undecryptable");
        if (e.kind().equals("message")) {
            fail("a message was shown where it should have been rejected: " + e.value());
        }
        return (UndecryptableMessageException) e.value();
    }
}
