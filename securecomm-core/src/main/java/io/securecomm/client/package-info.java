/**
 * The chat client API: connect to a relay, send public and private messages (end-to-end encrypted: the relay
 * forwards ciphertext only), list clients, verify peers by safety number, decide on changed identity keys, and
 * receive events on a documented thread.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.client;
