/**
 * Implementation details of {@code io.securecomm.e2e}, not exported: byte readers and writers, raw-key
 * Ed25519 and X25519 on the crypto layer's curve code, and the chain key-derivation and message
 * encryption functions shared by the Double Ratchet and sender keys.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.e2e.internal;
