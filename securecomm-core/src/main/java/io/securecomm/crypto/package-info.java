/**
 * Crypto building blocks on the JDK's JCA: key agreement, keystream ciphers, AEADs, HKDF and fingerprints. Nothing
 * here is a home-made primitive; everything composes JCA algorithms as the cited RFCs specify.
 *
 * <ul>
 *   <li>{@link io.securecomm.crypto.Aead}: nonce-managing AEAD (ChaCha20-Poly1305, AES-256-GCM), the default
 *       choice; {@link io.securecomm.crypto.ExplicitNonceAead}: caller-chosen nonces, for Noise.</li>
 *   <li>{@link io.securecomm.crypto.KeyExchange}: X25519 (default), X448, RFC 7919 ffdhe2048/ffdhe3072.</li>
 *   <li>{@link io.securecomm.crypto.Hkdf}: RFC 5869 with HMAC-SHA256, and the Noise {@code HKDF}.</li>
 *   <li>{@link io.securecomm.crypto.XorCipher}: a seekable ChaCha20 keystream that provides NO integrity.</li>
 *   <li>{@link io.securecomm.crypto.Fingerprint}: a 60-digit, human-comparable public key fingerprint.</li>
 * </ul>
 *
 * <p>Peer-caused failures are checked subclasses of {@link io.securecomm.crypto.CryptoException}; caller mistakes
 * (wrong key or nonce sizes, closed objects) are unchecked. Secrets ({@link io.securecomm.crypto.AeadKey}, {@link
 * io.securecomm.crypto.KeyExchangeKeyPair}) are AutoCloseable, redact {@code toString()} and wipe on close.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.crypto;
