package io.securecomm.client;

import io.securecomm.e2e.SafetyNumber;
import java.util.Objects;
import java.util.Optional;

/**
 * What this client knows about a peer's end-to-end identity, for verification ({@code /verify}).
 *
 * @param peer the peer's nickname, in its canonical form ({@code io.securecomm.wire.Nickname})
 * @param fingerprint the fingerprint of the identity key this client trusts for the peer
 * @param safetyNumber the safety number of this client and the peer, identical on both sides
 * @param verified whether the user marked the safety number as compared ({@link ChatClient#markVerified})
 * @param pendingFingerprint the fingerprint of a changed key awaiting the user's decision, if any
 * @param pendingSafetyNumber the safety number under that changed key, to compare before accepting it with
 *     {@link ChatClient#trustNewIdentity(String, SafetyNumber)}, if any
 */
public record PeerIdentity(String peer, String fingerprint, SafetyNumber safetyNumber, boolean verified,
        Optional<String> pendingFingerprint, Optional<SafetyNumber> pendingSafetyNumber) {
    /**
     * Checks the fields.
     *
     * @param peer the peer's nickname
     * @param fingerprint the trusted key's fingerprint
     * @param safetyNumber the safety number
     * @param verified whether verified
     * @param pendingFingerprint a pending change's fingerprint, or empty
     * @param pendingSafetyNumber a pending change's safety number, or empty
     */
    public PeerIdentity {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(safetyNumber, "safetyNumber");
        Objects.requireNonNull(pendingFingerprint, "pendingFingerprint");
        Objects.requireNonNull(pendingSafetyNumber, "pendingSafetyNumber");
    }
}
