/**
 * Implementation detail: the Netty adapters of the relay server and the chat client. Each handler is a
 * thin adapter around a sans-I/O object ({@code wire.FrameDecoder}, {@code noise.HandshakeState} and
 * {@code SecureChannel}, {@code wire.MessageCodec}, the relay's {@code RelaySession}, the client's
 * {@code ClientSession}), wired in one pipeline per side ({@code RelayPipeline}, {@code ClientPipeline}):
 *
 * <pre>
 *   socket -&gt; FrameDecoderHandler -&gt; NoiseHandler -&gt; MessageCodecHandler -&gt; RelayHandler / ClientHandler
 *          &lt;- FrameEncoderHandler &lt;-
 * </pre>
 *
 * The INSECURE legacy suite's handlers ({@code LegacyHandler}, {@code SuiteSelector}, {@code LegacyClientNotices})
 * are put in only by the pipeline builders, for a connection of that suite. Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.netty;
