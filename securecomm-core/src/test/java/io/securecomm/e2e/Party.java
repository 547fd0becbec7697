package io.securecomm.e2e;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** A test client: a name, a store and one SessionCipher per peer. */
final class Party {
    static final SecureRandom RANDOM = new SecureRandom();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    final String name;
    final ProtocolStore store;
    private final Map<String, SessionCipher> ciphers = new HashMap<>();

    Party(String name) {
        this(name, new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)));
    }

    Party(String name, ProtocolStore store) {
        this.name = name;
        this.store = store;
    }

    SessionCipher to(String peer) {
        return ciphers.computeIfAbsent(peer, p -> new SessionCipher(store, name, p, RANDOM));
    }

    IdentityKey identity() {
        return store.identityKeyPair().publicKey();
    }

    /** Publishes one upload of {@code oneTimeCount} one-time curve pre-keys and as many KEM ones, up to 4. */
    PreKeyUpload upload(int oneTimeCount) {
        return PreKeys.prepareUpload(store, oneTimeCount, Math.min(oneTimeCount, 4), CLOCK, RANDOM);
    }

    TrustStore trust() {
        return new TrustStore(store);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
