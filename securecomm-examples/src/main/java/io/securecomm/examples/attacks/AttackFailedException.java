package io.securecomm.examples.attacks;

import io.securecomm.SecureCommException;

/** A teaching attack did not work against the traffic it was given: what the default suite is for. */
public final class AttackFailedException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the attack failed, for the learner
     */
    public AttackFailedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message why the attack failed, for the learner
     * @param cause the underlying failure
     */
    public AttackFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
