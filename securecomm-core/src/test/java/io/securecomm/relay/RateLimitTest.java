package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        RateLimit d = RateLimit.defaults();
        assertEquals(20, d.messagesPerSecond());
        assertEquals(40, d.burstMessages());
        assertEquals(100, d.disconnectAfterRejections());
        assertEquals(Duration.ofSeconds(10), d.rejectionWindow());
    }

    @Test
    void rejectsOutOfRangeComponents() {
        Duration w = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1, 1, w));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 0, 1, w));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 1, 0, w));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(RateLimit.MAX_MESSAGES + 1, 1, 1, w));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 1, 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 1, 1, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 1, 1, Duration.ofDays(2)));
        assertThrows(NullPointerException.class, () -> new RateLimit(1, 1, 1, null));
    }
}
