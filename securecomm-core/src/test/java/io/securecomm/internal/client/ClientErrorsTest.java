package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayFullException;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.noise.HandshakeException;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: every error code and goodbye reason of the relay reaches the application as a type and a
 * {@code reason()} a program can switch on, the one mapping ({@link ClientErrors}) covering every constant.
 */
class ClientErrorsTest {
    private final ClientErrors errors = new ClientErrors(ChatClientOptions.builder("relay.test", 7000)
            .nickname("alice").trustStore(RelayTrustStore.knownKey(new byte[32])).build());

    @Test
    void everyErrorCodeMapsToATypeAndAReason() {
        Map<ErrorCode, Object> expected = new EnumMap<>(ErrorCode.class);
        expected.put(ErrorCode.UNKNOWN_RECIPIENT, UnknownRecipientException.class);
        expected.put(ErrorCode.RECIPIENT_GONE, UnknownRecipientException.class);
        expected.put(ErrorCode.INVALID_NICKNAME, NicknameRejectedException.Reason.INVALID);
        expected.put(ErrorCode.NICKNAME_TAKEN, NicknameRejectedException.Reason.TAKEN);
        expected.put(ErrorCode.SERVER_FULL, RelayFullException.class);
        expected.put(ErrorCode.SHUTTING_DOWN, RelayClosedException.Reason.RELAY_SHUTTING_DOWN);
        expected.put(ErrorCode.EMPTY_MESSAGE, MessageRejectedException.Reason.EMPTY);
        expected.put(ErrorCode.MESSAGE_TOO_LONG, MessageRejectedException.Reason.TOO_LONG);
        expected.put(ErrorCode.RATE_LIMITED, MessageRejectedException.Reason.RATE_LIMITED);
        expected.put(ErrorCode.RECIPIENT_TOO_SLOW, MessageRejectedException.Reason.RECIPIENT_TOO_SLOW);
        expected.put(ErrorCode.NO_PRE_KEYS, MessageRejectedException.Reason.NO_PRE_KEYS);
        expected.put(ErrorCode.INVALID_PRE_KEYS, MessageRejectedException.Reason.INVALID_PRE_KEYS);
        expected.put(ErrorCode.INTERNAL_ERROR, MessageRejectedException.Reason.RELAY_ERROR);
        expected.put(ErrorCode.MALFORMED_MESSAGE, MessageRejectedException.Reason.PROTOCOL_VIOLATION);
        expected.put(ErrorCode.PROTOCOL_VIOLATION, MessageRejectedException.Reason.PROTOCOL_VIOLATION);
        expected.put(ErrorCode.NICKNAME_REGISTERED, NicknameRejectedException.Reason.REGISTERED);
        expected.put(ErrorCode.QUEUE_FULL, MessageRejectedException.Reason.RECIPIENT_QUEUE_FULL);
        expected.put(ErrorCode.NOT_STORED, MessageRejectedException.Reason.NOT_STORED);
        assertEquals(ErrorCode.values().length, expected.size(), "every code has an expectation");
        for (ErrorCode code : ErrorCode.values()) {
            ChatClientException e = errors.forReply(new ErrorReply(5, code, "detail"), "bob");
            Object want = expected.get(code);
            Object got = want instanceof Class<?> ? e.getClass() : reason(e);
            assertEquals(want, got, code.name());
        }
    }

    @Test
    void everyGoodbyeMapsToAReason() {
        Map<ByeReason, RelayClosedException.Reason> expected = new EnumMap<>(ByeReason.class);
        expected.put(ByeReason.SERVER_SHUTDOWN, RelayClosedException.Reason.RELAY_SHUTTING_DOWN);
        expected.put(ByeReason.IDLE_TIMEOUT, RelayClosedException.Reason.IDLE_TIMEOUT);
        expected.put(ByeReason.RATE_LIMITED, RelayClosedException.Reason.RATE_LIMITED);
        expected.put(ByeReason.TOO_SLOW, RelayClosedException.Reason.TOO_SLOW);
        expected.put(ByeReason.KICKED, RelayClosedException.Reason.KICKED);
        expected.put(ByeReason.INTERNAL_ERROR, RelayClosedException.Reason.RELAY_ERROR);
        expected.put(ByeReason.PROTOCOL_ERROR, RelayClosedException.Reason.PROTOCOL_ERROR);
        expected.put(ByeReason.CLIENT_EXIT, RelayClosedException.Reason.PROTOCOL_ERROR);
        for (ByeReason r : ByeReason.values()) {
            RelayClosedException e = assertInstanceOf(RelayClosedException.class,
                    errors.relaySaidGoodbye(new Bye(r, "")));
            assertEquals(expected.get(r), e.reason(), r.name());
        }
        assertEquals(RelayClosedException.Reason.CONNECTION_LOST,
                ((RelayClosedException) errors.lost(true)).reason());
        assertEquals(RelayClosedException.Reason.SESSION_BROKEN,
                ((RelayClosedException) errors.transportFailure(new IOException("reset"), true)).reason());
    }

    @Test
    void aHandshakeMessageThatDoesNotAuthenticateNamesTheCipherToCompare() {
        ChatClientException mismatch = errors.transportFailure(new HandshakeException(
                HandshakeException.Reason.DECRYPT_FAILED, "the static key of handshake message 2 did not authenticate",
                null), false);
        assertInstanceOf(HandshakeFailedException.class, mismatch);
        assertTrue(mismatch.getMessage().contains("this client's setting is auto, from the system property "
                + "securecomm.noise.cipher"), mismatch.getMessage());

        ChatClientException other = errors.transportFailure(new HandshakeException(
                HandshakeException.Reason.UNEXPECTED_MESSAGE, "a record before the handshake ended", null), false);
        assertInstanceOf(HandshakeFailedException.class, other);
        assertFalse(other.getMessage().contains("Noise cipher"), other.getMessage());
    }

    private static Object reason(ChatClientException e) {
        if (e instanceof MessageRejectedException m) {
            return m.reason();
        }
        if (e instanceof NicknameRejectedException n) {
            return n.reason();
        }
        if (e instanceof RelayClosedException c) {
            return c.reason();
        }
        return e.getClass();
    }
}
