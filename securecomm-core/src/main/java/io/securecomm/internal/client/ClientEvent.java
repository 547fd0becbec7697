package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.RoomKeyWithheldReason;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.wire.LeaveReason;
import java.util.Objects;

/**
 * One call of the application's {@link ChatListener}, as a {@link ClientSession} asks for it
 * ({@link ClientAction.Notify}). A value, so that tests can compare what a session reported.
 */
public sealed interface ClientEvent {
    /**
     * Makes the call.
     *
     * @param listener the listener
     */
    void tell(ChatListener listener);

    /**
     * A chat message arrived.
     *
     * @param message the message
     */
    record MessageReceived(ChatMessage message) implements ClientEvent {
        /**
         * Checks the message.
         *
         * @param message the message
         */
        public MessageReceived {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onMessage(message);
        }
    }

    /**
     * Another client joined.
     *
     * @param client the newcomer
     */
    record Joined(OnlineClient client) implements ClientEvent {
        /**
         * Checks the client.
         *
         * @param client the newcomer
         */
        public Joined {
            Objects.requireNonNull(client, "client");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onJoin(client);
        }
    }

    /**
     * Another client left.
     *
     * @param client the client that left
     * @param reason why, as the relay said
     */
    record Left(OnlineClient client, LeaveReason reason) implements ClientEvent {
        /**
         * Checks the components.
         *
         * @param client the client that left
         * @param reason why
         */
        public Left {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onLeave(client, reason);
        }
    }

    /**
     * An error not tied to one of the application's futures.
     *
     * @param error what went wrong
     */
    record Error(ChatClientException error) implements ClientEvent {
        /**
         * Checks the error.
         *
         * @param error what went wrong
         */
        public Error {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onError(error);
        }
    }

    /**
     * A known peer presented a changed identity key.
     *
     * @param change the peer, both fingerprints and the new safety number
     */
    record IdentityChanged(PeerIdentityChangedException change) implements ClientEvent {
        /**
         * Checks the change.
         *
         * @param change the change
         */
        public IdentityChanged {
            Objects.requireNonNull(change, "change");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onIdentityChanged(change);
        }
    }

    /**
     * A message could not be decrypted or authenticated, or was refused.
     *
     * @param error who it claimed to be from, and why
     */
    record Undecryptable(UndecryptableMessageException error, int messages) implements ClientEvent {
        /**
         * Checks the arguments.
         *
         * @param error the report
         * @param messages how many messages it reports (one report may stand for several of one sender's unreadable
         *     room messages), at least 1
         */
        public Undecryptable {
            Objects.requireNonNull(error, "error");
            if (messages < 1) {
                throw new IllegalArgumentException("a report stands for at least one message, got " + messages);
            }
        }

        /**
         * A report of one message.
         *
         * @param error who it claimed to be from, and why
         */
        public Undecryptable(UndecryptableMessageException error) {
            this(error, 1);
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onUndecryptable(error);
        }
    }

    /**
     * A member's room key arrived.
     *
     * @param member the member
     */
    record RoomKeyChanged(OnlineClient member) implements ClientEvent {
        /**
         * Checks the member.
         *
         * @param member the member
         */
        public RoomKeyChanged {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onRoomKeyChanged(member);
        }
    }

    /**
     * This client's room key reached a new reader.
     *
     * @param member the reader's identity as this client trusts it
     */
    record RoomKeyShared(PeerIdentity member) implements ClientEvent {
        /**
         * Checks the member.
         *
         * @param member the reader
         */
        public RoomKeyShared {
            Objects.requireNonNull(member, "member");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onRoomKeyShared(member);
        }
    }

    /**
     * The room policy withheld this client's room key from a member.
     *
     * @param member the member
     * @param reason why
     */
    record RoomKeyWithheld(OnlineClient member, RoomKeyWithheldReason reason) implements ClientEvent {
        /**
         * Checks the components.
         *
         * @param member the member
         * @param reason why
         */
        public RoomKeyWithheld {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onRoomKeyWithheld(member, reason);
        }
    }

    /**
     * This client's room key did not reach a member; it is tried again.
     *
     * @param member the member
     * @param cause why
     */
    record RoomKeyNotDelivered(OnlineClient member, MessageRejectedException cause) implements ClientEvent {
        /**
         * Checks the components.
         *
         * @param member the member
         * @param cause why
         */
        public RoomKeyNotDelivered {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onRoomKeyNotDelivered(member, cause);
        }
    }

    /**
     * The session ended; always the last event.
     *
     * @param cause why
     */
    record Disconnected(ChatClientException cause) implements ClientEvent {
        /**
         * Checks the cause.
         *
         * @param cause why
         */
        public Disconnected {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public void tell(ChatListener listener) {
            listener.onDisconnected(cause);
        }
    }
}
