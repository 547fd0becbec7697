package io.securecomm.relay.store;

/** What {@link AccountStore#release} did. */
public enum Release {
    /** The account, its pre-keys and its queued messages are deleted; the nickname is free. */
    RELEASED,
    /** No account has that nickname: nothing changed. */
    NOT_REGISTERED,
    /** The account belongs to another key: refused, nothing changed. */
    NOT_YOURS
}
