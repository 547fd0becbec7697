package io.securecomm.client;

import io.securecomm.crypto.Fingerprint;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A client online at the relay, as the relay lists it.
 *
 * @param clientId the relay-assigned id
 * @param nickname the nickname
 * @param identityKey the client's long-term identity public key (its Noise static key), as the relay saw
 *     it in the handshake
 */
public record OnlineClient(int clientId, String nickname, byte[] identityKey) {
    /**
     * Copies the key.
     *
     * @param clientId the id
     * @param nickname the nickname
     * @param identityKey the identity public key (copied)
     */
    public OnlineClient {
        Objects.requireNonNull(nickname, "nickname");
        identityKey = identityKey.clone();
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
     * The fingerprint of the key the relay announces for this client: its Noise static key, the X25519 half of
     * its end-to-end identity. The relay chose what to announce, so this proves nothing by itself; to check a
     * peer, compare safety numbers ({@link ChatClient#peerIdentity(String)}), whose fingerprint covers both
     * halves of the identity and is the one the terminal client shows.
     *
     * @return the fingerprint as 12 groups of 5 digits
     */
    public String fingerprint() {
        return Fingerprint.of(identityKey).displayString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnlineClient c && c.clientId == clientId && c.nickname.equals(nickname)
                && Arrays.equals(c.identityKey, identityKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, nickname, Arrays.hashCode(identityKey));
    }

    @Override
    public String toString() {
        return "OnlineClient[clientId=" + clientId + ", nickname=" + nickname + ", identityKey="
                + HexFormat.of().formatHex(identityKey) + "]";
    }
}
