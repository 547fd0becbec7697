package io.securecomm.client;

import java.security.MessageDigest;
import java.util.Objects;

/** Trusts exactly one relay key, whatever the address; see {@link RelayTrustStore#knownKey(byte[])}. Thread-safe. */
final class KnownRelayKey implements RelayTrustStore {
    private final byte[] key;

    KnownRelayKey(byte[] relayPublicKey) {
        Objects.requireNonNull(relayPublicKey, "relayPublicKey");
        if (relayPublicKey.length != 32) {
            throw new IllegalArgumentException("a relay's X25519 public key is 32 bytes, got " + relayPublicKey.length);
        }
        this.key = relayPublicKey.clone();
    }

    @Override
    public RelayKeyDecision verify(String relay, byte[] relayPublicKey) throws RelayIdentityMismatchException {
        Objects.requireNonNull(relay, "relay");
        if (MessageDigest.isEqual(key, relayPublicKey)) {
            return RelayKeyDecision.MATCHES_PIN;
        }
        throw new RelayIdentityMismatchException(relay, key, relayPublicKey,
                "the key given to RelayTrustStore.knownKey");
    }
}
