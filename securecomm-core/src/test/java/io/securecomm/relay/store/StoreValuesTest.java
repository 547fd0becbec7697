package io.securecomm.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.wire.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The store's values: limits and their checks, copies of arrays, exceptions found inside stage failures. */
class StoreValuesTest {
    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void defaultLimitsAreTheArguedOnes() {
        StoreLimits d = StoreLimits.defaults();
        assertEquals(1000, d.maxQueuedMessagesPerRecipient());
        assertEquals(8L * 1024 * 1024, d.maxQueuedBytesPerRecipient());
        assertEquals(Duration.ofDays(30), d.maxQueuedMessageAge());
        assertEquals(PreKeyUpload.MAX_ONE_TIME_PRE_KEYS, d.maxPreKeysPerKind());
        assertTrue(d.maxQueuedBytesPerRecipient()
                >= (long) d.maxQueuedMessagesPerRecipient() * Limits.ENVELOPE_FIELD_MAX_BYTES,
                "a full queue of the largest envelopes fits the byte bound");
    }

    @Test
    void limitsRefuseOutOfRangeValues() {
        StoreLimits d = StoreLimits.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withMaxQueuedMessagesPerRecipient(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxQueuedBytesPerRecipient(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxQueuedMessageAge(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxQueuedMessageAge(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxPreKeysPerKind(0));
    }

    @Test
    void refusalNamesTheBoundThatWouldBeExceeded() {
        StoreLimits l = StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(2).withMaxQueuedBytesPerRecipient(10);
        assertEquals(Optional.empty(), l.refusal(new QueueUsage(1, 5), 5));
        assertEquals(Optional.of(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_BYTES, 10)),
                l.refusal(new QueueUsage(1, 5), 6));
        assertEquals(Optional.of(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_MESSAGES, 2)),
                l.refusal(new QueueUsage(2, 0), 1));
    }

    @Test
    void expiryIsInclusiveOfTheAgeLimit() {
        StoreLimits l = StoreLimits.defaults().withMaxQueuedMessageAge(Duration.ofMillis(100));
        assertFalse(l.expired(1000, 1099));
        assertTrue(l.expired(1000, 1100));
    }

    @Test
    void firstMessageIdsGrowWithTheCreationTime() {
        assertEquals(1, MessageQueueStore.firstMessageId(0));
        assertEquals(1, MessageQueueStore.firstMessageId(-5));
        assertTrue(MessageQueueStore.firstMessageId(T.toEpochMilli() + 1) > MessageQueueStore.firstMessageId(
                T.toEpochMilli()) + MessageQueueStore.MESSAGE_IDS_PER_MILLISECOND - 1);
        long year2255 = Instant.parse("2255-01-01T00:00:00Z").toEpochMilli();
        assertTrue(MessageQueueStore.firstMessageId(year2255) < (1L << 53));
    }

    @Test
    void recordsCopyTheirArrays() {
        byte[] env = {1, 2, 3};
        StoredMessage m = new StoredMessage(1, "bob", "alice", T, env);
        env[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.envelope());
        m.envelope()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.envelope());
        assertEquals(new StoredMessage(1, "bob", "alice", T, new byte[] {1, 2, 3}), m);
        assertEquals(m.hashCode(), new StoredMessage(1, "bob", "alice", T, new byte[] {1, 2, 3}).hashCode());
        assertFalse(m.toString().contains("1, 2, 3"), "the envelope's bytes are not printed");

        byte[] key = {7, 7};
        Account a = new Account("bob", key, T);
        key[0] = 0;
        assertTrue(a.isOwnedBy(new byte[] {7, 7}));
        assertFalse(a.isOwnedBy(new byte[] {7, 7, 7}));
        assertNotEquals(a, new Account("bob", new byte[] {7, 8}, T));

        PreKeyRecord r = new PreKeyRecord(PreKeyKind.ONE_TIME, 3, new byte[] {5});
        assertEquals(r, new PreKeyRecord(PreKeyKind.ONE_TIME, 3, new byte[] {5}));
        assertNotEquals(r, new PreKeyRecord(PreKeyKind.SIGNED, 3, new byte[] {5}));
    }

