package io.securecomm.examples.attacks;

import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Message;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.Welcome;

/**
 * Prints a decrypted message with its text, which {@link Message#toString()} deliberately hides: an attacker's
 * view, for the demos' output.
 */
public final class MessageText {
    private MessageText() {}

    /**
     * Describes a message, text included.
     *
     * @param m the message
     * @return e.g. {@code SendPublic "hello"}
     */
    public static String describe(Message m) {
        if (m instanceof SendPublic s) {
            return "SendPublic \"" + s.text() + "\"";
        } else if (m instanceof SendPrivate s) {
            return "SendPrivate to #" + s.recipientId() + " \"" + s.text() + "\"";
        } else if (m instanceof PublicMessage p) {
            return "PublicMessage from " + p.senderNickname() + " \"" + p.text() + "\"";
        } else if (m instanceof PrivateMessage p) {
            return "PrivateMessage from " + p.senderNickname() + " \"" + p.text() + "\"";
        } else if (m instanceof ClientHello h) {
            return "ClientHello nickname=" + h.nickname() + " version=" + h.clientVersion();
        } else if (m instanceof Welcome w) {
            return "Welcome #" + w.clientId() + " " + w.nickname();
        }
        return m.type().toString();
    }
}
