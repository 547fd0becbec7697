package io.securecomm.wire;

import java.util.Objects;

/**
 * Relay to client: another client joined the room (its hello was accepted).
 *
 * <p>It names the client as a {@link ClientList} entry does, and its body is encoded as one entry is
 * (docs/PROTOCOL.md, {@code Joined}); {@link ClientInfo} copies the key.
 *
 * @param client the new client: its id, nickname and public identity key (its Noise static key)
 */
public record Joined(ClientInfo client) implements Message {
    /**
     * Checks the field.
     *
     * @param client the new client
     * @throws NullPointerException if {@code client} is {@code null}
     */
    public Joined {
        Objects.requireNonNull(client, "client");
    }

    @Override
    public MessageType type() {
        return MessageType.JOINED;
    }
}
