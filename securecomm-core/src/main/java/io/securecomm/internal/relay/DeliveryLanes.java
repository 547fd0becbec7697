package io.securecomm.internal.relay;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The deliveries waiting for one event loop, light ones first (sans I/O; issue 22, "light reads first"). Each
 * delivery is the work one sender hands the loop at once (its writes to the connections there) with a
 * <em>weight</em>, the bytes it will seal plus {@value #WEIGHT_PER_RECIPIENT_BYTES} per recipient (the cost model's
 * 30 µs per recipient is what it charges for about a kibibyte). A delivery of at most {@value #LIGHT_WEIGHT_BYTES}
 * is <em>light</em>: a private message, a first message, a small room message to a few members on the loop. The rest
 * (a room fan-out of kilobytes, a large envelope) is <em>heavy</em>.
 *
 * <p>Without lanes, the loop ran the deliveries in the order they arrived, so an honest private message waited
 * behind every room fan-out another loop had handed over before it, each tens of kilobytes to seal. Here:
 * <ul>
 *   <li>a light delivery goes as soon as its sender has nothing ahead of it ({@link #pollLight});</li>
 *   <li>heavy deliveries go round robin across senders, one each in turn, for at most
 *       {@value #HEAVY_PASS_NANOS} ns of the loop's time per pass, measured, and at least one delivery
 *       ({@link #pollHeavy}); then the loop does its I/O (reads the next requests) before the next pass.</li>
 * </ul>
 * So a light delivery waits behind at most the heavy delivery being run, never behind a queue of them, and the
 * loop's reads wait behind at most one pass of heavy work: half a millisecond and the delivery that ends it.
 *
 * <p>A pass is bounded by the time it took rather than by the deliveries' weights, because what a recipient costs
 * varies fourfold and more: the cost model's 30 µs per recipient is what a loaded machine pays, a warm relay pays
 * about 7 µs. A pass bounded by weight (64 KiB, until 2026-12-06) therefore ran a single room fan-out to 100 members
 * on a warm relay, about 0.2 ms, and each recipient's socket was written once per fan-out; bounded by time, a warm
 * relay runs several fan-outs per pass and writes each recipient once for them all, while a loaded one still
 * stops after half a millisecond (issue 18).
 *
 * <p>Per sender, deliveries are handed out in the order they were offered, light or heavy: a sender's light
 * delivery never overtakes its own heavy one (a recipient sees each sender's messages in order). Nothing is dropped:
 * what is offered is handed out once. Not thread-safe: one per event loop, confined to it.
 *
 * @param <S> who hands the deliveries over (compared with {@code equals}): a sending connection
 * @param <D> a delivery
 */
public final class DeliveryLanes<S, D> {
    /** The weight of a delivery's recipient on top of its bytes: the cost model's 30 µs is about a kibibyte. */
    public static final int WEIGHT_PER_RECIPIENT_BYTES = 1024;
    /** The heaviest a light delivery is: a few small messages, or one of a few kibibytes. */
    public static final int LIGHT_WEIGHT_BYTES = 8 * 1024;
    /** How long one pass may hand out heavy deliveries (it hands out at least one): half a millisecond. */
    public static final long HEAVY_PASS_NANOS = 500_000;

    /** One sender's deliveries, in order. */
    private static final class Sender<S, D> {
        final S id;
        final ArrayDeque<D> deliveries = new ArrayDeque<>();
        final ArrayDeque<Long> weights = new ArrayDeque<>();
        /** Whether it is in one of the ready lists. */
        boolean ready;

        Sender(S id) {
            this.id = id;
        }

        boolean headIsLight() {
            return isLight(weights.peekFirst());
        }
    }

    private final Map<S, Sender<S, D>> senders = new HashMap<>();
    /** Senders whose first delivery is light, in the order they became so. */
    private final ArrayDeque<Sender<S, D>> light = new ArrayDeque<>();
    /** Senders whose first delivery is heavy, in round-robin order. */
    private final ArrayDeque<Sender<S, D>> heavy = new ArrayDeque<>();
    private final LongSupplier nanoTime;
    private int waiting;
    /** When this pass began, by {@link #nanoTime}. */
    private long passStart;
    /** Whether this pass handed out a heavy delivery (the first is handed out whatever the time). */
    private boolean handedOutHeavy;

    /** Lanes that measure passes with {@link System#nanoTime()}. */
    public DeliveryLanes() {
        this(System::nanoTime);
    }

    /**
     * Lanes that measure passes with the given clock.
     *
     * @param nanoTime a monotonic clock in nanoseconds, as {@link System#nanoTime()}
     */
    public DeliveryLanes(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * The weight of a delivery.
     *
     * @param recipients how many connections it writes to
     * @param bytes the bytes it writes, all recipients together
     * @return its weight, in bytes
     */
    public static long weight(int recipients, long bytes) {
        return (long) recipients * WEIGHT_PER_RECIPIENT_BYTES + bytes;
    }

    /**
     * Whether a delivery of this weight is light: handed out as soon as its sender has nothing ahead of it.
     *
     * @param weight its {@link #weight}
     * @return {@code true} if it weighs at most {@value #LIGHT_WEIGHT_BYTES}
     */
    private static boolean isLight(long weight) {
        return weight <= LIGHT_WEIGHT_BYTES;
    }

    /**
     * Whether a delivery of this weight, offered now, would be the very next one {@link #pollLight} hands out: nothing
     * waits and it is light. A caller about to write it at once may then skip the lanes (issue 18: taking it in is a
     * store into the lanes' long-lived map and list per delivery, which G1 pays for).
     *
     * @param weight its {@link #weight}
     * @return {@code true} if {@code offer} and then {@code pollLight} would hand it straight back
     */
    public boolean handsOutAtOnce(long weight) {
        return waiting == 0 && isLight(weight);
    }

    /**
     * Queues a delivery behind its sender's earlier ones.
     *
     * @param sender who hands it over
     * @param delivery the delivery
     * @param weight its {@link #weight}, at least 0
     */
    public void offer(S sender, D delivery, long weight) {
        Objects.requireNonNull(delivery, "delivery");
        if (weight < 0) {
            throw new IllegalArgumentException("negative weight " + weight);
        }
        Sender<S, D> s = senders.computeIfAbsent(Objects.requireNonNull(sender, "sender"), Sender::new);
        s.deliveries.addLast(delivery);
        s.weights.addLast(weight);
        waiting++;
        if (!s.ready) {
            enlist(s);
        }
    }

    /**
     * The next light delivery whose sender has nothing ahead of it.
     *
     * @return the delivery, or {@code null} if none is ready
     */
    public D pollLight() {
        Sender<S, D> s = light.pollFirst();
        return s == null ? null : take(s);
    }

    /**
     * The next heavy delivery of this pass, round robin across senders; call {@link #newPass()} before each pass.
     *
     * @return the delivery, or {@code null} if none waits or this pass has run for {@value #HEAVY_PASS_NANOS} ns
     */
    public D pollHeavy() {
        if (heavy.isEmpty()) {
            return null;
        }
        if (handedOutHeavy && nanoTime.getAsLong() - passStart >= HEAVY_PASS_NANOS) {
            return null;
        }
        handedOutHeavy = true;
        return take(heavy.pollFirst());
    }

    /** A new pass of the loop: its time starts now. */
    public void newPass() {
        passStart = nanoTime.getAsLong();
        handedOutHeavy = false;
    }

    /**
     * Whether anything waits, light or heavy.
     *
     * @return {@code true} if a delivery waits
     */
    public boolean isEmpty() {
        return waiting == 0;
    }

    /**
     * How many deliveries wait.
     *
     * @return the count
     */
    public int size() {
        return waiting;
    }

    private D take(Sender<S, D> s) {
        s.ready = false;
        D d = s.deliveries.pollFirst();
        s.weights.pollFirst();
        waiting--;
        if (s.deliveries.isEmpty()) {
            senders.remove(s.id);
        } else {
            enlist(s);
        }
        return d;
    }

    /** Puts a sender with deliveries at the end of the list its first delivery belongs to. */
    private void enlist(Sender<S, D> s) {
        s.ready = true;
        (s.headIsLight() ? light : heavy).addLast(s);
    }
}
