/**
 * One connection's Noise layer without I/O: the handshake of wire protocol v1 driven to its split, then transport
 * records sealed into frames and opened from them. The Netty adapter ({@code internal.netty.NoiseHandler}) only moves
 * the bytes; the protocol machinery itself is {@code io.securecomm.noise}.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.noise;
