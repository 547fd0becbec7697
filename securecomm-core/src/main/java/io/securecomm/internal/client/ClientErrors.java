package io.securecomm.internal.client;

import io.securecomm.SecureCommException;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.NotConnectedException;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayFullException;
import io.securecomm.client.RelayTimeoutException;
import io.securecomm.client.RelayUnreachableException;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.internal.noise.HopCipher;
import io.securecomm.noise.HandshakeException;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.MessageType;
import java.util.concurrent.CompletionException;

/**
 * The client's one mapping from what went wrong (a relay's error or goodbye, a failed connection or handshake, a
 * deadline) to the {@link ChatClientException} the application sees, with its words. Stateless apart from the
 * options it names.
 */
final class ClientErrors {
    private final ChatClientOptions options;

    ClientErrors(ChatClientOptions options) {
        this.options = options;
    }

    /** The relay refused a request, or (with no request to fail) the connection attempt. */
    ChatClientException forReply(ErrorReply error, String recipient) {
        String detail = error.detail().isEmpty() ? error.code().name() : error.detail();
        return switch (error.code()) {
            case UNKNOWN_RECIPIENT, RECIPIENT_GONE ->
                    new UnknownRecipientException(recipient != null ? recipient : "?");
            case INVALID_NICKNAME -> new NicknameRejectedException(options.nickname(),
                    NicknameRejectedException.Reason.INVALID, detail);
            case NICKNAME_TAKEN -> new NicknameRejectedException(options.nickname(),
                    NicknameRejectedException.Reason.TAKEN, detail);
            case NICKNAME_REGISTERED -> new NicknameRejectedException(options.nickname(),
                    NicknameRejectedException.Reason.REGISTERED, detail);
            case SERVER_FULL -> new RelayFullException("the relay at " + options.relayAddress()
                    + " admits no more clients: " + detail);
            case SHUTTING_DOWN -> new RelayClosedException(RelayClosedException.Reason.RELAY_SHUTTING_DOWN,
                    "the relay is shutting down: " + detail);
            default -> new MessageRejectedException(rejection(error.code()), "the relay refused the request ("
                    + error.code() + "): " + detail);
        };
    }

    /**
     * A relay older than accounts could not parse this client's {@code AccountHello}: said in words, at connect.
     */
    ChatClientException relayWithoutAccounts(ErrorReply error) {
        return new HandshakeFailedException("the relay at " + options.relayAddress() + " is older than this client:"
                + " it does not know accounts and stored messages (it answered: " + error.detail() + "); upgrade"
                + " the relay, or use a client of its version");
    }

    /** The reason a program sees for a refusal that is not about the nickname, the recipient or the shutdown. */
    static MessageRejectedException.Reason rejection(ErrorCode code) {
        return switch (code) {
            case EMPTY_MESSAGE -> MessageRejectedException.Reason.EMPTY;
            case MESSAGE_TOO_LONG -> MessageRejectedException.Reason.TOO_LONG;
            case RATE_LIMITED -> MessageRejectedException.Reason.RATE_LIMITED;
            case RECIPIENT_TOO_SLOW -> MessageRejectedException.Reason.RECIPIENT_TOO_SLOW;
            case NO_PRE_KEYS -> MessageRejectedException.Reason.NO_PRE_KEYS;
            case INVALID_PRE_KEYS -> MessageRejectedException.Reason.INVALID_PRE_KEYS;
            case INTERNAL_ERROR -> MessageRejectedException.Reason.RELAY_ERROR;
            case QUEUE_FULL -> MessageRejectedException.Reason.RECIPIENT_QUEUE_FULL;
            case NOT_STORED -> MessageRejectedException.Reason.NOT_STORED;
            // The codes above are a request's; these make sense as a request's only as a violation.
            case MALFORMED_MESSAGE, PROTOCOL_VIOLATION, UNKNOWN_RECIPIENT, RECIPIENT_GONE, INVALID_NICKNAME,
                    NICKNAME_TAKEN, NICKNAME_REGISTERED, SHUTTING_DOWN, SERVER_FULL ->
                    MessageRejectedException.Reason.PROTOCOL_VIOLATION;
        };
    }

    ChatClientException unreachable(Unreachable why, Throwable cause) {
        String words = switch (why) {
            case TIMED_OUT -> "no answer within " + options.connectTimeout().toMillis() + " ms";
            case REFUSED -> "connection refused (is a relay running there?)";
            case UNKNOWN_HOST -> "unknown host";
            case OTHER -> cause == null ? "unknown cause"
                    : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        };
        return new RelayUnreachableException("cannot reach the relay at " + options.relayAddress() + ": " + words,
                cause);
    }

