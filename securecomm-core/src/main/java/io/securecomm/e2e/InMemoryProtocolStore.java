package io.securecomm.e2e;

import io.securecomm.wire.Nickname;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ProtocolStore} in memory: everything is lost when the process ends. For tests and for
 * clients that need no persistence. Peers are kept under their nickname's canonical form
 * ({@link Nickname#canonical}). Thread-safe (every method synchronizes on this store).
 */
public final class InMemoryProtocolStore implements ProtocolStore {
    private final IdentityKeyPair identity;
    private final Map<String, TrustedIdentity> trusted = new HashMap<>();
    private final Map<Integer, OneTimePreKeyRecord> preKeys = new HashMap<>();
    private final Map<Integer, SignedPreKeyRecord> signedPreKeys = new HashMap<>();
    private final Map<Integer, KemPreKeyRecord> kemPreKeys = new HashMap<>();
    private final Map<String, byte[]> sessions = new HashMap<>();

    /**
     * Creates an empty store for an identity.
     *
     * @param identity this client's identity (owned by the caller; not closed by the store)
     */
    public InMemoryProtocolStore(IdentityKeyPair identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public IdentityKeyPair identityKeyPair() {
        return identity;
    }

    @Override
    public synchronized Optional<TrustedIdentity> loadTrustedIdentity(String peer) {
        return Optional.ofNullable(trusted.get(name(peer)));
    }

    @Override
    public synchronized void saveTrustedIdentity(String peer, TrustedIdentity id) {
        trusted.put(name(peer), Objects.requireNonNull(id, "id"));
    }

    @Override
    public synchronized Optional<OneTimePreKeyRecord> loadPreKey(int id) {
        OneTimePreKeyRecord r = preKeys.get(id);
        return Optional.ofNullable(r == null ? null : r.copy());
    }

    @Override
    public synchronized void storePreKey(OneTimePreKeyRecord record) {
        OneTimePreKeyRecord old = preKeys.put(record.id(), record.copy());
        if (old != null) {
            old.close();
        }
    }

    @Override
    public synchronized void removePreKey(int id) {
        OneTimePreKeyRecord r = preKeys.remove(id);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public synchronized boolean containsPreKey(int id) {
        return preKeys.containsKey(id);
    }

    @Override
    public synchronized Optional<SignedPreKeyRecord> loadSignedPreKey(int id) {
        SignedPreKeyRecord r = signedPreKeys.get(id);
        return Optional.ofNullable(r == null ? null : r.copy());
    }

    @Override
    public synchronized void storeSignedPreKey(SignedPreKeyRecord record) {
        SignedPreKeyRecord old = signedPreKeys.put(record.id(), record.copy());
        if (old != null) {
            old.close();
        }
    }

    @Override
    public synchronized void removeSignedPreKey(int id) {
        SignedPreKeyRecord r = signedPreKeys.remove(id);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public synchronized Optional<KemPreKeyRecord> loadKemPreKey(int id) {
        KemPreKeyRecord r = kemPreKeys.get(id);
        return Optional.ofNullable(r == null ? null : r.copy());
    }

    @Override
    public synchronized void storeKemPreKey(KemPreKeyRecord record) {
        KemPreKeyRecord old = kemPreKeys.put(record.id(), record.copy());
        if (old != null) {
            old.close();
        }
    }

    @Override
    public synchronized void removeKemPreKey(int id) {
        KemPreKeyRecord r = kemPreKeys.remove(id);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public synchronized boolean containsKemPreKey(int id) {
        return kemPreKeys.containsKey(id);
    }

    @Override
    public synchronized List<Integer> kemPreKeyIds() {
        return new ArrayList<>(kemPreKeys.keySet());
    }

    @Override
    public synchronized List<Integer> preKeyIds() {
        return new ArrayList<>(preKeys.keySet());
    }

    @Override
    public synchronized List<Integer> signedPreKeyIds() {
        return new ArrayList<>(signedPreKeys.keySet());
    }

    @Override
    public synchronized Optional<byte[]> loadSession(String peer) {
        byte[] s = sessions.get(name(peer));
        return Optional.ofNullable(s == null ? null : s.clone());
    }

    @Override
    public synchronized void storeSession(String peer, byte[] session) {
        sessions.put(name(peer), session.clone());
    }

    @Override
    public synchronized void deleteSession(String peer) {
        sessions.remove(name(peer));
    }

    /**
     * Describes the store without any key material.
     *
     * @return a description
     */
    @Override
    public synchronized String toString() {
        return "InMemoryProtocolStore[identity=" + identity.publicKey().fingerprint() + ", peers=" + trusted.size()
                + ", sessions=" + sessions.size() + ", preKeys=" + preKeys.size()
                + ", kemPreKeys=" + kemPreKeys.size() + "]";
    }

    private static String name(String peer) {
        return Nickname.canonical(Objects.requireNonNull(peer, "peer"));
    }
}
