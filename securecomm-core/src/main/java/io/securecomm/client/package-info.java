/**
 * The chat client API: connect to a relay, send public and private messages, list clients, and receive events on a documented thread.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.client;