    /**
     * A failure the transport reported: a client exception (a pinned key that does not match, a refused suite)
     * stands as it is; a handshake or record failure reads as such.
     */
    ChatClientException transportFailure(Throwable cause, boolean connected) {
        if (cause instanceof ChatClientException known) {
            return known;
        }
        if (cause instanceof SecureCommException && !connected) {
            return new HandshakeFailedException("the Noise handshake with the relay at " + options.relayAddress()
                    + " failed: " + cause.getMessage() + cipherHint(cause), cause);
        }
        if (cause instanceof SecureCommException) {
            return new RelayClosedException(RelayClosedException.Reason.SESSION_BROKEN,
                    "the session with the relay broke: " + cause.getMessage(), cause);
        }
        return new RelayClosedException(RelayClosedException.Reason.SESSION_BROKEN, "the connection to the relay at "
                + options.relayAddress() + " failed: " + cause.getMessage(), cause);
    }

    /**
     * What a handshake message that does not authenticate most often means between a client and a relay that are
     * otherwise sound: one end was configured on a single hop cipher the other does not end on (docs/NOISE.md), so
     * the operator reads which property to compare before suspecting the network.
     */
    private static String cipherHint(Throwable cause) {
        if (cause instanceof HandshakeException h && h.reason() == HandshakeException.Reason.DECRYPT_FAILED) {
            return " (a relay and a client configured on different Noise ciphers fail here; this client's setting is "
                    + HopCipher.configured().propertyValue() + ", from the system property " + HopCipher.PROPERTY
                    + "; otherwise the handshake was altered on its way)";
        }
        return "";
    }

    ChatClientException relaySaidGoodbye(Bye bye) {
        String detail = bye.detail().isEmpty() ? "" : ": " + bye.detail();
        RelayClosedException.Reason reason = switch (bye.reason()) {
            case SERVER_SHUTDOWN -> RelayClosedException.Reason.RELAY_SHUTTING_DOWN;
            case IDLE_TIMEOUT -> RelayClosedException.Reason.IDLE_TIMEOUT;
            case RATE_LIMITED -> RelayClosedException.Reason.RATE_LIMITED;
            case TOO_SLOW -> RelayClosedException.Reason.TOO_SLOW;
            case KICKED -> RelayClosedException.Reason.KICKED;
            case INTERNAL_ERROR -> RelayClosedException.Reason.RELAY_ERROR;
            case PROTOCOL_ERROR, CLIENT_EXIT -> RelayClosedException.Reason.PROTOCOL_ERROR;
        };
        return new RelayClosedException(reason, "the relay ended the session (" + bye.reason() + ")" + detail);
    }

    /** The connection ended with no other reason known. */
    ChatClientException lost(boolean connected) {
        return connected
                ? new RelayClosedException(RelayClosedException.Reason.CONNECTION_LOST,
                        "the connection to the relay at " + options.relayAddress() + " was lost")
                : new HandshakeFailedException("the relay at " + options.relayAddress()
                        + " closed the connection during the handshake");
    }

    ChatClientException handshakeDeadline() {
        return new HandshakeFailedException("the relay at " + options.relayAddress()
                + " did not complete the handshake and welcome within " + options.handshakeTimeout().toMillis()
                + " ms");
    }

    ChatClientException requestTimedOut(String what) {
        return new RelayTimeoutException("the relay at " + options.relayAddress() + " did not answer the " + what
                + " within " + options.requestTimeout().toMillis() + " ms");
    }

    ChatClientException wrongAnswer(String what, MessageType got, MessageType expected) {
        return new MessageRejectedException(MessageRejectedException.Reason.BAD_RELAY_ANSWER, "the relay answered the "
                + what + " with " + got + " instead of "
                + expected);
    }

    ChatClientException malformed(MalformedMessageException cause) {
        return new MessageRejectedException(MessageRejectedException.Reason.BAD_RELAY_ANSWER,
                "the relay sent a message this client cannot parse: "
                + cause.getMessage(), cause);
    }

    ChatClientException preKeysRefused(Throwable cause) {
        String detail = String.valueOf(cause.getMessage());
        if (detail.contains("pre-key upload version 2 is not 1")) {
            // A relay older than PQXDH decodes only X3DH uploads: say what to do, not just what it said.
            return new HandshakeFailedException("the relay is older than post-quantum session set-up (PQXDH) and"
                    + " refuses this client's ML-KEM pre-keys; upgrade the relay (it said: " + detail + ")", cause);
        }
        return new HandshakeFailedException("the relay refused this client's pre-keys: " + detail, cause);
    }

    /** A failure of end-to-end work that neither the relay nor the peer caused: a defect, reported, not fatal. */
    static ChatClientException bug(RuntimeException bug) {
        return new MessageRejectedException(MessageRejectedException.Reason.END_TO_END_FAILURE,
                "end-to-end processing failed: " + bug, bug);
    }

    static ChatClientException notConnectedYet() {
        return new NotConnectedException("not connected to the relay: call connect() and wait for it");
    }

    static ChatClientException closedByApplication() {
        return new NotConnectedException("the client was closed");
    }

    /** The cause a chained future's failure wraps: stages add {@link CompletionException}s around it. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
