package io.securecomm.e2e;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * What happened to a room message: decrypted, held until the sender's key arrives, or reported as
 * undecryptable. {@link GroupCipher} never drops a message silently: every message ends as exactly one
 * {@link Decrypted} or {@link Undecryptable} event (possibly after a {@link Held}).
 */
public sealed interface RoomEvent permits RoomEvent.Decrypted, RoomEvent.Held, RoomEvent.Undecryptable {
    /**
     * Returns the member the message came from, as the relay stated it.
     *
     * @return the sender's name
     */
    String sender();

    /**
     * A room message decrypted and its signature verified.
     *
     * @param sender the member who sent it
     * @param plaintext the plaintext (copied in and out)
     */
    record Decrypted(String sender, byte[] plaintext) implements RoomEvent {
        /**
         * Creates the event.
         *
         * @param sender the sender
         * @param plaintext the plaintext
         */
        public Decrypted {
            Objects.requireNonNull(sender, "sender");
            plaintext = plaintext.clone();
        }

        /**
         * Returns a copy of the plaintext.
         *
         * @return the plaintext
         */
        @Override
        public byte[] plaintext() {
            return plaintext.clone();
        }

        /**
         * Equal when sender and plaintext are equal.
         *
         * @param o the other object
         * @return whether equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Decrypted d && d.sender.equals(sender) && MessageDigest.isEqual(d.plaintext, plaintext);
        }

        /**
         * Hashes sender and plaintext.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return sender.hashCode() * 31 + Arrays.hashCode(plaintext);
        }

        /**
         * Describes the event without the plaintext.
         *
         * @return a description
         */
        @Override
        public String toString() {
            return "Decrypted[sender=" + sender + ", " + plaintext.length + " bytes]";
        }
    }

    /**
     * A room message from a member whose sender key has not arrived yet: held (bounded in count and
     * time) and decrypted when the key arrives, or later reported as {@link Undecryptable}.
     *
     * @param sender the member the message claims to come from
     */
    record Held(String sender) implements RoomEvent {
        /**
         * Creates the event.
         *
         * @param sender the sender
         */
        public Held {
            Objects.requireNonNull(sender, "sender");
        }
    }

    /**
     * A room message that will never be decrypted, and why.
     *
     * @param sender the member the message claimed to come from
     * @param reason why
     * @param detail one line for people
     */
    record Undecryptable(String sender, Reason reason, String detail) implements RoomEvent {
        /**
         * Creates the event.
         *
         * @param sender the sender
         * @param reason the reason
         * @param detail a description
         */
        public Undecryptable {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a held room message was given up. */
    enum Reason {
        /** The sender's key did not arrive within the holding time. */
        TIMED_OUT,
        /** Too many messages were held; the oldest was given up. */
        OVERFLOW,
        /** The sender left the room before its key arrived. */
        MEMBER_LEFT,
        /** The key arrived but the message failed its checks (bad signature, tampered, replayed). */
        REJECTED,
        /** This member's own session ended (it left, or lost its connection) before the sender's key arrived. */
        SESSION_ENDED
    }
}
