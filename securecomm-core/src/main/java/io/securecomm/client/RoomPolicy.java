package io.securecomm.client;

/**
 * Who receives this client's room key, and so can read its public messages (docs/SECURITY.md, "The room").
 * The relay announces who is online; the room key is what decides who reads.
 */
public enum RoomPolicy {
    /**
     * Every member the relay announces gets the room key, its identity trusted on first use; each hand-out is
     * reported ({@link ChatListener#onRoomKeyShared}) with the member's fingerprint. A relay that announces a
     * member of its own reads this client's public messages from then on.
     */
    EVERYONE,
    /**
     * Only members whose identity key the user verified ({@link ChatClient#markVerified}) get the room key; the
     * others are reported ({@link ChatListener#onRoomKeyWithheld}) and cannot read this client's public messages.
     * A member the relay invents reads nothing.
     */
    VERIFIED
}
