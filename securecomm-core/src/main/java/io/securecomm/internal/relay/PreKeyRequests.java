package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.KemPreKeyKind;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.PreKeyHandout;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.UploadPreKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One session's pre-key traffic: its client's uploads (kept in the {@link PreKeyDirectory} while online, and in the
 * store for its account), and its client's requests for others' bundles, by client id or by account, within the
 * directory's bounds ({@link PreKeyDirectory}, {@link OfflineBundles}). A bundle of an owner online comes from its
 * directory entry, of an account offline from the store; in a cluster, a bundle of an account's holder comes from the
 * store wherever the holder is connected, so that the nodes never hand out one one-time pre-key twice. A client just
 * admitted publishes its pre-keys right after its Welcome, but the others learn of it (Joined) at the Welcome: a
 * request in between waits for the upload, up to the handshake timeout.
 *
 * <p>Threads: confined to the requesting session's connection thread; the directory's answers and the store's come
 * back through its executor, each at most once.
 *
 * @param <C> the adapter's handle of a connection
 */
final class PreKeyRequests<C> {
    /** How often a bundle of a client on another node is asked of the store again while it has none yet. */
    static final Duration STORE_RETRY = Duration.ofMillis(200);

    private final RelayState<C> relay;
    private final RelaySession<C> session;
    private final SessionOutput<C> out;
    private final Executor thread;
    /** The requests waiting for their owner's first upload, in deadline order. */
    private final LinkedHashSet<BundleWait> waits = new LinkedHashSet<>();

    PreKeyRequests(RelayState<C> relay, RelaySession<C> session, SessionOutput<C> out, Executor thread) {
        this.relay = relay;
        this.session = session;
        this.out = out;
        this.thread = thread;
    }

    /** The client's own pre-keys, for the directory and, for an account, the store. */
    void upload(UploadPreKeys upload) {
        try {
            relay.preKeys().upload(session.member().clientId(), session.identityKey(), upload.preKeys());
            out.send(new Delivered(upload.requestId()));
            String account = session.account();
            if (account != null) {
                // Kept in the store too, so that others can start sessions with this client while it is offline.
                // Best effort: if the store fails now, bundles of this client come from memory while it is online.
                relay.store().preKeys().publish(account, StoredRecords.records(
                        PreKeyUpload.decodeWithoutVerifyingSignatures(upload.preKeys())));
            }
        } catch (E2eException e) {
            out.send(new ErrorReply(upload.requestId(), ErrorCode.INVALID_PRE_KEYS,
                    SessionOutput.clip("pre-keys refused: " + e.getMessage())));
        }
    }

    /** Hands out one bundle of an online client's pre-keys, by its id. */
    void request(PreKeyBundleRequest request) {
        request(request, null);
    }

