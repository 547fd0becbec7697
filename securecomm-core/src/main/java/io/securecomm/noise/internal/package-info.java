/**
 * Implementation details of {@code io.securecomm.noise}, not exported: the handshake pattern table as data
 * with the spec's token names, and Noise's HKDF over {@code HMAC-HASH}.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.noise.internal;
