/**
 * The chat client API: connect to a relay (whose key the application chooses how to trust,
 * {@link io.securecomm.client.RelayTrustStore}), send public and private messages (end-to-end encrypted: the relay
 * forwards ciphertext only), list clients, verify peers by safety number, accept or reject changed identity keys
 * by the number compared, choose who reads the room ({@link io.securecomm.client.RoomPolicy}), and receive events
 * on a documented thread.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.client;
