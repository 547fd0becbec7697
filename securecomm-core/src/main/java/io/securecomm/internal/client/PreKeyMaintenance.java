package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.UploadPreKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps this client's pre-keys published at the relay: the first upload when the relay welcomes it, a top-up of the
 * one-time pre-keys when the relay reports few left, and the rotation of the signed pre-keys when due, since a client
 * may stay connected for longer than the rotation period. {@link PreKeys} decides what to publish; this class sends
 * it, one replenishment at a time, and reports a failure no application future waits for.
 *
 * <p>Sans I/O, time from the client's {@link Clock}. Not thread-safe: confined to the client's thread.
 */
final class PreKeyMaintenance {
    /**
     * How often a connected client checks whether its signed pre-key is due for rotation; {@link PreKeys} decides,
     * with the options' clock, so this only bounds how late a rotation can be.
     */
    static final Duration SIGNED_PRE_KEY_CHECK_PERIOD = Duration.ofMinutes(60);

    private final ProtocolStore store;
    private final Requests requests;
    private final Clock clock;
    private final SecureRandom random;
    private final Consumer<ClientEvent> events;
    private boolean replenishing;
    private Instant nextSignedPreKeyCheck;

    PreKeyMaintenance(ProtocolStore store, Requests requests, Clock clock, SecureRandom random,
            Consumer<ClientEvent> events) {
        this.store = store;
        this.requests = requests;
        this.clock = clock;
        this.random = random;
        this.events = events;
    }

    /**
     * Publishes the signed keys and a fresh batch of one-time curve and ML-KEM pre-keys, in the uploads
     * {@link PreKeys} splits them into (two, each within the relay's default frame). The relay answers in order, so
     * the first upload is in place before any bundle request this client's welcome lets others send is answered.
     *
     * @return completed once the relay accepted every upload; failed on a refusal
     */
    CompletableFuture<Void> publish() {
        // Counts the relay reports before the last of these uploads is in count only the first ones (a request that
        // waited for this client's first upload is answered by it): no replenishing until all are in.
        replenishing = true;
        return upload(PreKeys.prepareUploads(store, PreKeys.TARGET_ONE_TIME_PRE_KEYS,
                PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS, clock, random), "pre-key upload")
                .whenComplete((v, e) -> replenishing = false);
    }

    /** Connected: the signed pre-keys are checked once per {@link #SIGNED_PRE_KEY_CHECK_PERIOD} from now on. */
    void connected() {
        nextSignedPreKeyCheck = clock.instant().plus(SIGNED_PRE_KEY_CHECK_PERIOD);
    }

    /**
     * The relay handed out one of this client's bundles and says how many one-time pre-keys of each kind are left:
     * below a watermark, the client tops both kinds up (one upload in the usual case; at most one replenishment at a
     * time).
     *
     * @param count the relay's count
     */
    void count(PreKeyCount count) {
        if (replenishing || !PreKeys.needsReplenish(count.remaining(), count.remainingKem())) {
            return;
        }
        replenishing = true;
        List<PreKeyUpload> uploads = PreKeys.replenish(store, count.remaining(), count.remainingKem(), clock, random);
        reportFailure(upload(uploads, "pre-key upload").whenComplete((v, e) -> replenishing = false),
                "the pre-key upload failed: ");
    }

    /**
     * When the next check of the signed pre-keys is due.
     *
     * @return the time, or empty before the client is connected
     */
    Optional<Instant> pollTimeout() {
        return Optional.ofNullable(nextSignedPreKeyCheck);
    }

    /**
     * Rotates the signed curve pre-key and the last-resort KEM pre-key if the check is due and either is (and deletes
     * replaced ones past their grace period), publishing them.
     *
     * @param now the client's time
     */
    void handleTimeout(Instant now) {
        if (nextSignedPreKeyCheck != null && !now.isBefore(nextSignedPreKeyCheck)) {
            nextSignedPreKeyCheck = now.plus(SIGNED_PRE_KEY_CHECK_PERIOD);
            PreKeys.rotateSignedPreKeysIfDue(store, clock, random).ifPresent(upload -> reportFailure(
                    upload(List.of(upload), "signed pre-key upload"), "the signed pre-key upload failed: "));
        }
    }

    /** Whether a replenishment (or the first publication) is under way, for tests. */
    boolean replenishing() {
        return replenishing;
    }

    /** Sends the uploads one after the other (pipelined); completes when the relay accepted all, fails on a refusal. */
    private CompletableFuture<Void> upload(List<PreKeyUpload> uploads, String what) {
        List<CompletableFuture<Void>> deliveries = new ArrayList<>();
        for (PreKeyUpload u : uploads) {
            byte[] encoded = u.encode();
            deliveries.add(requests.delivery(id -> new UploadPreKeys(id, encoded), what, null).thenApply(s -> null));
        }
        return CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new));
    }

    /** Reports the failure of work no application future waits for. */
    private void reportFailure(CompletableFuture<?> work, String what) {
        work.whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = ClientErrors.unwrap(e);
                ChatClientException error = cause instanceof ChatClientException c ? c
                        : new MessageRejectedException(MessageRejectedException.Reason.END_TO_END_FAILURE,
                                what + cause.getMessage(), cause);
                events.accept(new ClientEvent.Error(error));
            }
        });
    }
}
