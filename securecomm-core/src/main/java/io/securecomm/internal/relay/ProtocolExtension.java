package io.securecomm.internal.relay;

import io.securecomm.wire.Message;
import java.util.Optional;

/**
 * What a variant of a connection adds to the relay's protocol. The variant is chosen when the connection's
 * pipeline is assembled and given to its {@link RelaySession}; the session itself knows none of them, and
 * {@link #NONE}, the relay's own protocol, adds nothing.
 *
 * <p>Called on the session's thread, never concurrently.
 */
public interface ProtocolExtension {
    /** The relay's own protocol, with nothing added. */
    ProtocolExtension NONE = new ProtocolExtension() {};

    /**
     * Handles a message of an admitted client that the relay's protocol does not serve.
     *
     * @param message the message
     * @param session what the extension may do in the session
     * @return {@code false} if the message is not handled: the session then refuses it as a protocol violation
     */
    default boolean handle(Message message, Routes session) {
        return false;
    }

    /**
     * Says why this connection's client has no end-to-end keys, so that a request for its pre-key bundle is
     * refused at once instead of waiting for an upload that never comes.
     *
     * @return the end of a sentence that starts with "client N", or empty if the client publishes pre-keys
     */
    default Optional<String> withoutPreKeys() {
        return Optional.empty();
    }

    /** What an extension may do in its session: answer its client, and forward with the delivery guarantee. */
    interface Routes {
        /**
         * The client's id.
         *
         * @return the id the relay assigned
         */
        int clientId();

        /**
         * The client's nickname.
         *
         * @return the admitted nickname
         */
        String nickname();

        /**
         * Writes a message to the client.
         *
         * @param message the message
         */
        void reply(Message message);

        /**
         * Forwards a message to one online client, and answers the request with {@code Delivered} or an
         * {@code ErrorReply} saying why not (docs/PROTOCOL.md, "Delivery guarantee").
         *
         * @param requestId the request's id
         * @param recipientId the recipient's client id
         * @param message the message for the recipient
         */
        void forwardToOne(long requestId, int recipientId, Message message);

        /**
         * Forwards a message to every other online client, and answers the request once every write completed.
         *
         * @param requestId the request's id
         * @param message the message for the recipients
         */
        void forwardToOthers(long requestId, Message message);
    }
}
