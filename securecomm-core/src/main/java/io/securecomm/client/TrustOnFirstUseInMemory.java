package io.securecomm.client;

import java.security.MessageDigest;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Pins relay keys in memory; see {@link RelayTrustStore#trustOnFirstUseInMemory()}. Thread-safe. */
final class TrustOnFirstUseInMemory implements RelayTrustStore {
    private final ConcurrentHashMap<String, byte[]> pins = new ConcurrentHashMap<>();

    @Override
    public RelayKeyDecision verify(String relay, byte[] relayPublicKey) throws RelayIdentityMismatchException {
        Objects.requireNonNull(relay, "relay");
        byte[] key = relayPublicKey.clone();
        byte[] pinned = pins.putIfAbsent(relay, key);
        if (pinned == null) {
            return RelayKeyDecision.PINNED_ON_FIRST_USE;
        }
        if (MessageDigest.isEqual(pinned, key)) {
            return RelayKeyDecision.MATCHES_PIN;
        }
        throw new RelayIdentityMismatchException(relay, pinned, key, "memory");
    }
}
