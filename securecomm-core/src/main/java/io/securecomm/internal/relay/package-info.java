/**
 * Implementation detail of the relay, without I/O and without Netty types: the per-connection
 * {@link io.securecomm.internal.relay.RelaySession} (everything the relay decides for one client) and the
 * {@link io.securecomm.internal.relay.RelayState} its sessions share (the client registry with its nickname
 * rules, the pre-key directory, the shutdown flag). Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.relay;
