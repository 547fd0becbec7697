package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.wire.LeaveReason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a client's events, in order, with the thread each arrived on; tests wait with timeouts. */
final class RecordingListener implements ChatListener {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** One recorded event. */
    record Event(String kind, Object value, String detail, String thread) {}

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Per sender, how many of its messages this client refused to show (never consumed by waiting). */
    final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    @Override
    public void onMessage(ChatMessage message) {
        events.add(new Event("message", message, "", Thread.currentThread().getName()));
    }

    @Override
    public void onJoin(OnlineClient client) {
        events.add(new Event("join", client, "", Thread.currentThread().getName()));
    }

    @Override
    public void onLeave(OnlineClient client, LeaveReason reason) {
        events.add(new Event("leave", client, reason.description(), Thread.currentThread().getName()));
    }

    @Override
    public void onError(ChatClientException error) {
        events.add(new Event("error", error, "", Thread.currentThread().getName()));
    }

    @Override
    public void onIdentityChanged(PeerIdentityChangedException change) {
        events.add(new Event("identity", change, change.peer(), Thread.currentThread().getName()));
    }

    @Override
    public void onUndecryptable(UndecryptableMessageException error) {
        refusals.merge(error.sender(), 1, Integer::sum);
        events.add(new Event("undecryptable", error, error.sender(), Thread.currentThread().getName()));
    }

    @Override
    public void onDisconnected(ChatClientException cause) {
        events.add(new Event("disconnected", cause, "", Thread.currentThread().getName()));
    }

    /** Waits for the next event, failing the test after {@link #WAIT}. */
    Event next() throws InterruptedException {
        Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no event within " + WAIT);
        return e;
    }

    /** Waits for the next event of a kind, skipping others; fails after {@link #WAIT}. */
    Event next(String kind) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(e, "no " + kind + " event within " + WAIT);
            if (e.kind().equals(kind)) {
                return e;
            }
        }
    }

    ChatMessage nextMessage() throws InterruptedException {
        return (ChatMessage) next("message").value();
    }

    /** Asserts nothing is queued now (call after a later event proves earlier ones had their chance). */
    void assertNoMessageQueued() {
        for (Event e : events) {
            assertNull(e.kind().equals("message") ? e : null, "unexpected message " + e);
        }
    }
}
