package io.securecomm.testing.cluster;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.testing.Eventually;
import io.securecomm.wire.LeaveReason;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client's events, in order; every wait is bounded by {@link Eventually#WAIT} and fails the test after it. */
public final class ClientEvents implements ChatListener {
    private record Event(String kind, Object value, String detail) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** Creates a listener that has recorded nothing. */
    public ClientEvents() {}

    @Override
    public void onMessage(ChatMessage message) {
        events.add(new Event("message", message, ""));
    }

    @Override
    public void onJoin(OnlineClient client) {
        events.add(new Event("join", client, ""));
    }

    @Override
    public void onLeave(OnlineClient client, LeaveReason reason) {
        events.add(new Event("leave", client, reason.description()));
    }

    private Event next(String kind) throws InterruptedException {
        long deadline = System.nanoTime() + Eventually.WAIT.toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(e, "no " + kind + " event within " + Eventually.WAIT);
            if (e.kind().equals(kind)) {
                return e;
            }
        }
    }

    /**
     * Waits for the next message, skipping other events.
     *
     * @return the message
     * @throws InterruptedException if interrupted while waiting
     */
    public ChatMessage nextMessage() throws InterruptedException {
        return (ChatMessage) next("message").value();
    }

    /**
     * Waits for a member's join, skipping other events and earlier members' joins.
     *
     * @param nickname the member
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitJoin(String nickname) throws InterruptedException {
        while (!((OnlineClient) next("join").value()).nickname().equals(nickname)) {
            // an earlier member's join: keep waiting
        }
    }

    /**
     * Waits for a member's departure, skipping other events and other members' departures.
     *
     * @param nickname the member
     * @return its reason's description
     * @throws InterruptedException if interrupted while waiting
     */
    public String awaitLeave(String nickname) throws InterruptedException {
        while (true) {
            Event e = next("leave");
            if (((OnlineClient) e.value()).nickname().equals(nickname)) {
                return e.detail();
            }
        }
    }
}
