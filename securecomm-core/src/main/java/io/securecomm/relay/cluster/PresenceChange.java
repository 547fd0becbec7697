package io.securecomm.relay.cluster;

import io.securecomm.wire.LeaveReason;
import java.util.Objects;

/**
 * A client on another node came online or went: what a {@link RelayCluster} tells each node
 * ({@link ClusterNode#presenceChanged}), so that it announces the change to its own room members ({@code Joined},
 * {@code Left}) as it announces its own clients'.
 */
public sealed interface PresenceChange {
    /**
     * The client whose presence changed.
     *
     * @return its presence
     */
    ClientPresence client();

    /**
     * A client on another node is online.
     *
     * @param client its presence
     */
    record Online(ClientPresence client) implements PresenceChange {
        /**
         * Checks the client.
         *
         * @param client its presence
         */
        public Online {
            Objects.requireNonNull(client, "client");
        }
    }

    /**
     * A client on another node is no longer online: it left, was disconnected, or its node died (its presence
     * expired: {@link LeaveReason#DISCONNECTED}).
     *
     * @param client its presence as it was
     * @param reason why, as the room members are told
     */
    record Offline(ClientPresence client, LeaveReason reason) implements PresenceChange {
        /**
         * Checks the components.
         *
         * @param client its presence
         * @param reason why
         */
        public Offline {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
