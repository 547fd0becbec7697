package io.securecomm.relay.cluster;

import io.securecomm.SecureCommException;

/**
 * The cluster's backend cannot be reached, or did not answer in time: what a {@link RelayCluster} operation's stage
 * fails with, and what {@link RelayCluster#nextClientId()} throws. The relay answers the request it served with a
 * clear refusal ("not delivered", "try again later") and carries on with its own clients.
 */
public final class ClusterUnavailableException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be reached, for people
     */
    public ClusterUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what could not be reached, for people
     * @param cause the backend's failure
     */
    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
