/**
 * Implementation details of {@code io.securecomm.noise}, not exported: the handshake pattern table as data
 * with the spec's token names, and the AEAD under a {@code CipherState} ({@link
 * io.securecomm.noise.internal.RecordAead}): AES-GCM from the JDK, ChaCha20-Poly1305 from the JDK or from Bouncy
 * Castle's lightweight {@code ChaCha20Poly1305}, as {@link io.securecomm.noise.internal.ChaChaPolyProvider} chooses
 * (no Bouncy Castle type reaches the exported API). It imports nothing from {@code io.securecomm.noise}.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.noise.internal;
