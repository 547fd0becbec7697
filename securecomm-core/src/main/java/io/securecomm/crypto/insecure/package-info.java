/**
 * INSECURE, for teaching only: the original toy's small-prime Diffie-Hellman and repeating-key XOR cipher. Nothing
 * outside this package uses these by default; every type here documents exactly why it is broken.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.crypto.insecure;
