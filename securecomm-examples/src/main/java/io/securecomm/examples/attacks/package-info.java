/**
 * The teaching attacks of {@code securecomm attack ...}: known-plaintext recovery of a repeating XOR key,
 * baby-step giant-step on the toy's 32-bit Diffie-Hellman group, and a man in the middle; plus the loopback
 * proxy they run in. Each works against the INSECURE legacy suite and fails against the default one.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.examples.attacks;
