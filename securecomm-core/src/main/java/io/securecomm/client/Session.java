package io.securecomm.client;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a successful {@link ChatClient#connect()} established.
 *
 * @param clientId the id the relay assigned to this client
 * @param nickname the nickname the relay admitted
 * @param serverInfo the relay's self-description from its welcome
 * @param relayIdentityKey the relay's identity public key (its Noise static key)
 * @param trust whether the relay's key was pinned now or matched an earlier pin
 */
public record Session(int clientId, String nickname, String serverInfo, byte[] relayIdentityKey,
        RelayKeyDecision trust) {
    /**
     * Copies the key.
     *
     * @param clientId the id
     * @param nickname the nickname
     * @param serverInfo the server info
     * @param relayIdentityKey the relay's identity public key (copied)
     * @param trust the trust decision
     */
    public Session {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(serverInfo, "serverInfo");
        Objects.requireNonNull(trust, "trust");
        relayIdentityKey = relayIdentityKey.clone();
    }

    /**
     * The relay's identity public key.
     *
     * @return a copy
     */
    @Override
    public byte[] relayIdentityKey() {
        return relayIdentityKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Session s && s.clientId == clientId && s.nickname.equals(nickname)
                && s.serverInfo.equals(serverInfo) && Arrays.equals(s.relayIdentityKey, relayIdentityKey)
                && s.trust == trust;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, nickname, serverInfo, Arrays.hashCode(relayIdentityKey), trust);
    }

    @Override
    public String toString() {
        return "Session[clientId=" + clientId + ", nickname=" + nickname + ", serverInfo=" + serverInfo
                + ", relayIdentityKey=" + HexFormat.of().formatHex(relayIdentityKey) + ", trust=" + trust + "]";
    }
}
