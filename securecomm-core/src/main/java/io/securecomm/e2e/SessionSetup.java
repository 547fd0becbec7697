package io.securecomm.e2e;

/**
 * How the current session with a peer was set up, which decides what its first messages are protected against.
 */
public enum SessionSetup {
    /**
     * X3DH alone: elliptic-curve Diffie-Hellman only. Only sessions that an earlier version of securecomm set up are
     * of this kind; this version never starts or accepts one, and replaces such a session with a PQXDH one when it
     * next sends. NOT post-quantum protected: whoever records the traffic and later has a large quantum computer can
     * compute the session's keys.
     */
    X3DH(false),
    /**
     * PQXDH with ML-KEM-1024: the X3DH Diffie-Hellman outputs and an ML-KEM-1024 shared secret feed the key
     * derivation, so recorded traffic stays secret from a later quantum computer (until the ratchet's later steps,
     * which are X25519 only; docs/E2E.md says what is and is not protected).
     */
    PQXDH(true);

    private final boolean postQuantum;

    SessionSetup(boolean postQuantum) {
        this.postQuantum = postQuantum;
    }

    /**
     * Tells whether the session key resists a later quantum computer.
     *
     * @return {@code true} for {@link #PQXDH}
     */
    public boolean postQuantum() {
        return postQuantum;
    }
}
