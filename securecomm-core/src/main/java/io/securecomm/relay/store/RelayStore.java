package io.securecomm.relay.store;

import java.util.concurrent.CompletionStage;

/**
 * Everything the relay keeps beyond a connection: {@linkplain #accounts() accounts},
 * {@linkplain #preKeys() published pre-keys} and {@linkplain #messages() queued messages}. Implementations:
 * {@link InMemoryRelayStore} (nothing survives the process) and, in {@code securecomm-store-sqlite},
 * {@code SqliteRelayStore} (an embedded SQLite database; "stored" means committed with {@code synchronous=FULL}
 * in WAL mode, so it survives a crash of the process and, on hardware that honours flushes, a power loss).
 *
 * <p><b>Threads.</b> Implementations are thread-safe. Every operation returns at once with a
 * {@link CompletionStage}; a relay's event loop may call them, and continues in the stage (with an
 * {@code ...Async} method and its own executor, since the thread a stage completes on is the
 * implementation's). Operations that change data take effect in the order they were called from one thread.
 *
 * <p><b>Failures.</b> A stage fails with {@link StoreException} when the store cannot do the operation: nothing
 * was changed, and a message whose enqueue failed is not stored. {@link #health()} says whether the last write
 * went through; a durable store retries by itself and {@link #whenHealthy()} completes once writes work again.
 */
public interface RelayStore extends AutoCloseable {
    /**
     * The accounts.
     *
     * @return the account store, valid until {@link #close()}
     */
    AccountStore accounts();

    /**
     * The published pre-keys.
     *
     * @return the pre-key store, valid until {@link #close()}
     */
    PublishedPreKeyStore preKeys();

    /**
     * The queued messages.
     *
     * @return the message queue store, valid until {@link #close()}
     */
    MessageQueueStore messages();

    /**
     * Whether the store is working now.
     *
     * @return healthy, or failing with the failure of the last write; failing with
     *     {@link StoreException.Reason#CLOSED} once closed
     */
    StoreHealth health();

    /**
     * Completes when the store is healthy: at once if it is, otherwise when a later write (an operation, or the
     * store's own retry) goes through.
     *
     * @return a stage that completes when healthy, or fails with {@link StoreException} (reason
     *     {@link StoreException.Reason#CLOSED}) if the store is closed first
     */
    CompletionStage<Void> whenHealthy();

    /**
     * Closes the store: operations already called complete (durably) first; later ones fail with
     * {@link StoreException} (reason {@link StoreException.Reason#CLOSED}). Blocks until done; idempotent.
     */
    @Override
    void close();
}
