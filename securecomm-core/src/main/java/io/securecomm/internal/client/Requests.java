package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.DeliveryState;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import io.securecomm.wire.PreKeyBundleResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A client's requests to the relay and their correlation: each request gets the next id, waits in the session's
 * {@link Outbound} for its turn, and from the moment it leaves waits for the answer with its id, an
 * {@code ErrorReply}, the request timeout (from the session's clock), or the end of the session. The returned futures
 * are completed on the session's thread, while it handles the answer, so what is chained on them runs there too and
 * its own requests and events take their place in the session's order.
 *
 * <p>The timeout starts when the request leaves, not while it waits for the pace: how long the relay takes to answer
 * is the relay's, how long this client holds its own backlog is not. A request the relay drops as
 * {@code RATE_LIMITED} (it may still: too many session starts to one recipient, too many bundle requests for one
 * client, far more read than it holds) is sent again, the same message with the same id, after
 * {@link #RETRY_BACKOFF} doubling for each attempt, at most {@value #MAX_RETRIES} times; only then does its future
 * fail. So a client backs off instead of pressing on until the relay cuts it off.
 *
 * <p>Not thread-safe: confined to the session's thread.
 */
public final class Requests {
    /** The answer {@code Delivered}: how far the message got. */
    public static final Answer<DeliveryStatus> DELIVERED = new Answer<>(MessageType.DELIVERED,
            m -> DeliveryStatus.DELIVERED);
    /** The answer {@code PreKeyBundleResponse}: the encoded bundle. */
    public static final Answer<byte[]> BUNDLE = new Answer<>(MessageType.PRE_KEY_BUNDLE_RESPONSE,
            m -> ((PreKeyBundleResponse) m).bundle());
    /** The answer {@code DeliveryReport} to a {@code SendToAccount}: delivered live, or stored. */
    public static final Answer<DeliveryStatus> REPORT = new Answer<>(MessageType.DELIVERY_REPORT,
            m -> ((DeliveryReport) m).state() == DeliveryState.STORED
                    ? DeliveryStatus.STORED : DeliveryStatus.DELIVERED);
    /** The answer {@code AccountBundle}: an account's bundle with its registered key. */
    public static final Answer<AccountBundle> ACCOUNT_BUNDLE = new Answer<>(
            MessageType.ACCOUNT_BUNDLE, m -> (AccountBundle) m);
    /** The answer {@code ClientList}: who is online. */
    /** The answer {@code ClientList}: the members of the public room. */
    public static final Answer<List<ClientInfo>> LIST = new Answer<>(MessageType.CLIENT_LIST,
            m -> ((ClientList) m).clients());
    /** The answer {@code ListPage}: one page of everyone online. */
    public static final Answer<ListPage> LIST_PAGE = new Answer<>(MessageType.LIST_PAGE, m -> (ListPage) m);
    /** The wait before the first retry of a request the relay dropped as {@code RATE_LIMITED}; doubled each time. */
    static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How many times a request the relay dropped as {@code RATE_LIMITED} is sent again before it fails. */
    static final int MAX_RETRIES = 3;

    private final Outbound outbound;
    private final Clock clock;
    private final Duration timeout;
    private final ClientErrors errors;
    /** Every request not answered yet, by id: waiting to leave, on its way, or waiting to be sent again. */
    private final Map<Long, Pending<?>> pending = new HashMap<>();
    /** The requests on their way, in the order they left, which is deadline order: they have the same timeout. */
    private final ArrayDeque<Pending<?>> onTheirWay = new ArrayDeque<>();
    /** The requests the relay dropped, waiting to be sent again, by when. */
    private final List<Pending<?>> backingOff = new ArrayList<>();
    private long lastId;
    private ChatClientException ended;

    Requests(Outbound outbound, Clock clock, Duration timeout, ClientErrors errors) {
        this.outbound = outbound;
        this.clock = clock;
        this.timeout = timeout;
        this.errors = errors;
    }

    /**
     * Sends a request in the chat lane.
     *
     * @param build makes the request from its id
     * @param answer what answers it
     * @param what the request in a few words, for a timeout's message ("private message")
     * @param recipient the peer it concerns, named in an {@code UnknownRecipientException}; {@code null} if none
     * @param <T> the answer's value
     * @return the future of the answer's value; it fails with the {@code ChatClientException} the relay's refusal,
     *     the timeout or the end of the session maps to
     */
    public <T> CompletableFuture<T> send(LongFunction<Message> build, Answer<T> answer, String what, String recipient) {
        return send(build, answer, what, recipient, Outbound.Lane.CHAT);
    }

    /**
     * Sends a request in a lane.
     *
     * @param build makes the request from its id
     * @param answer what answers it
     * @param what the request in a few words
     * @param recipient the peer it concerns, or {@code null}
     * @param lane the lane: chat first, key set-up in the gaps
     * @param <T> the answer's value
     * @return the future of the answer's value
     */
    <T> CompletableFuture<T> send(LongFunction<Message> build, Answer<T> answer, String what, String recipient,
            Outbound.Lane lane) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (ended != null) {
            future.completeExceptionally(ended);
            return future;
        }
        long id = ++lastId;
        Pending<T> p = new Pending<>(id, build.apply(id), answer, future, what, recipient, lane);
        pending.put(id, p);
        enqueue(p);
        return future;
    }

    /**
     * Sends a request that {@code Delivered} answers, in the chat lane.
     *
     * @param build makes the request from its id
     * @param what the request in a few words
     * @param recipient the peer it concerns, or {@code null}
     * @return the future of the delivery
     */
    public CompletableFuture<DeliveryStatus> delivery(LongFunction<Message> build, String what, String recipient) {
        return send(build, DELIVERED, what, recipient);
    }

    private void enqueue(Pending<?> p) {
        outbound.add(p.message, p.lane, () -> {
            if (pending.get(p.id) == p) {
                p.deadline = clock.instant().plus(timeout);
                onTheirWay.addLast(p);
            }
        });
    }

    /** Hands an answer to its request; tells whether one waited for it. */
    boolean answer(long requestId, Message answer) {
        Pending<?> p = take(requestId);
        if (p == null) {
            return false;
        }
        if (answer.type() != p.expected.type) {
            p.future.completeExceptionally(errors.wrongAnswer(p.what, answer.type(), p.expected.type));
        } else {
            p.complete(answer);
        }
        return true;
    }

    /**
     * Fails the request an {@code ErrorReply} names, or, if the relay dropped it as {@code RATE_LIMITED} and it has
     * retries left, sends it again after a back-off; tells whether one waited for it.
     */
    boolean refuse(ErrorReply error) {
        Pending<?> p = error.requestId() == 0 ? null : pending.get(error.requestId());
        if (p == null || p.deadline == null) {
            return false; // not a request on its way: not this request's answer
        }
        if (error.code() == ErrorCode.RATE_LIMITED && p.retries < MAX_RETRIES) {
            onTheirWay.remove(p);
            p.deadline = null;
            p.retryAt = clock.instant().plus(RETRY_BACKOFF.multipliedBy(1L << p.retries));
            p.retries++;
            backingOff.add(p);
            return true;
        }
        take(p.id).future.completeExceptionally(errors.forReply(error, p.recipient));
        return true;
    }

    private Pending<?> take(long requestId) {
        Pending<?> p = pending.remove(requestId);
        if (p != null) {
            onTheirWay.remove(p);
            backingOff.remove(p);
        }
        return p;
    }

    /** The session ended: every request waiting fails with its cause, and so does every later one. */
    void end(ChatClientException cause) {
        if (ended == null) {
            ended = cause;
        }
        List<Pending<?>> all = new ArrayList<>(pending.values());
        all.sort((a, b) -> Long.compare(a.id, b.id));
        pending.clear();
        onTheirWay.clear();
        backingOff.clear();
        all.forEach(p -> p.future.completeExceptionally(cause));
    }

    /** When the oldest request on its way times out, or the next one backing off is due, whichever comes first. */
    Optional<Instant> nextDeadline() {
        Instant next = onTheirWay.isEmpty() ? null : onTheirWay.peekFirst().deadline;
        for (Pending<?> p : backingOff) {
            if (next == null || p.retryAt.isBefore(next)) {
                next = p.retryAt;
            }
        }
        return Optional.ofNullable(next);
    }

    /** Fails the requests whose deadline has come, and queues again those whose back-off is over. */
    void expire(Instant now) {
        List<Pending<?>> late = new ArrayList<>();
        while (!onTheirWay.isEmpty() && !now.isBefore(onTheirWay.peekFirst().deadline)) {
            Pending<?> p = onTheirWay.removeFirst();
            pending.remove(p.id);
            late.add(p);
        }
        for (Iterator<Pending<?>> it = backingOff.iterator(); it.hasNext(); ) {
            Pending<?> p = it.next();
            if (!now.isBefore(p.retryAt)) {
                it.remove();
                p.retryAt = null;
                enqueue(p);
            }
        }
        late.forEach(p -> p.future.completeExceptionally(errors.requestTimedOut(p.what)));
    }

    /**
     * What answers a request: the message type, and the value the request's future gets from it.
     *
     * @param <T> the value's type
     */
    public static final class Answer<T> {
        private final MessageType type;
        private final Function<Message, T> value;

        private Answer(MessageType type, Function<Message, T> value) {
            this.type = type;
            this.value = value;
        }
    }

    /** One request: what it is, what answers it, and where it stands. */
    private static final class Pending<T> {
        final long id;
        final Message message;
        final Answer<T> expected;
        final CompletableFuture<T> future;
        final String what;
        final String recipient;
        final Outbound.Lane lane;
        /** Set when it leaves; {@code null} while it waits for its turn or backs off. */
        Instant deadline;
        /** When it is sent again, while it backs off. */
        Instant retryAt;
        int retries;

        Pending(long id, Message message, Answer<T> expected, CompletableFuture<T> future, String what,
                String recipient, Outbound.Lane lane) {
            this.id = id;
            this.message = message;
            this.expected = expected;
            this.future = future;
            this.what = what;
            this.recipient = recipient;
            this.lane = lane;
        }

        void complete(Message m) {
            future.complete(expected.value.apply(m));
        }
    }
}
