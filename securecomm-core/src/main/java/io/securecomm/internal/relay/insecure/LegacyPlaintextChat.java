package io.securecomm.internal.relay.insecure;

import io.securecomm.internal.relay.ProtocolExtension;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Message;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * INSECURE, for teaching: what a connection of the legacy suite adds to the relay's protocol, the original toy's
 * plaintext chat. The relay reads every {@link SendPublic} and {@link SendPrivate} and forwards it as a
 * {@link PublicMessage} to every other client or a {@link PrivateMessage} to one, with the same delivery
 * guarantee as an end-to-end envelope; and since such a client has no end-to-end layer, a request for its pre-key
 * bundle is refused at once.
 *
 * <p>Only a relay configured with {@code insecureLegacyCrypto} gives it to a connection, and only to one whose
 * first frame was a legacy hello. Stateless.
 */
public final class LegacyPlaintextChat implements ProtocolExtension {
    /** The one instance. */
    public static final LegacyPlaintextChat INSTANCE = new LegacyPlaintextChat();

    private LegacyPlaintextChat() {}

    @Override
    public boolean handle(Message message, Routes session) {
        switch (message.type()) {
            case SEND_PUBLIC -> {
                SendPublic send = (SendPublic) message;
                if (textIsValid(session, send.requestId(), send.text())) {
                    session.forwardToOthers(send.requestId(),
                            new PublicMessage(session.clientId(), session.nickname(), send.text()));
                }
                return true;
            }
            case SEND_PRIVATE -> {
                SendPrivate send = (SendPrivate) message;
                if (textIsValid(session, send.requestId(), send.text())) {
                    session.forwardToOne(send.requestId(), send.recipientId(),
                            new PrivateMessage(session.clientId(), session.nickname(), send.text()));
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public Optional<String> withoutPreKeys() {
        return Optional.of("uses the INSECURE legacy suite and has no end-to-end keys");
    }

    private static boolean textIsValid(Routes session, long requestId, String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < Limits.TEXT_MIN_BYTES) {
            session.reply(new ErrorReply(requestId, ErrorCode.EMPTY_MESSAGE, "the message is empty"));
            return false;
        }
        if (bytes > Limits.TEXT_MAX_BYTES) {
            session.reply(new ErrorReply(requestId, ErrorCode.MESSAGE_TOO_LONG, "the message has " + bytes
                    + " bytes in UTF-8; the limit is " + Limits.TEXT_MAX_BYTES));
            return false;
        }
        return true;
    }
}