    @Test
    void valuesRefuseEmptyOrNonPositiveInput() {
        assertThrows(IllegalArgumentException.class, () -> new StoredMessage(0, "bob", "a", T, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new StoredMessage(1, "", "a", T, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new StoredMessage(1, "bob", "a", T, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Account("bob", new byte[0], T));
        assertThrows(IllegalArgumentException.class, () -> new QueueUsage(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new EnqueueResult.Stored(0, T));
        assertThrows(IllegalArgumentException.class,
                () -> new PreKeyCounts(Map.of(PreKeyKind.ONE_TIME, -1)));
        PreKeyRecord signed = new PreKeyRecord(PreKeyKind.SIGNED, 1, new byte[] {1});
        assertThrows(IllegalArgumentException.class,
                () -> new PreKeyHandout(Map.of(PreKeyKind.ONE_TIME, signed), new PreKeyCounts(Map.of())));
    }

    @Test
    void preKeyKindsHaveStableCodesAndRules() {
        assertEquals(PreKeyKind.SIGNED, PreKeyKind.ofCode("signed"));
        assertEquals(PreKeyKind.ONE_TIME, PreKeyKind.ofCode("one-time"));
        assertEquals(PreKeyKind.HandoutRule.KEPT, PreKeyKind.SIGNED.rule());
        assertEquals(PreKeyKind.HandoutRule.CONSUMED, PreKeyKind.ONE_TIME.rule());
        assertEquals(PreKeyKind.LAST_RESORT_KEM, PreKeyKind.ofCode("last-resort-kem"));
        assertEquals(PreKeyKind.ONE_TIME_KEM, PreKeyKind.ofCode("one-time-kem"));
        assertEquals(PreKeyKind.HandoutRule.KEPT, PreKeyKind.LAST_RESORT_KEM.rule());
        assertEquals(PreKeyKind.HandoutRule.CONSUMED, PreKeyKind.ONE_TIME_KEM.rule());
        assertThrows(IllegalArgumentException.class, () -> PreKeyKind.ofCode("ONE_TIME"));
        assertEquals(0, new PreKeyCounts(Map.of()).count(PreKeyKind.ONE_TIME), "absent kinds count zero");
        assertEquals(EnumSet.allOf(PreKeyKind.class), new PreKeyCounts(Map.of()).counts().keySet());
    }

    @Test
    void theStoreExceptionIsFoundInsideStageFailures() {
        StoreException e = new StoreException(StoreException.Reason.FULL, "full");
        assertEquals(Optional.of(e), StoreException.of(e));
        assertEquals(Optional.of(e), StoreException.of(new CompletionException(e)));
        assertEquals(Optional.of(e), StoreException.of(new ExecutionException(new CompletionException(e))));
        assertEquals(Optional.empty(), StoreException.of(new CompletionException(new IllegalStateException())));
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(e);
        CompletionException thrown = assertThrows(CompletionException.class, failed.thenRun(() -> { })::join);
        assertEquals(StoreException.Reason.FULL, StoreException.of(thrown).orElseThrow().reason());
    }

    @Test
    void refusalsDescribeThemselvesForTheSender() {
        assertEquals("no account is registered as 'bob'",
                new EnqueueResult.Refused(EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT, 0).describe("bob"));
        assertTrue(new EnqueueResult.Refused(EnqueueResult.RefusalReason.TOO_MANY_BYTES, 10).describe("bob")
                .contains("10 bytes"));
    }

    @Test
    void argumentChecksCopyAndRefuse() {
        assertThrows(IllegalArgumentException.class, () -> StoreArguments.requirePublication(List.of(
                new PreKeyRecord(PreKeyKind.SIGNED, 1, new byte[] {1}),
                new PreKeyRecord(PreKeyKind.SIGNED, 2, new byte[] {2}))));
        assertThrows(NullPointerException.class, () -> StoreArguments.requireIds(Arrays.asList(1L, null)));
    }
}