    /** @param byAccount the nickname a {@link AccountBundleRequest} named, or null for a bundle request by id */
    private void request(PreKeyBundleRequest request, String byAccount) {
        Optional<Member<RelaySession<C>>> owner = relay.registry().byId(request.clientId());
        Instant deadline = relay.clock().instant().plus(relay.options().handshakeTimeout());
        if (owner.isEmpty() && byAccount == null) {
            Optional<ClientPresence> elsewhere = relay.cluster().findById(request.clientId());
            if (elsewhere.isPresent()) {
                fromStore(request, elsewhere.get().canonicalNickname(), deadline, bundle ->
                        new PreKeyBundleResponse(request.requestId(), request.clientId(), bundle.encode()));
                return;
            }
        }
        if (owner.isEmpty()) {
            out.send(new ErrorReply(request.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + request.clientId() + " is online"));
            return;
        }
        Optional<String> withoutPreKeys = owner.get().session().extension().withoutPreKeys();
        if (withoutPreKeys.isPresent()) {
            out.send(new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS,
                    "client " + request.clientId() + " " + withoutPreKeys.get()));
            return;
        }
        RelaySession<C> holder = owner.get().session();
        if (relay.options().cluster().isPresent() && holder.account() != null) {
            // In a cluster the store is the one place an account's one-time pre-keys are handed out from, for
            // requests on every node: see fromStore.
            fromStore(request, holder.account(), deadline, bundle -> byAccount == null
                    ? new PreKeyBundleResponse(request.requestId(), request.clientId(), bundle.encode())
                    : new AccountBundle(request.requestId(), holder.member().nickname(), holder.identityKey(),
                            bundle.encode()));
            return;
        }
        BundleWait wait = new BundleWait(request, holder, deadline, byAccount);
        Optional<PreKeyDirectory.Handout> now = relay.preKeys().takeBundleOrWait(session.member().clientId(),
                request.clientId(), wait);
        if (now.isPresent()) {
            wait.answered.set(true);
            arrived(wait, now.get());
        } else if (!wait.answered.get()) {
            waits.add(wait);
        }
    }

    /** A bundle of an account's holder: from its connection while online, from the store while offline. */
    void requestByAccount(AccountBundleRequest request) {
        String target = Nickname.canonical(request.nickname());
        Optional<Member<RelaySession<C>>> online = relay.registry().byNickname(target);
        if (online.isPresent()) {
            request(new PreKeyBundleRequest(request.requestId(), online.get().clientId()), target);
            return;
        }
        Optional<Set<PreKeyKind>> kinds = relay.offlineBundles().admit(Nickname.canonical(session.member().nickname()),
                target);
        if (kinds.isEmpty()) {
            out.send(new ErrorReply(request.requestId(), ErrorCode.RATE_LIMITED, SessionOutput.clip("asked for the"
                    + " pre-key bundles of '" + target + "' too often: at most "
                    + PreKeyDirectory.MAX_BUNDLES_PER_REQUESTER_AND_TARGET + " per "
                    + PreKeyDirectory.BUNDLE_REQUEST_WINDOW.toMinutes() + " minutes")));
            return;
        }
        relay.store().accounts().find(target).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : relay.store().preKeys().take(target, kinds.get()).thenApply(h -> Map.entry(found.get(), h)))
                .whenComplete((found, error) -> thread.execute(() -> {
                    if (error != null) {
                        out.send(new ErrorReply(request.requestId(), ErrorCode.INTERNAL_ERROR, SessionOutput.clip(
                                "the relay could not read the pre-keys of '" + target + "' from its store; try again"
                                        + " later")));
                    } else if (found == null || found.getValue().isEmpty()) {
                        out.send(new ErrorReply(request.requestId(), ErrorCode.UNKNOWN_RECIPIENT, SessionOutput.clip(
                                "no account is registered as '" + request.nickname() + "'")));
                    } else {
                        offlineBundle(request, found.getKey(), found.getValue().get());
                        tellHolder(target, found.getValue().get()); // a holder online on another node
                    }
                }));
    }

    /**
     * A bundle of an account's holder online in a cluster, on this node or another, from the store, which holds
     * every account's published pre-keys: with one-time pre-keys within {@link OfflineBundles}' bounds. In a cluster
     * the store hands out every one of them, for requests on any node, and it takes each atomically: no two nodes
     * can hand out the same one, which a node handing them out from its memory could (docs/CLUSTER.md). The holder's
     * node publishes them right after its welcome, so a request that finds none yet is asked again every
     * {@link #STORE_RETRY} until {@code deadline}, as a request in a relay of one node waits for the upload. The
     * holder is told how many one-time pre-keys it has left, as after a hand-out from memory.
     *
     * @param answer the answer that carries a bundle ({@code PreKeyBundleResponse} or {@code AccountBundle})
     */
    private void fromStore(PreKeyBundleRequest request, String target, Instant deadline,
            Function<PreKeyBundle, Message> answer) {
        Optional<Set<PreKeyKind>> kinds = relay.offlineBundles().admit(Nickname.canonical(session.member().nickname()),
                target);
        if (kinds.isEmpty()) {
            out.send(new ErrorReply(request.requestId(), ErrorCode.RATE_LIMITED, SessionOutput.clip("asked for the"
                    + " pre-key bundles of client " + request.clientId() + " too often")));
            return;
        }
        takeFromStore(request, target, kinds.get(), deadline, answer);
    }

    private void takeFromStore(PreKeyBundleRequest request, String target, Set<PreKeyKind> kinds, Instant deadline,
            Function<PreKeyBundle, Message> answer) {
        relay.store().preKeys().take(target, kinds).whenComplete((handout, error) -> thread.execute(() -> {
            Optional<PreKeyBundle> bundle = Optional.empty();
            if (error == null && handout.isPresent()) {
                try {
                    bundle = StoredRecords.bundle(handout.get());
                } catch (E2eException | IllegalArgumentException e) {
                    bundle = Optional.empty();
                }
            }
            boolean online = relay.registry().byId(request.clientId()).isPresent()
                    || relay.cluster().findById(request.clientId()).isPresent();
            if (bundle.isPresent()) {
                out.send(answer.apply(bundle.get()));
                tellHolder(target, handout.get());
            } else if (!online) {
                out.send(new ErrorReply(request.requestId(), ErrorCode.RECIPIENT_GONE,
                        "client " + request.clientId() + " left before publishing pre-keys"));
            } else if (error == null && relay.clock().instant().isBefore(deadline) && !session.closing()) {
                CompletableFuture.delayedExecutor(STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                        thread.execute(() -> takeFromStore(request, target, kinds, deadline, answer)));
            } else {
                out.send(new ErrorReply(request.requestId(), error != null ? ErrorCode.INTERNAL_ERROR
                        : ErrorCode.NO_PRE_KEYS, "client " + request.clientId() + " has not published pre-keys"));
            }
        }));
    }

    /**
     * After a hand-out from the store that took one-time pre-keys of an account whose holder is online: tells the
     * holder how many it has left, so that it replenishes in time, on this node directly and on another node through
     * the cluster (best effort: a count that is lost is corrected by the next).
     */
    private void tellHolder(String account, PreKeyHandout handout) {
        if (handout.record(PreKeyKind.ONE_TIME).isEmpty() && handout.record(PreKeyKind.ONE_TIME_KEM).isEmpty()) {
            return;
        }
        PreKeyCount count = new PreKeyCount(Math.min(0xFFFF, handout.remaining().count(PreKeyKind.ONE_TIME)),
                Math.min(0xFFFF, handout.remaining().count(PreKeyKind.ONE_TIME_KEM)));
        Optional<Member<RelaySession<C>>> here = relay.registry().byNickname(account);
        if (here.isPresent()) {
            out.announce(List.of(here.get().session()), count);
            return;
        }
        relay.cluster().findByNickname(account).ifPresent(holder -> ClusterCalls.route(relay, holder.nodeId(),
                new RoutedMessage(relay.cluster().nodeId(), session.member().clientId(),
                        new int[] {holder.clientId()}, "", 0, MessageCodec.encode(count))));
    }

    private void offlineBundle(AccountBundleRequest request, Account owner, PreKeyHandout handout) {
        Optional<PreKeyBundle> bundle;
        try {
            bundle = StoredRecords.bundle(handout);
        } catch (E2eException | IllegalArgumentException e) {
            bundle = Optional.empty();
        }
        if (bundle.isEmpty()) {
            out.send(new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS, SessionOutput.clip("'"
                    + owner.nickname() + "' is offline and has published no pre-keys this relay keeps")));
            return;
        }
        out.send(new AccountBundle(request.requestId(), owner.nickname(), owner.identityKey(),
                bundle.get().encode()));
    }

    /** When the first waiting request is due, or {@code null}. */
    Instant nextDeadline() {
        return waits.isEmpty() ? null : waits.iterator().next().deadline;
    }

    /** Answers the requests that waited too long at {@code now}. */
    void handleTimeout(Instant now) {
        List<BundleWait> expired = new ArrayList<>();
        for (BundleWait wait : waits) {
            if (now.isBefore(wait.deadline)) {
                break; // the waits are in deadline order
            }
            expired.add(wait);
        }
        for (BundleWait wait : expired) {
            waits.remove(wait);
            if (relay.preKeys().cancel(wait.request.clientId(), wait) && wait.answered.compareAndSet(false, true)) {
                gone(wait);
            }
        }
    }

    /** The connection closed: its waiting requests are withdrawn from the directory. */
    void cancelAll() {
        for (BundleWait wait : waits) {
            relay.preKeys().cancel(wait.request.clientId(), wait);
        }
        waits.clear();
    }

    private void arrived(BundleWait wait, PreKeyDirectory.Handout handout) {
        waits.remove(wait);
        PreKeyBundle bundle = handout.bundle();
        if (wait.byAccount == null) {
            out.send(new PreKeyBundleResponse(wait.request.requestId(), wait.request.clientId(), bundle.encode()));
        } else {
            out.send(new AccountBundle(wait.request.requestId(), wait.owner.member().nickname(),
                    wait.owner.identityKey(), bundle.encode()));
        }
        String ownerAccount = wait.owner.account();
        if (ownerAccount != null) {
            // Handed out from memory: withdrawn from the store, which must never hand it out again.
            bundle.oneTime().ifPresent(k -> relay.store().preKeys().withdraw(ownerAccount, PreKeyKind.ONE_TIME,
                    List.of(k.id())));
            if (bundle.kemPreKey().kind() == KemPreKeyKind.ONE_TIME) {
                relay.store().preKeys().withdraw(ownerAccount, PreKeyKind.ONE_TIME_KEM,
                        List.of(bundle.kemPreKey().id()));
            }
        }
        // Tell the owner how many one-time pre-keys are left, so it replenishes in time.
        out.announce(List.of(wait.owner), new PreKeyCount(Math.min(0xFFFF, handout.remaining().oneTime()),
                Math.min(0xFFFF, handout.remaining().oneTimeKem())));
    }

    /** The requester asked for this owner's bundles too often (PreKeyDirectory's bound): a clear refusal. */
    private void refused(BundleWait wait, String reason) {
        waits.remove(wait);
        out.send(new ErrorReply(wait.request.requestId(), ErrorCode.RATE_LIMITED, SessionOutput.clip(reason)));
    }

    private void gone(BundleWait wait) {
        waits.remove(wait);
        int ownerId = wait.request.clientId();
        out.send(relay.registry().byId(ownerId).isEmpty()
                ? new ErrorReply(wait.request.requestId(), ErrorCode.RECIPIENT_GONE,
                        "client " + ownerId + " left before publishing pre-keys")
                : new ErrorReply(wait.request.requestId(), ErrorCode.NO_PRE_KEYS,
                        "client " + ownerId + " has not published pre-keys"));
    }

    /**
     * A bundle request waiting for its owner's first upload. The directory answers it on the uploading or the
     * departing client's thread; the answer comes to this session through its executor, at most once.
     */
    private final class BundleWait implements PreKeyDirectory.Waiter {
        final PreKeyBundleRequest request;
        final RelaySession<C> owner;
        final Instant deadline;
        final String byAccount;
        final AtomicBoolean answered = new AtomicBoolean();

        BundleWait(PreKeyBundleRequest request, RelaySession<C> owner, Instant deadline, String byAccount) {
            this.request = request;
            this.owner = owner;
            this.deadline = deadline;
            this.byAccount = byAccount;
        }

        @Override
        public void bundle(PreKeyDirectory.Handout handout) {
            if (answered.compareAndSet(false, true)) {
                thread.execute(() -> arrived(this, handout));
            }
        }

        @Override
        public void gone() {
            if (answered.compareAndSet(false, true)) {
                thread.execute(() -> PreKeyRequests.this.gone(this));
            }
        }

        @Override
        public void refused(String reason) {
            if (answered.compareAndSet(false, true)) {
                thread.execute(() -> PreKeyRequests.this.refused(this, reason));
            }
        }
    }
}
