/**
 * End-to-end encryption between clients: identities, pre-key bundles, X3DH, the Double Ratchet, sender keys for the room, safety numbers and trust stores. The relay never sees these keys.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.e2e;
