/**
 * End-to-end encryption between clients, sans-I/O: identities, pre-key bundles, X3DH, the Double
 * Ratchet, sender keys for the room, safety numbers, trust on first use and stores. The relay never
 * sees these keys; it carries the byte encodings defined here as opaque bytes.
 *
 * <p>Entry points for the network integration:
 * <ul>
 *   <li>{@link io.securecomm.e2e.FileProtocolStore#open} (or {@link io.securecomm.e2e.InMemoryProtocolStore})
 *       holds a client's identity, pre-keys, trusted peers and sessions;</li>
 *   <li>{@link io.securecomm.e2e.PreKeys#prepareUpload} / {@link io.securecomm.e2e.PreKeys#replenish}
 *       produce the {@link io.securecomm.e2e.PreKeyUpload} a client publishes; the relay hands out
 *       {@link io.securecomm.e2e.PreKeyBundle}s built with {@link io.securecomm.e2e.PreKeyUpload#bundle};</li>
 *   <li>{@link io.securecomm.e2e.SessionCipher} encrypts and decrypts private messages to one peer;</li>
 *   <li>{@link io.securecomm.e2e.GroupCipher} encrypts and decrypts room messages with sender keys;</li>
 *   <li>{@link io.securecomm.e2e.TrustStore} and {@link io.securecomm.e2e.SafetyNumber} let people verify
 *       peers and accept changed keys.</li>
 * </ul>
 * Every peer-caused failure is a specific subclass of {@link io.securecomm.e2e.E2eException}; a failed
 * message never changes session state. The design and every byte layout are in {@code docs/E2E.md}.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.e2e;
