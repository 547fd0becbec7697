package io.securecomm.client;

/**
 * Why this client withheld its room key from a member ({@link ChatListener#onRoomKeyWithheld}): under
 * {@link RoomPolicy#VERIFIED}, only members whose identity the user verified get it.
 */
public enum RoomKeyWithheldReason {
    /** The user has not verified the member's identity (or has never seen it). */
    NOT_VERIFIED("is not verified, and the room policy sends the room key to verified members only"),
    /** The member presents another identity key than the one the user verified, or a change is pending. */
    KEY_CHANGED("presents another key than the one you verified");

    private final String description;

    RoomKeyWithheldReason(String description) {
        this.description = description;
    }

    /**
     * A few words for a user, to follow the member's nickname (what the terminal client prints).
     *
     * @return the description, in lower case
     */
    public String description() {
        return description;
    }
}
