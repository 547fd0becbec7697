/**
 * Implementation details of {@code io.securecomm.noise}, not exported: the handshake pattern table as data
 * with the spec's token names. It imports nothing from {@code io.securecomm.noise}.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.noise.internal;
