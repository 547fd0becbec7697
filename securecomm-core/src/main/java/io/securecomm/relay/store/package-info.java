/**
 * The relay's storage: accounts (a nickname bound to an identity key), the pre-keys clients publish, and the
 * private messages queued for recipients who are offline. {@link io.securecomm.relay.store.RelayStore} is the
 * interface; {@link io.securecomm.relay.store.InMemoryRelayStore} keeps everything in memory (tests, embedding),
 * and the {@code securecomm-store-sqlite} module keeps it durably in an embedded SQLite database.
 *
 * <p>The store holds no secret: identity keys and pre-keys are public, and queued messages are end-to-end
 * ciphertext envelopes the relay cannot read. The store never interprets nicknames, keys, pre-key records or
 * envelopes: the caller computes the canonical form of a nickname (PROTOCOL.md) and passes opaque bytes.
 *
 * <p>Every operation returns a {@link java.util.concurrent.CompletionStage}: a durable store does disk I/O,
 * which must never run on a network event loop. A stage that changes data completes only once the change is
 * durable, as the implementation defines it; a stage fails with
 * {@link io.securecomm.relay.store.StoreException} when the store could not do the operation (nothing was
 * changed then), and the caller maps that to "not stored".
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.relay.store;
