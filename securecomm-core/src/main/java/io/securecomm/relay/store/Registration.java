package io.securecomm.relay.store;

/** What {@link AccountStore#register} did. */
public enum Registration {
    /** The nickname was free and is now bound to the key. */
    REGISTERED,
    /** The nickname was already bound to this same key: nothing changed, the caller may use it. */
    ALREADY_REGISTERED,
    /** The nickname is bound to another key: refused, nothing changed. */
    TAKEN
}
