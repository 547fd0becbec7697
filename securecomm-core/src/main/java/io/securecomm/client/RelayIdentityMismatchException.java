package io.securecomm.client;

import java.util.Objects;

/**
 * The relay presented an identity key different from the one pinned for its address, the way ssh
 * reports a changed host key. Either the relay's key was replaced, or someone is intercepting the
 * connection; the client refuses to connect. To accept the new key, remove the pinned entry from
 * {@link #pinSource()}.
 */
public final class RelayIdentityMismatchException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The relay address as pinned. */
    private final String relay;
    /** The pinned identity public key. */
    private final byte[] pinnedKey;
    /** The presented identity public key. */
    private final byte[] presentedKey;
    /** Where the pin is stored. */
    private final String pinSource;

    /**
     * Creates the exception.
     *
     * @param relay the relay address as pinned ({@code host:port})
     * @param pinnedKey the pinned identity public key (copied)
     * @param presentedKey the identity public key the relay presented (copied)
     * @param pinSource where the pin is stored (a file and line, or "memory")
     */
    public RelayIdentityMismatchException(String relay, byte[] pinnedKey, byte[] presentedKey, String pinSource) {
        super("the identity key of relay " + relay + " has CHANGED since it was pinned in " + pinSource
                + "; someone may be intercepting the connection, or the relay's key was replaced."
                + " If you trust the new key, remove the old entry from " + pinSource + " and connect again");
        this.relay = Objects.requireNonNull(relay, "relay");
        this.pinnedKey = pinnedKey.clone();
        this.presentedKey = presentedKey.clone();
        this.pinSource = Objects.requireNonNull(pinSource, "pinSource");
    }

    /**
     * The relay address as pinned.
     *
     * @return {@code host:port}
     */
    public String relay() {
        return relay;
    }

    /**
     * The pinned identity public key.
     *
     * @return a copy
     */
    public byte[] pinnedKey() {
        return pinnedKey.clone();
    }

    /**
     * The identity public key the relay presented.
     *
     * @return a copy
     */
    public byte[] presentedKey() {
        return presentedKey.clone();
    }

    /**
     * Where the pin is stored, for the person who has to edit it.
     *
     * @return a file name and line, or "memory"
     */
    public String pinSource() {
        return pinSource;
    }
}
