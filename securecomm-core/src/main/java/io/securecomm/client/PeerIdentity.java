package io.securecomm.client;

import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.SessionSetup;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What this client knows about a peer's end-to-end identity and session, for verification ({@code /verify}).
 *
 * <p>An immutable value. Its safety numbers are computed when first asked for ({@link #safetyNumber()},
 * {@link #pendingSafetyNumber()}, {@link #equals}, {@link #hashCode}, {@link #toString}), once, on the thread that
 * asks: each costs {@value SafetyNumber#ITERATIONS} SHA-512 rounds per party (about 10 ms), and a client reports
 * every member it hands its room key to ({@link ChatListener#onRoomKeyShared}); paid up front on the client's thread,
 * a room of 100 members cost each client a second of hashing that nobody looked at (issue 18). Thread-safe.
 */
public final class PeerIdentity {
    private final String peer;
    private final String fingerprint;
    private final Once<SafetyNumber> safetyNumber;
    private final boolean verified;
    private final Optional<String> pendingFingerprint;
    private final Once<Optional<SafetyNumber>> pendingSafetyNumber;
    private final Optional<SessionSetup> sessionSetup;

    /**
     * Creates the description, its safety numbers already computed.
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
    public PeerIdentity(String peer, String fingerprint, SafetyNumber safetyNumber, boolean verified,
            Optional<String> pendingFingerprint, Optional<SafetyNumber> pendingSafetyNumber,
            Optional<SessionSetup> sessionSetup) {
        this(peer, fingerprint, constant(Objects.requireNonNull(safetyNumber, "safetyNumber")), verified,
                pendingFingerprint, constant(Objects.requireNonNull(pendingSafetyNumber, "pendingSafetyNumber")),
                sessionSetup);
    }

    /**
     * Creates the description with its safety numbers computed when first asked for, once.
     *
     * @param peer the peer's nickname, in its canonical form
     * @param fingerprint the fingerprint of the identity key this client trusts for the peer
     * @param safetyNumber computes the safety number of this client and the peer; must not return {@code null}
     * @param verified whether the user marked the safety number as compared
     * @param pendingFingerprint the fingerprint of a changed key awaiting the user's decision, if any
     * @param pendingSafetyNumber computes the safety number under that changed key, or empty if none; must not
     *     return {@code null}
     * @param sessionSetup how the current session with the peer was set up, or empty if there is none yet
     */
    public PeerIdentity(String peer, String fingerprint, Supplier<SafetyNumber> safetyNumber, boolean verified,
            Optional<String> pendingFingerprint, Supplier<Optional<SafetyNumber>> pendingSafetyNumber,
            Optional<SessionSetup> sessionSetup) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.safetyNumber = new Once<>(Objects.requireNonNull(safetyNumber, "safetyNumber"));
        this.verified = verified;
        this.pendingFingerprint = Objects.requireNonNull(pendingFingerprint, "pendingFingerprint");
        this.pendingSafetyNumber = new Once<>(Objects.requireNonNull(pendingSafetyNumber, "pendingSafetyNumber"));
        this.sessionSetup = Objects.requireNonNull(sessionSetup, "sessionSetup");
    }

    /**
     * The peer's nickname, in its canonical form.
     *
     * @return the nickname
     */
    public String peer() {
        return peer;
    }

    /**
     * The fingerprint of the identity key this client trusts for the peer.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The safety number of this client and the peer, identical on both sides; computed on the first call.
     *
     * @return the safety number
     */
    public SafetyNumber safetyNumber() {
        return safetyNumber.get();
    }

    /**
     * Whether the user marked the safety number as compared ({@link ChatClient#markVerified}).
     *
     * @return whether verified
     */
    public boolean verified() {
        return verified;
    }

    /**
     * The fingerprint of a changed key awaiting the user's decision.
     *
     * @return the fingerprint, or empty if no change is pending
     */
    public Optional<String> pendingFingerprint() {
        return pendingFingerprint;
    }

    /**
     * The safety number under a changed key awaiting the user's decision, to compare before accepting it with
     * {@link ChatClient#trustNewIdentity(String, SafetyNumber)}; computed on the first call.
     *
     * @return the safety number, or empty if no change is pending
     */
    public Optional<SafetyNumber> pendingSafetyNumber() {
        return pendingSafetyNumber.get();
    }

    /**
     * How the current session with the peer was set up ({@link SessionSetup#PQXDH}: post-quantum protected).
     *
     * @return the set-up, or empty if there is no session yet (the next message sets one up, with PQXDH)
     */
    public Optional<SessionSetup> sessionSetup() {
        return sessionSetup;
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

    /**
     * Equal when every field is equal, as a record's would be (the safety numbers are computed to compare them).
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PeerIdentity p && p.peer.equals(peer) && p.fingerprint.equals(fingerprint)
                && p.verified == verified && p.pendingFingerprint.equals(pendingFingerprint)
                && p.sessionSetup.equals(sessionSetup) && p.safetyNumber().equals(safetyNumber())
                && p.pendingSafetyNumber().equals(pendingSafetyNumber());
    }

    /**
     * Hashes every field.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(peer, fingerprint, safetyNumber(), verified, pendingFingerprint, pendingSafetyNumber(),
                sessionSetup);
    }

    /**
     * Describes every field, as a record would.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "PeerIdentity[peer=" + peer + ", fingerprint=" + fingerprint + ", safetyNumber=" + safetyNumber()
                + ", verified=" + verified + ", pendingFingerprint=" + pendingFingerprint + ", pendingSafetyNumber="
                + pendingSafetyNumber() + ", sessionSetup=" + sessionSetup + "]";
    }

    private static <T> Supplier<T> constant(T value) {
        return () -> value;
    }

    /** A value computed on the first call, once, whichever thread calls. */
    private static final class Once<T> {
        private Supplier<T> compute;
        private volatile T value;

        Once(Supplier<T> compute) {
            this.compute = compute;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = Objects.requireNonNull(compute.get(), "the computed value");
                        value = v;
                        compute = null; // what it captured (keys, names) is not kept longer than needed
                    }
                }
            }
            return v;
        }
    }
}
