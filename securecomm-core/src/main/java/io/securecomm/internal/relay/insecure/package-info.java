/**
 * INSECURE, for teaching: the relay's side of the original toy's legacy suite, as an extension of the relay's
 * protocol that a connection of that suite gets when its pipeline is assembled. Nothing here is reachable without
 * an option named {@code insecureLegacyCrypto}. Not exported; no Netty types.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.relay.insecure;
