/**
 * Small programs written the way securecomm-core's Javadoc teaches, compiled and run by the build so that they stay
 * true: an echo bot on an embedded relay ({@link io.securecomm.examples.library.EchoBot}, the README's), a key from a
 * shared secret to an AEAD ({@link io.securecomm.examples.library.SharedSecretToAead}), and error handling with
 * reasons ({@link io.securecomm.examples.library.ErrorHandling}).
 */
package io.securecomm.examples.library;
