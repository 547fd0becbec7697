package io.securecomm.client;

import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.SessionSetup;
import java.util.Objects;
import java.util.Optional;

/**
 * What this client knows about a peer's end-to-end identity and session, for verification ({@code /verify}).
 *
 * @param peer the peer's nickname, in its canonical form ({@code io.securecomm.wire.Nickname})
 * @param fingerprint the fingerprint of the identity key this client trusts for the peer
 * @param safetyNumber the safety number of this client and the peer, identical on both sides
 * @param verified whether the user marked the safety number as compared ({@link ChatClient#markVerified})
 * @param pendingFingerprint the fingerprint of a changed key awaiting the user's decision, if any
 * @param pendingSafetyNumber the safety number under that changed key, to compare before accepting it with
 *     {@link ChatClient#trustNewIdentity(String, SafetyNumber)}, if any
 * @param sessionSetup how the current session with the peer was set up ({@link SessionSetup#PQXDH}: post-quantum
 *     protected), or empty if there is no session yet (the next message sets one up, with PQXDH)
 */
public record PeerIdentity(String peer, String fingerprint, SafetyNumber safetyNumber, boolean verified,
        Optional<String> pendingFingerprint, Optional<SafetyNumber> pendingSafetyNumber,
        Optional<SessionSetup> sessionSetup) {
    /**
     * Checks the fields.
     *
     * @param peer the peer's nickname
     * @param fingerprint the trusted key's fingerprint
     * @param safetyNumber the safety number
     * @param verified whether verified
     * @param pendingFingerprint a pending change's fingerprint, or empty
     * @param pendingSafetyNumber a pending change's safety number, or empty
     * @param sessionSetup the current session's set-up, or empty
     */
    public PeerIdentity {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(safetyNumber, "safetyNumber");
        Objects.requireNonNull(pendingFingerprint, "pendingFingerprint");
        Objects.requireNonNull(pendingSafetyNumber, "pendingSafetyNumber");
        Objects.requireNonNull(sessionSetup, "sessionSetup");
    }

    /**
     * Tells whether the current session with the peer is post-quantum protected: set up with PQXDH (X25519 and
     * ML-KEM-1024), so that traffic recorded now stays secret from a later quantum computer (docs/E2E.md says what
     * is and is not covered).
     *
     * @return {@code true} if there is a session and it was set up with PQXDH
     */
    public boolean postQuantum() {
        return sessionSetup.map(SessionSetup::postQuantum).orElse(false);
    }
}
