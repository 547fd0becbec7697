/**
 * The Noise Protocol Framework, revision 34, sans-I/O: protocol names, handshake patterns, CipherState, SymmetricState, HandshakeState and the transport-phase secure channel.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.noise;
