/**
 * Implementation details of {@code io.securecomm.crypto}, not exported: the curve arithmetic behind X25519, X448
 * and Ed25519, on raw RFC 7748 / RFC 8032 byte strings, and ML-KEM-1024 on FIPS 203 encodings
 * ({@link io.securecomm.crypto.internal.MlKem1024Engine}, Bouncy Castle's {@code org.bouncycastle.crypto.kems}).
 *
 * <p>{@link io.securecomm.crypto.internal.Curve25519} chooses who computes X25519 and Ed25519: Bouncy Castle's
 * lightweight {@code rfc7748}/{@code rfc8032} classes (the default, several times faster than the JDK 17
 * providers) or the JDK's own providers. No caller outside this package sees which, or any Bouncy Castle type;
 * Bouncy Castle is never registered as a JCA provider. X448 stays on the JDK.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.crypto.internal;
