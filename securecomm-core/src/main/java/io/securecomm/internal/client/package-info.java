/**
 * Implementation detail of the chat client, without I/O and without Netty types: the client's sans-I/O
 * {@link io.securecomm.internal.client.ClientSession} (everything a client decides), its one
 * {@link io.securecomm.internal.client.Roster}, its {@link io.securecomm.internal.client.Requests}, and the
 * end-to-end layer {@link io.securecomm.internal.client.ClientE2e} that the session calls directly. Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.client;
