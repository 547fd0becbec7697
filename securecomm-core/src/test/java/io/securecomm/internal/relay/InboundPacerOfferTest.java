package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.securecomm.internal.limits.RequestThrottle;
import io.securecomm.internal.relay.InboundPacer.Step;
import io.securecomm.internal.relay.InboundPacer.Verdict;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.SendRoomEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link InboundPacer#offer}: a message that may go at once is passed without being held (issue 18), and the pacer
 * otherwise behaves exactly as {@link InboundPacer#receive} followed by {@link InboundPacer#next}.
 */
class InboundPacerOfferTest {
    private static final long START = 1_000_000_000L;
    private final CostModel costs = new CostModel(new PublicRoom<>(256), new PreKeyDirectory());

    private InboundPacer pacer(RateLimit rate, long now) {
        WorkLimit work = WorkLimit.defaults();
        return new InboundPacer(rate, work, costs, RequestThrottle.addressBucket(work, now), now);
    }

    @Test
    void aMessageThatMayGoNowPassesAndOneThatMayNotIsHeld() {
        InboundPacer pacer = pacer(new RateLimit(1, 1, 1, Duration.ofSeconds(1)), START);
        assertEquals(new Verdict.Passed(new ListRequest(1)), pacer.offer(new ListRequest(1), START));
        assertEquals(0, pacer.heldCount(), "a passed message is not held");
        assertInstanceOf(Verdict.Held.class, pacer.offer(new ListRequest(2), START), "the allowance was taken");
        assertInstanceOf(Step.Wait.class, pacer.next(START));
        assertInstanceOf(Verdict.Held.class, pacer.offer(new Ping(3), START),
                "a free message behind a held one waits its turn");
        assertEquals(2, pacer.heldCount());
    }

    /** One step of a connection's life, as its adapter sees it. */
    private sealed interface Op {
        record Read(Message message) implements Op {}

        record Advance(long nanos) implements Op {}

        record NewTurn() implements Op {}

        record ReadComplete() implements Op {}
    }

    /**
     * Two pacers see the same reads, clock and turns; one is driven as the adapter drove it before (every read
     * held, then {@code next} until it says stop), the other as it is driven now ({@code offer}, and the same
     * {@code next} loop after it). What each hands on, and where each stops, is the same at every step.
     */
    @Property(tries = 200)
    void offerThenNextIsReceiveThenNext(@ForAll("lives") @Size(max = 60) List<Op> life,
            @ForAll("rates") RateLimit rate) {
        long now = START;
        InboundPacer before = pacer(rate, now);
        InboundPacer after = pacer(rate, now);
        for (Op op : life) {
            List<Object> handedOnBefore = new ArrayList<>();
            List<Object> handedOnAfter = new ArrayList<>();
            Object stopBefore = null;
            Object stopAfter = null;
            if (op instanceof Op.Read read) {
                Verdict held = before.receive(read.message(), now);
                stopBefore = held instanceof Verdict.Held ? drain(before, now, handedOnBefore) : held;
                Verdict offered = after.offer(read.message(), now);
                if (offered instanceof Verdict.Passed passed) {
                    handedOnAfter.add(passed.message());
                    stopAfter = drain(after, now, handedOnAfter);
                } else {
                    stopAfter = offered instanceof Verdict.Held ? drain(after, now, handedOnAfter) : offered;
                }
            } else if (op instanceof Op.Advance advance) {
                now += advance.nanos();
                stopBefore = drain(before, now, handedOnBefore);
                stopAfter = drain(after, now, handedOnAfter);
            } else if (op instanceof Op.NewTurn) {
                before.newTurn();
                after.newTurn();
                stopBefore = drain(before, now, handedOnBefore);
                stopAfter = drain(after, now, handedOnAfter);
            } else {
                before.readComplete();
                after.readComplete();
            }
            assertEquals(handedOnBefore, handedOnAfter, "handed on after " + op);
            assertEquals(stopBefore, stopAfter, "stopped after " + op);
            assertEquals(before.heldCount(), after.heldCount(), "held after " + op);
        }
    }

    private static Object drain(InboundPacer pacer, long now, List<Object> handedOn) {
        while (true) {
            Step step = pacer.next(now);
            if (!(step instanceof Step.Deliver deliver)) {
                return step;
            }
            handedOn.add(deliver.message());
        }
    }

    @Provide
    Arbitrary<List<Op>> lives() {
        int[] fanOut = new int[40];
        for (int i = 0; i < fanOut.length; i++) {
            fanOut[i] = i + 2;
        }
        Arbitrary<Op> read = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 1000)
                        .map(i -> (Op) new Op.Read(new ListRequest(i)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 1000)
                        .map(i -> (Op) new Op.Read(new SendRoomEnvelope(i, fanOut, new byte[100])))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 1000)
                        .map(i -> (Op) new Op.Read(new Ping(i)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.Read(new Bye(ByeReason.CLIENT_EXIT, "")))),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 2_000_000_000L).map(Op.Advance::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.NewTurn())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.ReadComplete())));
        return read.list();
    }

    @Provide
    Arbitrary<RateLimit> rates() {
        return Arbitraries.of(RateLimit.defaults(), new RateLimit(1, 1, 1, Duration.ofSeconds(1)),
                new RateLimit(5, 3, 2, Duration.ofSeconds(1)));
    }
}
