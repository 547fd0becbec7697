package io.securecomm.internal.relay;

import io.securecomm.relay.store.StoredMessage;
import io.securecomm.wire.AckStored;
import io.securecomm.wire.StoredEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What the store holds for one session's account, on its way to the client (docs/STORE.md): read page by page after
 * the welcome and whenever another session stores a message for it, sent as {@link StoredEnvelope}s within a window
 * of {@link #MAX_UNACKNOWLEDGED} unacknowledged messages and half the slow-reader limit in bytes, and deleted from the
 * store on the client's {@link AckStored}. A read that fails is tried again after {@link #RETRY}.
 *
 * <p>Threads: confined to the session's connection thread; every store answer comes back through its executor.
 * {@link #caughtUp()} and {@link #lastSent()} are safe from any thread (the senders' sessions read them to keep
 * one sender's messages in order).
 *
 * @param <C> the adapter's handle of a connection
 */
final class StoredInbox<C> {
    /**
     * How many stored messages a connection may have been sent without acknowledging them; their bytes are bounded too,
     * by half the slow-reader limit, so that a drain never makes the relay cut its own recipient off as too slow.
     */
    static final int MAX_UNACKNOWLEDGED = 1024;

    /** How many stored messages one read from the store fetches. */
    static final int PAGE = 256;

    /** How long after a failed read of stored messages the relay tries again. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final RelayState<C> relay;
    private final RelaySession<C> session;
    private final SessionOutput<C> out;
    private final Executor thread;
    /** Everything stored for this client has been sent to it, as far as this session knows. */
    private volatile boolean caughtUp;
    /** The highest id of a stored message sent to this client on this connection. */
    private volatile long lastSent;
    private boolean fetching;
    private boolean fetchAgain;
    /** The stored messages sent and not acknowledged: id to stored bytes. */
    private final Map<Long, Integer> unacknowledged = new LinkedHashMap<>();
    private long unacknowledgedBytes;
    private Instant retry;

    StoredInbox(RelayState<C> relay, RelaySession<C> session, SessionOutput<C> out, Executor thread) {
        this.relay = relay;
        this.session = session;
        this.out = out;
        this.thread = thread;
    }

    /** Everything stored for this client has been sent to it. Safe from any thread. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** The highest id of a stored message sent to this client on this connection. Safe from any thread. */
    long lastSent() {
        return lastSent;
    }

    /**
     * The client is being admitted: a client that takes no stored messages (an older one), or has no account, has
     * nothing to catch up on and gets messages live; the others are sent what is stored first ({@link #catchUp()}).
     */
    void admitted(boolean takesStored) {
        caughtUp = !takesStored;
    }

    /** After the welcome: starts sending what is stored, unless there is nothing to catch up on. */
    void catchUp() {
        if (!caughtUp) {
            fetch();
        }
    }

    /** Another session stored a message for this client: it is sent if this client takes stored messages. */
    void arrived() {
        thread.execute(() -> {
            if (session.takesStored() && session.welcomed()) {
                fetch();
            }
        });
    }

    /** When the next read is due after a failed one, or {@code null}. */
    Instant retryDeadline() {
        return retry;
    }

    /** Reads again once a failed read's {@link #RETRY} has passed at {@code now}. */
    void handleTimeout(Instant now) {
        if (retry != null && !now.isBefore(retry)) {
            retry = null;
            fetch();
        }
    }

    /** The client acknowledged stored messages: the store deletes them, and the window moves on. */
    void acknowledge(AckStored ack) {
        String account = session.account();
        if (account == null) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        for (long id : ack.messageIds()) {
            ids.add(id);
            Integer bytes = unacknowledged.remove(id);
            if (bytes != null) {
                unacknowledgedBytes -= bytes;
            }
        }
        relay.store().messages().acknowledge(account, ids);
        fetch();
    }

    /** Reads the next stored messages for this client, within its window of unacknowledged ones. */
    private void fetch() {
        String account = session.account();
        if (out.closing() || account == null || !session.takesStored()) {
            return;
        }
        if (fetching) {
            fetchAgain = true;
            return;
        }
        int room = MAX_UNACKNOWLEDGED - unacknowledged.size();
        if (room <= 0 || unacknowledgedBytes >= windowBytes()) {
            return; // the next acknowledgement reads on
        }
        int asked = Math.min(PAGE, room);
        fetching = true;
        fetchAgain = false;
        relay.store().messages().fetch(account, lastSent, asked).whenComplete((messages, error) ->
                thread.execute(() -> fetched(messages, error, asked)));
    }

    private void fetched(List<StoredMessage> messages, Throwable error, int asked) {
        fetching = false;
        if (out.closing()) {
            return;
        }
        if (error != null) {
            retry = relay.clock().instant().plus(RETRY);
            return;
        }
        List<Long> unreadable = new ArrayList<>();
        boolean windowFull = false;
        for (StoredMessage m : messages) {
            if (unacknowledgedBytes >= windowBytes()) {
                windowFull = true; // the rest of the page is read again once acknowledgements make room
                break;
            }
            byte[] stored = m.envelope();
            Optional<byte[]> senderKey = StoredRecords.senderKey(stored);
            if (senderKey.isEmpty() || Nicknames.problem(m.sender()) != null) {
                unreadable.add(m.messageId()); // not written by this relay: nothing a client could use
            } else {
                out.send(new StoredEnvelope(m.messageId(), m.sentAt().toEpochMilli(), m.sender(), senderKey.get(),
                        StoredRecords.ciphertext(stored)));
                if (unacknowledged.put(m.messageId(), stored.length) == null) {
                    unacknowledgedBytes += stored.length;
                }
            }
            lastSent = m.messageId();
        }
        if (!unreadable.isEmpty()) {
            relay.store().messages().acknowledge(session.account(), unreadable);
        }
        if (windowFull) {
            return; // the next acknowledgement reads on
        }
        if (messages.size() == asked || fetchAgain) {
            fetch();
        } else {
            caughtUp = true;
        }
    }

    /** The bytes of stored messages a connection may have unacknowledged: half the slow-reader limit. */
    private long windowBytes() {
        return relay.options().slowReaderLimitBytes() / 2;
    }
}
