/**
 * Crypto building blocks on the JDK's JCA: key agreement, keystream ciphers, AEADs, HKDF and fingerprints. Nothing here is a home-made primitive; everything composes JCA algorithms as the cited RFCs specify.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.crypto;
