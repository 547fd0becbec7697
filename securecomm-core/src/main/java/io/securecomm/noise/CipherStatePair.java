package io.securecomm.noise;

import java.util.Objects;

/**
 * The two cipher states {@code Split()} returns (revision 34, section 5.2): {@code c1} encrypts from
 * initiator to responder, {@code c2} from responder to initiator. A secret: closing it closes both.
 */
public final class CipherStatePair implements AutoCloseable {
    private final CipherState c1;
    private final CipherState c2;

    /**
     * Pairs two cipher states.
     *
     * @param c1 initiator to responder
     * @param c2 responder to initiator
     */
    public CipherStatePair(CipherState c1, CipherState c2) {
        this.c1 = Objects.requireNonNull(c1, "c1");
        this.c2 = Objects.requireNonNull(c2, "c2");
    }

    /**
     * Returns {@code c1}, which encrypts messages from the initiator to the responder.
     *
     * @return the initiator-to-responder cipher state
     */
    public CipherState initiatorToResponder() {
        return c1;
    }

    /**
     * Returns {@code c2}, which encrypts messages from the responder to the initiator.
     *
     * @return the responder-to-initiator cipher state
     */
    public CipherState responderToInitiator() {
        return c2;
    }

    /** Closes both cipher states. */
    @Override
    public void close() {
        c1.close();
        c2.close();
    }

    /**
     * Returns a redacted description.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "CipherStatePair[" + c1 + ", " + c2 + "]";
    }
}
