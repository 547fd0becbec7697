package io.securecomm.internal.client;

import java.net.ConnectException;
import java.net.UnknownHostException;

/** Why the connection to the relay could not be made, as the adapter classifies the transport's failure. */
public enum Unreachable {
    /** No answer within the connect timeout. */
    TIMED_OUT,
    /** The relay's host refused the connection. */
    REFUSED,
    /** The host name does not resolve. */
    UNKNOWN_HOST,
    /** Anything else; the cause's message says what. */
    OTHER;

    /**
     * Classifies a failure to connect.
     *
     * @param cause the transport's exception
     * @param timedOut whether the transport says the connect timeout passed (its own exception type for it may
     *     extend {@link ConnectException})
     * @return the classification
     */
    public static Unreachable of(Throwable cause, boolean timedOut) {
        if (timedOut) {
            return TIMED_OUT;
        }
        if (cause instanceof ConnectException) {
            return REFUSED;
        }
        return cause instanceof UnknownHostException ? UNKNOWN_HOST : OTHER;
    }
}
