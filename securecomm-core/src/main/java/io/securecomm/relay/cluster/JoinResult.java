package io.securecomm.relay.cluster;

import java.util.Objects;

/** What {@link RelayCluster#join} answers: the client is online across the cluster, or why not. */
public sealed interface JoinResult {
    /**
     * The client is online across the cluster: its nickname is reserved, and the other nodes list it.
     *
     * @param inRoom whether it holds a place in the public room (it asked for one and the room had one, counted
     *     across every node)
     */
    record Joined(boolean inRoom) implements JoinResult {}

    /**
     * A client on another node holds the nickname, or one that looks like it (the same
     * {@link io.securecomm.wire.Nickname#skeleton}).
     *
     * @param holder the nickname of the client that holds it, as it spelled it
     */
    record Taken(String holder) implements JoinResult {
        /**
         * Checks the holder.
         *
         * @param holder the holder's nickname
         */
        public Taken {
            Objects.requireNonNull(holder, "holder");
        }
    }
}
