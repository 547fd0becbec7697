/**
 * INSECURE, for teaching: the client's variant of the legacy suite, {@link
 * io.securecomm.internal.client.insecure.LegacyChat}, which a client's pipeline gets only when its options ask for
 * {@code insecureLegacyCrypto}. The production session knows only the neutral {@link
 * io.securecomm.internal.client.ChatLayer}. Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.client.insecure;
