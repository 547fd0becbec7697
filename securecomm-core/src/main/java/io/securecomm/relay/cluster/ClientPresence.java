package io.securecomm.relay.cluster;

import io.securecomm.wire.Nickname;
import java.util.Arrays;
import java.util.Objects;

/**
 * One client online on one node of the cluster, as the other nodes see it: enough to list it, to announce it to the
 * room, and to route a message to it.
 *
 * @param clientId its client id, unique across the cluster while the cluster runs ({@link RelayCluster#nextClientId})
 * @param nickname its nickname as the client spelled it
 * @param identityKey its identity public key (copied in and out)
 * @param nodeId the node it is connected to ({@link RelayCluster#nodeId()} of that node)
 * @param inRoom whether it is a member of the public room
 */
public record ClientPresence(int clientId, String nickname, byte[] identityKey, String nodeId, boolean inRoom) {
    /**
     * Checks and copies the components.
     *
     * @param clientId the client id, at least 1
     * @param nickname the nickname
     * @param identityKey the identity key (copied)
     * @param nodeId the node
     * @param inRoom whether it is in the room
     * @throws IllegalArgumentException if {@code clientId < 1}
     */
    public ClientPresence {
        if (clientId < 1) {
            throw new IllegalArgumentException("clientId must be at least 1, got " + clientId);
        }
        Objects.requireNonNull(nickname, "nickname");
        identityKey = Objects.requireNonNull(identityKey, "identityKey").clone();
        Objects.requireNonNull(nodeId, "nodeId");
    }

    /**
     * The identity public key.
     *
     * @return a copy
     */
    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    /**
     * The nickname's canonical form ({@link Nickname#canonical}), by which the cluster keys and sorts presence.
     *
     * @return the canonical nickname
     */
    public String canonicalNickname() {
        return Nickname.canonical(nickname);
    }

    /**
     * The same presence, in or out of the room.
     *
     * @param member whether it is a member of the room
     * @return a copy with {@code inRoom} set
     */
    public ClientPresence withRoom(boolean member) {
        return new ClientPresence(clientId, nickname, identityKey, nodeId, member);
    }

    // Records compare arrays by reference; presence compares the key's content.
    @Override
    public boolean equals(Object o) {
        return o instanceof ClientPresence p && p.clientId == clientId && p.nickname.equals(nickname)
                && Arrays.equals(p.identityKey, identityKey) && p.nodeId.equals(nodeId)
                && p.inRoom == inRoom;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, nickname, nodeId, inRoom);
    }

    @Override
    public String toString() {
        return "ClientPresence[clientId=" + clientId + ", nickname=" + nickname + ", node=" + nodeId + ", inRoom="
                + inRoom + "]";
    }
}
