package io.securecomm.relay.cluster;

import java.util.Objects;

/**
 * Whether a node can reach its cluster's backend now: what the relay's readiness ({@code /readyz}) reports.
 *
 * @param reachable {@code true} while the backend answers
 * @param detail one line for operators: why not, or "ok"
 */
public record ClusterHealth(boolean reachable, String detail) {
    /** The health of a backend that answers. */
    public static final ClusterHealth OK = new ClusterHealth(true, "ok");

    /**
     * Checks the detail.
     *
     * @param reachable whether the backend answers
     * @param detail one line for operators
     */
    public ClusterHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * The health of a backend that cannot be reached.
     *
     * @param detail why, for operators
     * @return an unreachable health
     */
    public static ClusterHealth unreachable(String detail) {
        return new ClusterHealth(false, detail);
    }
}
