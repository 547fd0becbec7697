package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.limits.RequestThrottle;
import io.securecomm.internal.relay.InboundPacer.Step;
import io.securecomm.internal.relay.InboundPacer.Verdict;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Ping;
import io.securecomm.wire.SendRoomEnvelope;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pacing of one connection's messages without a channel: the adapter's time is a plain number here. */
class InboundPacerTest {
    private final CostModel costs = new CostModel(new PublicRoom<>(256), new PreKeyDirectory());
    private long now = 1_000_000_000L;

    private InboundPacer pacer(RateLimit rate) {
        WorkLimit work = WorkLimit.defaults();
        return new InboundPacer(rate, work, costs, RequestThrottle.addressBucket(work, now), now);
    }

    @Test
    void aSpentQuantumYieldsTheTurnOnceAndTheNextTurnGoesOn() {
        InboundPacer pacer = pacer(RateLimit.defaults());
        int[] everyone = new int[40]; // 1365 microseconds a fan-out: two spend the quantum, one does not
        for (int i = 0; i < everyone.length; i++) {
            everyone[i] = i + 2;
        }
        for (int i = 1; i <= 3; i++) {
            assertInstanceOf(Verdict.Held.class, pacer.receive(new SendRoomEnvelope(i, everyone, new byte[100]), now));
        }
        assertInstanceOf(Step.Deliver.class, pacer.next(now));
        assertInstanceOf(Step.Deliver.class, pacer.next(now));
        assertEquals(new Step.YieldTurn(true), pacer.next(now), "two fan-outs spend a turn's quantum");
        assertEquals(new Step.YieldTurn(false), pacer.next(now), "the next turn is scheduled once");
        pacer.readComplete();
        assertInstanceOf(Step.YieldTurn.class, pacer.next(now), "the end of the read does not reset a yielded turn");
        pacer.newTurn();
        assertInstanceOf(Step.Deliver.class, pacer.next(now));
        assertInstanceOf(Step.ReadOn.class, pacer.next(now));
    }

    /**
     * Issue 22: the connections of one address on one event loop share one turn's quantum. Before, each of 32
     * connections of an address had a whole quantum per turn, so the address had 32 turns' worth of the loop.
     */
    @Test
    void theConnectionsOfOneAddressOnALoopShareOneTurnsQuantum() {
        int[] everyone = new int[16]; // 549 microseconds a fan-out
        for (int i = 0; i < everyone.length; i++) {
            everyone[i] = i + 2;
        }
        WorkLimit work = WorkLimit.defaults();
        int[] sharers = {1};
        InboundPacer alone = new InboundPacer(RateLimit.defaults(), work, costs,
                RequestThrottle.addressBucket(work, now), () -> sharers[0], now);
        InboundPacer oneOfFour = new InboundPacer(RateLimit.defaults(), work, costs,
                RequestThrottle.addressBucket(work, now), () -> 4, now);
        for (int i = 1; i <= 8; i++) {
            alone.receive(new SendRoomEnvelope(i, everyone, new byte[100]), now);
            oneOfFour.receive(new SendRoomEnvelope(i, everyone, new byte[100]), now);
        }
        assertEquals(4, deliveredInOneTurn(alone), "alone on its loop: a whole quantum, four fan-outs");
        assertEquals(1, deliveredInOneTurn(oneOfFour), "one of four connections of its address: a quarter");
        sharers[0] = 2; // another connection of the address came to the loop
        alone.newTurn();
        assertEquals(2, deliveredInOneTurn(alone), "half a quantum once the address has two connections there");
    }

    private int deliveredInOneTurn(InboundPacer pacer) {
        int delivered = 0;
        while (pacer.next(now) instanceof Step.Deliver) {
            delivered++;
        }
        return delivered;
    }

    @Test
    void aShortAllowanceSaysHowLongToWait() {
        InboundPacer pacer = pacer(new RateLimit(1, 1, 1, Duration.ofSeconds(1)));
        pacer.receive(new ListRequest(1), now);
        pacer.receive(new ListRequest(2), now);
        assertEquals(new Step.Deliver(new ListRequest(1)), pacer.next(now));
        Step.Wait wait = assertInstanceOf(Step.Wait.class, pacer.next(now));
        assertTrue(wait.nanos() > 0 && wait.nanos() <= Duration.ofSeconds(1).toNanos(), wait.nanos() + " ns");
        now += wait.nanos();
        assertEquals(new Step.Deliver(new ListRequest(2)), pacer.next(now));
    }

    @Test
    void beyondWhatMayBeHeldRequestsAreRefusedUntilTheStrikesRunOutThenTheSessionEndsOnce() {
        InboundPacer pacer = pacer(new RateLimit(1, 1, 2, Duration.ofSeconds(10)));
        for (int i = 1; i <= InboundPacer.MAX_HELD_MESSAGES; i++) {
            assertInstanceOf(Verdict.Held.class, pacer.receive(new ListRequest(i), now));
        }
        Verdict.Refused first = assertInstanceOf(Verdict.Refused.class, pacer.receive(new ListRequest(9_001), now));
        assertEquals(ErrorCode.RATE_LIMITED, first.reply().orElseThrow().code());
        assertEquals(9_001, first.reply().orElseThrow().requestId());
        assertEquals(new Verdict.Refused(Optional.empty()), pacer.receive(new Ping(7), now), "a ping goes silently");
        Verdict.Ended ended = assertInstanceOf(Verdict.Ended.class, pacer.receive(new ListRequest(9_002), now));
        assertEquals(ByeReason.RATE_LIMITED, ended.disconnect().reason());
        assertEquals(new Verdict.Refused(Optional.empty()), pacer.receive(new ListRequest(9_003), now),
                "one Disconnect, then silence");
        assertEquals(InboundPacer.MAX_HELD_MESSAGES, pacer.heldCount());
    }

    @Test
    void aClosedConnectionDropsWhatIsHeldButItsGoodbye() {
        InboundPacer pacer = pacer(new RateLimit(1, 1, 1, Duration.ofSeconds(1)));
        Bye bye = new Bye(ByeReason.CLIENT_EXIT, "");
        pacer.receive(new ListRequest(1), now);
        pacer.receive(new ListRequest(2), now);
        pacer.receive(bye, now);
        pacer.next(now);
        assertEquals(Optional.of(bye), pacer.closed());
        assertEquals(0, pacer.heldCount());
        assertInstanceOf(Step.ReadOn.class, pacer.next(now));
    }
}
