package io.securecomm.internal.netty;

import io.securecomm.client.RelayKeyDecision;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The user event a client's pipeline fires once its handshake completed: what it established about the relay, as
 * the client's session is told it. The handler in the pipeline's {@code relay-key} slot fires it in place of the
 * handshake's {@link NoiseHandler.Established}: {@link RelayKeyCheck} with the key the relay proved and the trust
 * store's decision, the INSECURE legacy suite's handler with no key.
 *
 * @param relayKey the relay's static key as the handshake authenticated it; empty if it authenticates none
 * @param trust what was decided about it
 */
record RelayAuthenticated(byte[] relayKey, RelayKeyDecision trust) {
    /**
     * Copies the key.
     *
     * @param relayKey the relay's key
     * @param trust the decision
     */
    RelayAuthenticated {
        relayKey = relayKey.clone();
        Objects.requireNonNull(trust, "trust");
    }

    /**
     * The relay's key.
     *
     * @return a copy
     */
    @Override
    public byte[] relayKey() {
        return relayKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelayAuthenticated r && Arrays.equals(r.relayKey, relayKey) && r.trust == trust;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(relayKey) + trust.hashCode();
    }

    @Override
    public String toString() {
        return "RelayAuthenticated[" + HexFormat.of().formatHex(relayKey) + ", " + trust + "]";
    }
}
