package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import io.securecomm.wire.PreKeyBundleResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A client's requests to the relay and their correlation: each request gets the next id, goes out as a
 * {@link ClientAction.Send} of its session, and waits for the answer with its id, an {@code ErrorReply}, the
 * request timeout (from the session's clock), or the end of the session. The returned futures are completed on the
 * session's thread, while it handles the answer, so what is chained on them runs there too and its own requests
 * and events take their place in the session's order.
 *
 * <p>Not thread-safe: confined to the session's thread.
 */
public final class Requests {
    /** The answer {@code Delivered}, which carries no value. */
    public static final Answer<DeliveryStatus> DELIVERED = new Answer<>(MessageType.DELIVERED,
            m -> DeliveryStatus.DELIVERED);
    /** The answer {@code PreKeyBundleResponse}: the encoded bundle. */
    public static final Answer<byte[]> BUNDLE = new Answer<>(MessageType.PRE_KEY_BUNDLE_RESPONSE,
            m -> ((PreKeyBundleResponse) m).bundle());
    /** The answer {@code ClientList}: who is online. */
    public static final Answer<List<ClientInfo>> LIST = new Answer<>(MessageType.CLIENT_LIST,
            m -> ((ClientList) m).clients());

    private final Consumer<ClientAction> actions;
    private final Clock clock;
    private final Duration timeout;
    private final ClientErrors errors;
    /** In the order sent, which is deadline order: every request has the same timeout. */
    private final Map<Long, Pending<?>> pending = new LinkedHashMap<>();
    private long lastId;
    private ChatClientException ended;

    Requests(Consumer<ClientAction> actions, Clock clock, Duration timeout, ClientErrors errors) {
        this.actions = actions;
        this.clock = clock;
        this.timeout = timeout;
        this.errors = errors;
    }

    /**
     * Sends a request.
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
        CompletableFuture<T> future = new CompletableFuture<>();
        if (ended != null) {
            future.completeExceptionally(ended);
            return future;
        }
        long id = ++lastId;
        pending.put(id, new Pending<>(answer, future, what, recipient, clock.instant().plus(timeout)));
        actions.accept(new ClientAction.Send(build.apply(id)));
        return future;
    }

    /**
     * Sends a request that {@code Delivered} answers.
     *
     * @param build makes the request from its id
     * @param what the request in a few words
     * @param recipient the peer it concerns, or {@code null}
     * @return the future of the delivery
     */
    public CompletableFuture<DeliveryStatus> delivery(LongFunction<Message> build, String what, String recipient) {
        return send(build, DELIVERED, what, recipient);
    }

    /** Hands an answer to its request; tells whether one waited for it. */
    boolean answer(long requestId, Message answer) {
        Pending<?> p = pending.remove(requestId);
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

    /** Fails the request an {@code ErrorReply} names; tells whether one waited for it. */
    boolean refuse(ErrorReply error) {
        Pending<?> p = error.requestId() == 0 ? null : pending.remove(error.requestId());
        if (p == null) {
            return false;
        }
        p.future.completeExceptionally(errors.forReply(error, p.recipient));
        return true;
    }

    /** The session ended: every request waiting fails with its cause, and so does every later one. */
    void end(ChatClientException cause) {
        if (ended == null) {
            ended = cause;
        }
        List<Pending<?>> all = new ArrayList<>(pending.values());
        pending.clear();
        all.forEach(p -> p.future.completeExceptionally(cause));
    }

    /** When the oldest request waiting times out. */
    Optional<Instant> nextDeadline() {
        Iterator<Pending<?>> first = pending.values().iterator();
        return first.hasNext() ? Optional.of(first.next().deadline) : Optional.empty();
    }

    /** Fails the requests whose deadline has come. */
    void expire(Instant now) {
        List<Pending<?>> late = new ArrayList<>();
        for (Iterator<Pending<?>> it = pending.values().iterator(); it.hasNext(); ) {
            Pending<?> p = it.next();
            if (now.isBefore(p.deadline)) {
                break;
            }
            it.remove();
            late.add(p);
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

    private record Pending<T>(Answer<T> expected, CompletableFuture<T> future, String what, String recipient,
            Instant deadline) {
        void complete(Message m) {
            future.complete(expected.value.apply(m));
        }
    }
}
