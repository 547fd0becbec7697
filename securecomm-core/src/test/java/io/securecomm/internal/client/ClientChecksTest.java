package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.securecomm.wire.Limits;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The caller's mistakes, refused before a command reaches the client's thread; and a failure to connect, named. */
class ClientChecksTest {
    @Test
    void aTextMustBeOneToTheLimitsBytesInUtf8() {
        ClientChecks.checkText("x");
        ClientChecks.checkText("x".repeat(Limits.TEXT_MAX_BYTES));
        assertThrows(IllegalArgumentException.class, () -> ClientChecks.checkText(""));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ClientChecks.checkText("é".repeat(Limits.TEXT_MAX_BYTES / 2 + 1)));
        assertEquals("the message has " + (Limits.TEXT_MAX_BYTES + 2) + " bytes in UTF-8; the limit is "
                + Limits.TEXT_MAX_BYTES, tooLong.getMessage(), "counted in UTF-8 bytes, not characters");
        assertThrows(NullPointerException.class, () -> ClientChecks.checkText(null));
    }

    @Test
    void digitsOnlyNameAClientIdAndAnythingElseANickname() {
        assertEquals(OptionalInt.of(42), ClientChecks.clientId("42"));
        assertEquals(OptionalInt.of(999_999_999), ClientChecks.clientId("999999999"));
        assertEquals(OptionalInt.empty(), ClientChecks.clientId("1234567890"), "too long for an id");
        assertEquals(OptionalInt.empty(), ClientChecks.clientId("bob"));
        assertEquals(OptionalInt.empty(), ClientChecks.clientId("b0b"));
        assertEquals(OptionalInt.empty(), ClientChecks.clientId(""));
        assertEquals(OptionalInt.empty(), ClientChecks.clientId("-1"));
        assertThrows(NullPointerException.class, () -> ClientChecks.clientId(null));
        ClientChecks.checkClientId(1);
        assertThrows(IllegalArgumentException.class, () -> ClientChecks.checkClientId(0));
    }

    @Test
    void aFailureToConnectIsNamedByItsType() {
        assertEquals(Unreachable.TIMED_OUT, Unreachable.of(new ConnectException("timed out"), true),
                "the transport's timeout extends ConnectException, and wins");
        assertEquals(Unreachable.REFUSED, Unreachable.of(new ConnectException("refused"), false));
        assertEquals(Unreachable.UNKNOWN_HOST, Unreachable.of(new UnknownHostException("nowhere"), false));
        assertEquals(Unreachable.OTHER, Unreachable.of(new IllegalStateException("?"), false));
    }
}
