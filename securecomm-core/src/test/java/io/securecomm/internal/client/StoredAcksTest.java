package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.wire.AckStored;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Message;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The acknowledgements of stored messages: seen once, batched, due after a short delay, split at the wire's limit. */
class StoredAcksTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<Message> sent = new ArrayList<>();
    private final StoredAcks acks = new StoredAcks(Clock.fixed(T0, ZoneOffset.UTC), sent::add);

    @Test
    void aMessageIsNewOnceAndAcknowledgedAfterTheDelay() {
        assertTrue(acks.firstTime(7));
        assertFalse(acks.firstTime(7), "the relay sent it again: not shown twice");
        acks.processed(7);
        assertEquals(T0.plus(StoredAcks.ACK_DELAY), acks.pollTimeout().orElseThrow());
        acks.handleTimeout(T0.plus(StoredAcks.ACK_DELAY).minusMillis(1));
        assertTrue(sent.isEmpty(), "not due yet");
        acks.handleTimeout(T0.plus(StoredAcks.ACK_DELAY));
        assertEquals(1, sent.size());
        assertArrayEquals(new long[] {7}, ((AckStored) sent.get(0)).messageIds());
        assertTrue(acks.pollTimeout().isEmpty(), "nothing waits any more");
    }

    @Test
    void aFullBatchLeavesAtOnceAndTheDelayStartsAgain() {
        for (long id = 1; id <= StoredAcks.ACK_BATCH; id++) {
            acks.processed(id);
        }
        assertEquals(1, sent.size(), "a full batch does not wait");
        assertArrayEquals(LongStream.rangeClosed(1, StoredAcks.ACK_BATCH).toArray(),
                ((AckStored) sent.get(0)).messageIds());
        assertTrue(acks.pollTimeout().isEmpty());
        acks.processed(100);
        assertEquals(T0.plus(StoredAcks.ACK_DELAY), acks.pollTimeout().orElseThrow());
    }

    @Test
    void aMessageProcessedAgainIsAcknowledgedAgain() {
        acks.processed(3);
        acks.processed(3);
        acks.handleTimeout(T0.plus(StoredAcks.ACK_DELAY));
        assertArrayEquals(new long[] {3, 3}, ((AckStored) sent.get(0)).messageIds(),
                "the relay asked again, so it is told again");
    }

    @Test
    void eachAcknowledgementStaysWithinTheWiresLimit() {
        assertTrue(StoredAcks.ACK_BATCH <= Limits.ACK_MAX_MESSAGE_IDS, "one batch fits one message today");
        for (long id = 1; id < StoredAcks.ACK_BATCH; id++) {
            acks.processed(id);
        }
        acks.handleTimeout(T0.plus(StoredAcks.ACK_DELAY));
        assertEquals(1, sent.size());
        assertEquals(StoredAcks.ACK_BATCH - 1, ((AckStored) sent.get(0)).messageIds().length);
    }
}
