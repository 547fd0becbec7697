package io.securecomm.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One recipient's room deliveries shared among the sending addresses, on a plain number of nanoseconds. */
class RecipientSharesTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneGroupGetsItsShareAndNoMoreWhileAnotherGroupStillGetsAll() {
        RecipientShares shares = new RecipientShares(1_000, 500);
        long now = 5 * SECOND;
        int flood = 0;
        while (shares.admit("flooder", 100, now)) {
            flood++;
        }
        assertEquals(10, flood, "a burst of the share, then refused");
        assertTrue(shares.admit("someone else", 100, now), "another address's share is untouched");
        assertFalse(shares.admit("flooder", 100, now + SECOND / 10), "50 of 100 refilled: still refused");
        assertTrue(shares.admit("flooder", 100, now + SECOND / 5), "the rate refills it");
    }

    @Test
    void overAnyTimeAGroupIsAdmittedAtMostItsBurstPlusItsRate() {
        RecipientShares shares = new RecipientShares(2_000, 1_000);
        long admitted = 0;
        long start = 0;
        for (long t = start; t <= 10 * SECOND; t += SECOND / 100) {
            for (int k = 0; k < 50; k++) {
                if (shares.admit("flooder", 217, t)) {
                    admitted += 217;
                }
            }
        }
        assertTrue(admitted <= 2_000 + 1_000 * 10 + 217, admitted + " microseconds admitted in 10 s");
        assertTrue(admitted >= 1_000 * 10, admitted + " microseconds admitted in 10 s: the share is usable");
    }

    @Test
    void groupsWhoseShareRefilledAreForgotten() {
        RecipientShares shares = new RecipientShares(1_000, 1_000);
        for (int g = 0; g < RecipientShares.SWEEP_THRESHOLD; g++) {
            shares.admit(g, 10, 0);
        }
        assertEquals(RecipientShares.SWEEP_THRESHOLD, shares.trackedGroups());
        shares.admit("late", 10, SECOND);
        assertEquals(1, shares.trackedGroups(), "the refilled ones went, the new one stays");
    }

    @Test
    void aFractionOfAnAllowanceIsAtLeastOneMicrosecond() {
        RecipientShares tiny = RecipientShares.fractionOf(1, 1, 16);
        assertTrue(tiny.admit("a", 1, 0));
        assertThrows(IllegalArgumentException.class, () -> RecipientShares.fractionOf(1, 1, 0));
    }
}
