package io.securecomm.internal.relay;

import io.securecomm.internal.limits.Cost;
import io.securecomm.internal.limits.RequestThrottle;
import io.securecomm.internal.limits.SharedWorkBucket;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Paces what one client makes the relay do (docs/SECURITY.md, "Cost model" and "Fairness"), without I/O: each message
 * read goes on to the relay logic when the connection's {@link RequestThrottle} admits its {@link CostModel cost};
 * until then it is held, in order, and the adapter stops reading from the socket (so TCP slows the client down) and
 * asks again when the throttle says it would fit. A client is thereby slowed, never refused, however late the relay
 * read what it sent: an overloaded relay that reads a backlog in one go does not mistake it for a burst.
 *
 * <p>Fair turns: the connections of an event loop take turns. Once a connection has been given
 * {@value #TURN_QUANTUM_MICROS} microseconds of modelled work in one turn (one read of its socket), the rest of what it
 * sent waits until the event loop has served the other connections' reads: a connection with expensive work cannot
 * hold its loop while others wait (a deficit round robin whose quantum is one turn's work). The connections of one
 * remote address on one loop share that quantum: each is given {@code quantum / n} per turn while its address has
 * {@code n} connections there, so 32 connections of one address get one address's turn, not 32 (issue 22).
 *
 * <p>Holding is bounded: the adapter stops reading as soon as one message is held (for a yielded turn, as soon as
 * a further buffer arrives before the next turn), so only what the socket had already delivered can queue here.
 * Past {@value #MAX_HELD_MESSAGES} held messages (a client that packs thousands of tiny messages into one read), each
 * further one is refused with {@link ErrorCode#RATE_LIMITED} (a {@code Ping} or {@code Pong} silently), at the cost
 * of a strike; a client out of strikes gets a {@link Disconnect} with {@link ByeReason#RATE_LIMITED}. The hello, the
 * goodbye and an unparsable message cost nothing, but keep their place in the order.
 *
 * <p>Time is the adapter's monotonic nanoseconds. Not thread-safe: confined to the connection's thread.
 */
public final class InboundPacer {
    /** The modelled work one connection is given per turn of its event loop, in microseconds. */
    public static final long TURN_QUANTUM_MICROS = 2_000;

    /** The most messages held for one connection; beyond, each is refused. */
    public static final int MAX_HELD_MESSAGES = 1024;

    /** What becomes of a message read from the socket. */
    public sealed interface Verdict {
        /** It is held, in order: the adapter hands on what {@link #next} admits. */
        record Held() implements Verdict {}

        /**
         * Nothing was held and it may go now ({@link #offer}): it is not held, and the adapter hands it on at once;
         * its cost is taken as {@link #next} would have taken it.
         *
         * @param message the message, as the adapter gave it
         */
        record Passed(Object message) implements Verdict {}

        /**
         * It is beyond what may be held, and dropped.
         *
         * @param reply the answer to write to the client, if the message was a request that expects one
         */
        record Refused(Optional<ErrorReply> reply) implements Verdict {
            /**
             * Checks the argument.
             *
             * @param reply the answer, or empty
             */
            public Refused {
                Objects.requireNonNull(reply, "reply");
            }
        }

        /**
         * It is beyond what may be held, and the client is out of strikes: the session must end.
         *
         * @param disconnect the limit, for the session
         */
        record Ended(Disconnect disconnect) implements Verdict {
            /**
             * Checks the argument.
             *
             * @param disconnect the limit
             */
            public Ended {
                Objects.requireNonNull(disconnect, "disconnect");
            }
        }
    }

    /** What the adapter does next. */
    public sealed interface Step {
        /**
         * Hand this message on to the relay logic, then ask again.
         *
         * @param message the message, as the adapter gave it
         */
        record Deliver(Object message) implements Step {}

        /**
         * This turn's quantum is spent: stop reading; the loop serves the other connections first.
         *
         * @param schedule whether the adapter must schedule the next turn ({@link #newTurn()}); false if it already
         *     did
         */
        record YieldTurn(boolean schedule) implements Step {}

        /**
         * An allowance is short: stop reading, and ask again after this long.
         *
         * @param nanos the wait, in nanoseconds
         */
        record Wait(long nanos) implements Step {}

        /** Nothing is held: read on. */
        record ReadOn() implements Step {}
    }

    private static final Verdict HELD = new Verdict.Held();
    private static final Step READ_ON = new Step.ReadOn();

    private final RateLimit rateLimit;
    private final CostModel costs;
    private final RequestThrottle throttle;
    private final IntSupplier turnSharers;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean turnYielded;
    private boolean disconnecting;
    private long turnWorkMicros;

    /**
     * Creates the pacer of one connection.
     *
     * @param rateLimit the request rate and the tolerance of overflow
     * @param workLimit the work and upload allowances
     * @param costs the relay's cost model
     * @param address the work bucket this connection shares with the others of its remote address
     * @param nowNanos the adapter's time now
     */
    public InboundPacer(RateLimit rateLimit, WorkLimit workLimit, CostModel costs, SharedWorkBucket address,
            long nowNanos) {
        this(rateLimit, workLimit, costs, address, () -> 1, nowNanos);
    }

    /**
     * Creates the pacer of one connection that shares its loop's turns with the other connections of its address.
     *
     * @param rateLimit the request rate and the tolerance of overflow
     * @param workLimit the work and upload allowances
     * @param costs the relay's cost model
     * @param address the work bucket this connection shares with the others of its remote address
     * @param turnSharers how many connections of its address run on its loop now (this one included): they share
     *     one turn's quantum
     * @param nowNanos the adapter's time now
     */
    public InboundPacer(RateLimit rateLimit, WorkLimit workLimit, CostModel costs, SharedWorkBucket address,
            IntSupplier turnSharers, long nowNanos) {
        this.turnSharers = Objects.requireNonNull(turnSharers, "turnSharers");
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        this.costs = Objects.requireNonNull(costs, "costs");
        this.throttle = new RequestThrottle(rateLimit, Objects.requireNonNull(workLimit, "workLimit"),
                Objects.requireNonNull(address, "address"), nowNanos);
    }

    /**
     * A message read from the socket, or anything else the pipeline hands up (it costs nothing).
     *
     * @param message what was read
     * @param nowNanos the adapter's time now
     * @return whether it is held, refused, or ends the session
     */
    public Verdict receive(Object message, long nowNanos) {
        return hold(message, nowNanos);
    }

    /**
     * A message read from the socket, as {@link #receive}, except that when nothing is held and the message may go
     * now (its turn's quantum is not spent and the throttle admits it) it is not held but {@link Verdict.Passed}:
     * the outcome of {@code receive} and then {@link #next}, without the message ever stored here. Holding it would
     * be a store into this long-lived object per message, which G1 pays for at 1,000 clients (issue 18). The adapter
     * uses {@code receive} instead while it is handing on a message, so that one it reads meanwhile waits its turn.
     *
     * @param message what was read
     * @param nowNanos the adapter's time now
     * @return whether it goes on now, is held, refused, or ends the session
     */
    public Verdict offer(Object message, long nowNanos) {
        if (held.isEmpty()) {
            Cost cost = message instanceof Message m ? costs.of(m) : Cost.FREE;
            // The checks of next, in its order; the throttle takes nothing when it asks to wait.
            if (!(cost.request() && turnWorkMicros >= quantum()) && throttle.admit(cost, nowNanos) <= 0) {
                turnWorkMicros += cost.workMicros();
                return new Verdict.Passed(message);
            }
        }
        return hold(message, nowNanos);
    }

    private Verdict hold(Object message, long nowNanos) {
        if (held.size() >= MAX_HELD_MESSAGES && message instanceof Message m && costs.of(m).request()) {
            return overflow(m, nowNanos);
        }
        held.addLast(message);
        return HELD;
    }

    /**
     * The next step: a held message the throttle admits now, or why none is.
     *
     * @param nowNanos the adapter's time now
     * @return what the adapter does next
     */
    public Step next(long nowNanos) {
        if (held.isEmpty()) {
            return READ_ON;
        }
        Object first = held.peekFirst();
        Cost cost = first instanceof Message m ? costs.of(m) : Cost.FREE;
        if (cost.request() && turnWorkMicros >= quantum()) {
            boolean schedule = !turnYielded;
            turnYielded = true;
            return new Step.YieldTurn(schedule);
        }
        long waitNanos = throttle.admit(cost, nowNanos);
        if (waitNanos > 0) {
            return new Step.Wait(waitNanos);
        }
        held.removeFirst();
        turnWorkMicros += cost.workMicros();
        return new Step.Deliver(first);
    }

    /** This connection's part of its address's turn: at least one microsecond, so each turn admits a message. */
    private long quantum() {
        return Math.max(1, TURN_QUANTUM_MICROS / Math.max(1, turnSharers.getAsInt()));
    }

    /** The end of this connection's read in this turn of the loop: unless it yielded, the next read is a new turn. */
    public void readComplete() {
        if (!turnYielded) {
            turnWorkMicros = 0;
        }
    }

    /** The loop has served the other connections: this connection's next turn begins. */
    public void newTurn() {
        turnYielded = false;
        turnWorkMicros = 0;
    }

    /**
     * The connection closed: what was read but not admitted is dropped (the client treats every request it has no
     * answer to as not delivered, docs/PROTOCOL.md 9.1); a goodbye held behind the connection's turn is not: the
     * client did leave, it did not vanish.
     *
     * @return the held goodbye, to hand on, or empty
     */
    public Optional<Object> closed() {
        Optional<Object> goodbye = held.stream().filter(m -> m instanceof Bye).findFirst();
        held.clear();
        return goodbye;
    }

    /** How many messages are held; for tests. */
    int heldCount() {
        return held.size();
    }

    private Verdict overflow(Message message, long nowNanos) {
        return switch (throttle.onOverflow(nowNanos)) {
            case REJECT -> {
                long requestId = RequestIds.of(message);
                yield new Verdict.Refused(requestId == 0 ? Optional.empty() : Optional.of(new ErrorReply(requestId,
                        ErrorCode.RATE_LIMITED, "you sent " + MAX_HELD_MESSAGES + " messages more than the relay had"
                        + " served; it serves " + rateLimit.messagesPerSecond() + " per second (bursts of "
                        + rateLimit.burstMessages() + ") and stops reading meanwhile; this one was dropped")));
            }
            case DISCONNECT -> {
                if (disconnecting) {
                    yield new Verdict.Refused(Optional.empty());
                }
                disconnecting = true;
                yield new Verdict.Ended(new Disconnect(ByeReason.RATE_LIMITED, "you kept sending far more than the"
                        + " relay serves (" + rateLimit.messagesPerSecond() + " messages per second) after being"
                        + " told to slow down"));
            }
        };
    }
}
