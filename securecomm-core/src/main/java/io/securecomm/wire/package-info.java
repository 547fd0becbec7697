/**
 * Wire protocol v1, sans-I/O: the frame codec and the typed messages carried inside encrypted transport records.
 * The byte-exact specification, with golden examples the tests check, is docs/PROTOCOL.md.
 *
 * <ul>
 *   <li>Frames: {@link io.securecomm.wire.FrameEncoder} writes, and {@link io.securecomm.wire.FrameDecoder}
 *       incrementally reads, a 2-byte big-endian length followed by one Noise handshake or transport
 *       message.</li>
 *   <li>Messages: the sealed {@link io.securecomm.wire.Message} records, one per type, encoded and decoded by
 *       {@link io.securecomm.wire.MessageCodec}; the plaintext of one transport record is exactly one message.
 *       Size caps and application rules are the constants of {@link io.securecomm.wire.Limits}.</li>
 *   <li>Errors: hostile input only ever yields a {@link io.securecomm.wire.FrameException} subclass that says
 *       what was wrong and where; caller mistakes are unchecked.</li>
 * </ul>
 *
 * <p>Nothing here does I/O: a Netty handler or a blocking loop feeds bytes in and writes bytes out. The codecs
 * and records are immutable and thread-safe, except {@link io.securecomm.wire.FrameDecoder}, which holds one
 * connection's partial frame and is confined to that connection.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.wire;
