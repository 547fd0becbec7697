package io.securecomm.testing;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.KemPreKeyRecord;
import io.securecomm.e2e.OneTimePreKeyRecord;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.e2e.SignedPreKeyRecord;
import io.securecomm.e2e.TrustedIdentity;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ProtocolStore} that counts the reads a file store would make from disk: session records and
 * trusted identities. Tests measure with it how often a code path goes to the store. Thread-safe.
 */
public final class CountingProtocolStore implements ProtocolStore {
    /** How many times a session record was loaded. */
    public final AtomicInteger sessionLoads = new AtomicInteger();
    /** How many times a session record was stored. */
    public final AtomicInteger sessionStores = new AtomicInteger();
    /** How many times a trusted identity was loaded. */
    public final AtomicInteger trustLoads = new AtomicInteger();
    private final InMemoryProtocolStore store;

    /** A store with a fresh identity. */
    public CountingProtocolStore() {
        this.store = new InMemoryProtocolStore(IdentityKeyPair.generate(new SecureRandom()));
    }

    /** Sets every count back to zero. */
    public void reset() {
        sessionLoads.set(0);
        sessionStores.set(0);
        trustLoads.set(0);
    }

    @Override
    public IdentityKeyPair identityKeyPair() {
        return store.identityKeyPair();
    }

    @Override
    public Optional<TrustedIdentity> loadTrustedIdentity(String peer) {
        trustLoads.incrementAndGet();
        return store.loadTrustedIdentity(peer);
    }

    @Override
    public void saveTrustedIdentity(String peer, TrustedIdentity identity) {
        store.saveTrustedIdentity(peer, identity);
    }

    @Override
    public Optional<OneTimePreKeyRecord> loadPreKey(int id) {
        return store.loadPreKey(id);
    }

    @Override
    public void storePreKey(OneTimePreKeyRecord record) {
        store.storePreKey(record);
    }

    @Override
    public void removePreKey(int id) {
        store.removePreKey(id);
    }

    @Override
    public boolean containsPreKey(int id) {
        return store.containsPreKey(id);
    }

    @Override
    public List<Integer> preKeyIds() {
        return store.preKeyIds();
    }

    @Override
    public Optional<KemPreKeyRecord> loadKemPreKey(int id) {
        return store.loadKemPreKey(id);
    }

    @Override
    public void storeKemPreKey(KemPreKeyRecord record) {
        store.storeKemPreKey(record);
    }

    @Override
    public void removeKemPreKey(int id) {
        store.removeKemPreKey(id);
    }

    @Override
    public boolean containsKemPreKey(int id) {
        return store.containsKemPreKey(id);
    }

    @Override
    public List<Integer> kemPreKeyIds() {
        return store.kemPreKeyIds();
    }

    @Override
    public Optional<SignedPreKeyRecord> loadSignedPreKey(int id) {
        return store.loadSignedPreKey(id);
    }

    @Override
    public void storeSignedPreKey(SignedPreKeyRecord record) {
        store.storeSignedPreKey(record);
    }

    @Override
    public void removeSignedPreKey(int id) {
        store.removeSignedPreKey(id);
    }

    @Override
    public List<Integer> signedPreKeyIds() {
        return store.signedPreKeyIds();
    }

    @Override
    public Optional<byte[]> loadSession(String peer) {
        sessionLoads.incrementAndGet();
        return store.loadSession(peer);
    }

    @Override
    public void storeSession(String peer, byte[] session) {
        sessionStores.incrementAndGet();
        store.storeSession(peer, session);
    }

    @Override
    public void deleteSession(String peer) {
        store.deleteSession(peer);
    }
}
