/**
 * Implementation detail: the Netty adapters of the relay server and the chat client. Each handler is a
 * thin adapter around a sans-I/O object ({@code wire.FrameDecoder}, {@code noise.HandshakeState} and
 * {@code SecureChannel}, {@code wire.MessageCodec}, the relay's client registry), wired in one pipeline:
 *
 * <pre>
 *   socket -&gt; FrameDecoderHandler -&gt; NoiseHandler -&gt; MessageCodecHandler -&gt; RelayHandler / client handler
 *          &lt;- FrameEncoderHandler &lt;-
 * </pre>
 *
 * Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.netty;
