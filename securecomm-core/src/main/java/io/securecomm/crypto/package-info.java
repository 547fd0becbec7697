/**
 * Crypto building blocks: key agreement, key encapsulation, keystream ciphers, AEADs, HKDF and fingerprints.
 * Nothing here is a home-made primitive: AEADs, HMAC, SHA-2, ChaCha20, X448 and finite-field DH are the JDK's JCA;
 * X25519 and Ed25519 are Bouncy Castle's lightweight {@code rfc7748}/{@code rfc8032} code (several times faster than
 * the JDK 17 providers; the system property {@code securecomm.curve25519=jca} switches them back to the JDK), and
 * ML-KEM-1024 is Bouncy Castle's FIPS 203 code. Everything composes these as the cited RFCs and standards specify,
 * and no Bouncy Castle type appears in an API.
 *
 * <ul>
 *   <li>{@link io.securecomm.crypto.Aead}: nonce-managing AEAD (ChaCha20-Poly1305, AES-256-GCM), the default
 *       choice; {@link io.securecomm.crypto.ExplicitNonceAead}: caller-chosen nonces, for Noise.</li>
 *   <li>{@link io.securecomm.crypto.KeyExchange}: X25519 (default), X448, RFC 7919 ffdhe2048/ffdhe3072.</li>
 *   <li>{@link io.securecomm.crypto.MlKem1024}: the post-quantum key-encapsulation mechanism ML-KEM-1024 (FIPS 203),
 *       for PQXDH.</li>
 *   <li>{@link io.securecomm.crypto.Hkdf}: RFC 5869 with HMAC-SHA256, and the Noise {@code HKDF}.</li>
 *   <li>{@link io.securecomm.crypto.XorCipher}: a seekable ChaCha20 keystream that provides NO integrity.</li>
 *   <li>{@link io.securecomm.crypto.Fingerprint}: a 60-digit, human-comparable public key fingerprint.</li>
 * </ul>
 *
 * <p>Peer-caused failures are checked subclasses of {@link io.securecomm.crypto.CryptoException}; caller mistakes
 * (wrong key or nonce sizes, closed objects) are unchecked. Secrets ({@link io.securecomm.crypto.AeadKey}, {@link
 * io.securecomm.crypto.KeyExchangeKeyPair}, {@link io.securecomm.crypto.MlKemKeyPair}, {@link
 * io.securecomm.crypto.MlKemEncapsulation}) are AutoCloseable, redact {@code toString()} and wipe on close.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.crypto;
