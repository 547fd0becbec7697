package io.securecomm.e2e;

/**
 * All the state one client's end-to-end encryption needs, in one object (as libsignal's
 * {@code SignalProtocolStore}). Implemented by {@link InMemoryProtocolStore} and
 * {@link FileProtocolStore}.
 */
public interface ProtocolStore extends IdentityStore, PreKeyStore, SignedPreKeyStore, KemPreKeyStore, SessionStore {}
