package io.securecomm.examples;

/** The exit codes of the {@code securecomm} command, listed in its {@code --help}. */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;
    /** An unexpected failure (run again with {@code --debug} for the stack trace). */
    static final int FAILURE = 1;
    /** Bad command-line usage. */
    static final int USAGE = 2;
    /** The relay could not be reached, admits no more clients, or the handshake with it failed. */
    static final int UNREACHABLE = 3;
    /** The relay's identity key differs from the pinned one. */
    static final int RELAY_KEY_CHANGED = 4;
    /** The relay refused the nickname. */
    static final int NICKNAME_REFUSED = 5;
    /** The relay went away during the session. */
    static final int CONNECTION_LOST = 6;
    /** The relay could not listen on its address. */
    static final int CANNOT_LISTEN = 7;
    /**
     * The relay's store cannot be opened: corrupt, locked by another process, of a newer version, unwritable; or, with
     * {@code --cluster}, its Redis cannot be reached or holds another relay key.
     */
    static final int STORE_UNUSABLE = 8;

    static final String FOOTER = "%nExit codes:%n"
            + "  0  success%n"
            + "  1  unexpected failure (add --debug for details)%n"
            + "  2  bad usage%n"
            + "  3  relay unreachable, or the handshake failed%n"
            + "  4  the relay's identity key changed (see known_relays)%n"
            + "  5  nickname refused by the relay%n"
            + "  6  connection to the relay lost%n"
            + "  7  the relay cannot listen on its address%n"
            + "  8  the relay's store (relay.db, or the cluster's Redis) cannot be opened%n";

    private ExitCodes() {}
}
