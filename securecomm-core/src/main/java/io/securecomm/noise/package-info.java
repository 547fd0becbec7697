/**
 * The Noise Protocol Framework, revision 34, sans-I/O: protocol names, handshake patterns,
 * {@code CipherState}, {@code SymmetricState}, {@code HandshakeState} and the transport-phase
 * {@link io.securecomm.noise.SecureChannel}. It interoperates byte for byte with other Noise libraries
 * (checked against the cacophony, snow and noise-c vectors).
 *
 * <p>Start with {@link io.securecomm.noise.NoiseProtocol#parse(String)} and
 * {@link io.securecomm.noise.HandshakeState}; securecomm's own choice of protocol and prologue is in
 * {@link io.securecomm.noise.SecurecommNoise}. Nothing here does I/O: handshake messages and records are
 * byte arrays, which the caller frames and sends.
 *
 * <p>Errors: what a peer can cause is a checked {@link io.securecomm.noise.HandshakeException} or
 * {@link io.securecomm.noise.SecureChannelException}, each with a reason; caller mistakes are unchecked
 * ({@link java.lang.IllegalStateException} for calls out of turn or after a failure,
 * {@link io.securecomm.noise.NoiseMessageTooLargeException} and
 * {@link io.securecomm.noise.NonceExhaustedException} for the Noise limits). Handshakes and channels are
 * permanently unusable after a failure.
 *
 * <p>No class here is thread-safe; confine each handshake or channel to one thread or event loop.
 * Parameters are non-null unless documented otherwise.
 */
package io.securecomm.noise;
