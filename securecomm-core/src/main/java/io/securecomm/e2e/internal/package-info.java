/**
 * Implementation details of {@code io.securecomm.e2e}, not exported: the byte writer and raw-key Ed25519 on the
 * crypto layer's curve code. It imports nothing from {@code io.securecomm.e2e}: the helpers that throw that
 * package's exceptions (the byte reader, raw-key X25519, and the chain key-derivation and message encryption
 * shared by the Double Ratchet and sender keys) are package-private classes of {@code io.securecomm.e2e} itself.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.e2e.internal;
