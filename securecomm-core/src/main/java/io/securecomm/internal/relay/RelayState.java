package io.securecomm.internal.relay;

import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What every connection of one relay shares: the options, the clock and the deadlines on it that belong to no one
 * connection, the registry of admitted clients, the published pre-keys, the per-recipient limit on session-starting
 * envelopes, the cost model, and whether the relay is shutting down. The {@link RelaySession}s of all connections
 * work against one instance.
 *
 * <p>Thread-safe and lock-free: the registry and the directory are built on concurrent maps, the shutdown flag
 * is volatile, the deadlines are a concurrent map.
 *
 * @param <C> the adapter's handle of a connection (the Netty adapter's {@code Channel})
 */
public final class RelayState<C> {
    /** How often the relay deletes expired stored messages from its store. */
    public static final Duration PURGE_PERIOD = Duration.ofMinutes(5);
    private static final System.Logger LOG = System.getLogger("io.securecomm.relay");
    private final RelayOptions options;
    private final Clock clock;
    private final ClientRegistry<RelaySession<C>> registry;
    private final PublicRoom<RelaySession<C>> room;
    private final PreKeyDirectory preKeys;
    private final SessionStarts sessionStarts;
    private final CostModel costs;
    private final RelayMeter meter;
    private final RelayStore store;
    private final RelayCluster cluster;
    private final AccountNames accountNames;
    private final OfflineBundles offlineBundles;
    private final RelayDeadlines deadlines = new RelayDeadlines();
    private volatile boolean shuttingDown;

    /**
     * Creates the state of a relay that has no clients yet.
     *
     * @param options the configuration
     * @param clock the time of every deadline the sessions keep, and of the bounds on pre-key bundle requests (and of
     *     the in-memory store made when the options name none)
     * @throws IllegalStateException if the store's accounts cannot be read (within 30 s)
     */
    public RelayState(RelayOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cluster = options.cluster().orElseGet(RelayCluster::standalone);
        this.registry = new ClientRegistry<>(options.maxClients(), cluster::nextClientId);
        this.room = new PublicRoom<>(options.maxRoomMembers());
        this.preKeys = new PreKeyDirectory(clock);
        this.sessionStarts = new SessionStarts(clock);
        this.costs = new CostModel(room, preKeys);
        this.store = options.store().orElseGet(() -> new InMemoryRelayStore(clock, StoreLimits.defaults()));
        List<Account> accounts;
        try {
            accounts = store.accounts().list().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the relay store's accounts", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the relay store's accounts: " + e.getMessage(), e);
        }
        this.accountNames = new AccountNames(accounts.stream().map(Account::nickname).toList());
        this.offlineBundles = new OfflineBundles(clock);
        this.meter = options.meter() == RelayMeter.NONE ? RelayMeter.NONE : new Guarded(options.meter());
        purgeLater();
    }

    /**
     * Deletes the store's expired messages every {@link #PURGE_PERIOD} of {@link #clock()}, on {@link #deadlines()}:
     * they are never delivered, and deleting them frees their space. A purge that fails is logged and tried again at
     * the next period.
     */
    private void purgeLater() {
        deadlines.schedule(clock.instant().plus(PURGE_PERIOD), () -> {
            try {
                store.messages().purgeExpired().whenComplete((deleted, failure) -> {
                    if (failure != null) {
                        LOG.log(System.Logger.Level.WARNING, "cannot purge expired stored messages", failure);
                    }
                });
            } catch (RuntimeException failure) {
                LOG.log(System.Logger.Level.WARNING, "cannot purge expired stored messages", failure);
            }
            purgeLater();
        });
    }

    /**
     * The store of accounts, published pre-keys and stored messages.
     *
     * @return the options' store, or the in-memory one made for this relay
     */
    public RelayStore store() {
        return store;
    }

    /**
     * The cluster this relay is a node of: the clients on other nodes, and the routes to them
     * ({@link RelayCluster#standalone()} for a relay on its own).
     *
     * @return the options' cluster, or the standalone one made for this relay
     */
    public RelayCluster cluster() {
        return cluster;
    }

    AccountNames accountNames() {
        return accountNames;
    }

    OfflineBundles offlineBundles() {
        return offlineBundles;
    }

    /**
     * The operator's meter, guarded: an exception it throws is ignored, as {@link RelayMeter} documents.
     *
     * @return the options' meter, or {@link RelayMeter#NONE} (the same instance) if it has none
     */
    public RelayMeter meter() {
        return meter;
    }

    /**
     * The configuration.
     *
     * @return the options
     */
    public RelayOptions options() {
        return options;
    }

    /**
     * The operator's listener, to which the adapters hand the sessions' {@link RelayAction.Report}s.
     *
     * @return the listener of the options
     */
    public RelayListener listener() {
        return options.listener();
    }

    /**
     * The clock of every session's deadlines.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The relay's deadlines that belong to no one connection (every cluster call's), on {@link #clock()}; the
     * adapter drives them as it drives each session's.
     *
     * @return the deadlines
     */
    public RelayDeadlines deadlines() {
        return deadlines;
    }

    /**
     * The admitted clients, each with its session.
     *
     * @return the registry
     */
    public ClientRegistry<RelaySession<C>> registry() {
        return registry;
    }

    /**
     * The public room: which admitted clients are its members.
     *
     * @return the room
     */
    public PublicRoom<RelaySession<C>> room() {
        return room;
    }

    /**
     * The published pre-keys of the online clients.
     *
     * @return the directory
     */
    public PreKeyDirectory preKeys() {
        return preKeys;
    }

    /**
     * The per-recipient limit on session-starting envelopes.
     *
     * @return the limiter
     */
    public SessionStarts sessionStarts() {
        return sessionStarts;
    }

    /**
     * What each message a client sends costs the relay, before it does the work (docs/SECURITY.md, "Cost model").
     *
     * @return the cost model
     */
    public CostModel costs() {
        return costs;
    }

    /**
     * Whether the relay is shutting down: it accepts no new work, and sends no departure notices.
     *
     * @return {@code true} once {@link #beginShutdown()} was called
     */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Marks the relay as shutting down; each session is then told so with {@link RelaySession#handleShutdown()}. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    /** Calls a meter, ignoring what it throws: a bug in an operator's meter must not break a connection. */
    private static final class Guarded implements RelayMeter {
        private final RelayMeter meter;

        Guarded(RelayMeter meter) {
            this.meter = meter;
        }

        private static void guard(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException ignored) {
                // as RelayMeter documents
            }
        }

        @Override
        public void connectionOpened() {
            guard(meter::connectionOpened);
        }

        @Override
        public void connectionClosed() {
            guard(meter::connectionClosed);
        }

        @Override
        public void connectionRefused(ConnectionRefusal reason) {
            guard(() -> meter.connectionRefused(reason));
        }

        @Override
        public void handshakeEnded(HandshakeResult result, Duration duration) {
            guard(() -> meter.handshakeEnded(result, duration));
        }

        @Override
        public void clientAdmitted() {
            guard(meter::clientAdmitted);
        }

        @Override
        public void clientRefused(AdmissionRefusal reason) {
            guard(() -> meter.clientRefused(reason));
        }

        @Override
        public void clientDeparted(DepartureReason reason) {
            guard(() -> meter.clientDeparted(reason));
        }

        @Override
        public void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {
            guard(() -> meter.messageForwarded(kind, result, latency));
        }

        @Override
        public void limitDisconnected(LimitDisconnect limit) {
            guard(() -> meter.limitDisconnected(limit));
        }

        @Override
        public void bytesRead(long bytes) {
            try {
                meter.bytesRead(bytes);
            } catch (RuntimeException ignored) {
                // as RelayMeter documents; no lambda on the hottest path
            }
        }

        @Override
        public void bytesWritten(long bytes) {
            try {
                meter.bytesWritten(bytes);
            } catch (RuntimeException ignored) {
                // as RelayMeter documents
            }
        }
    }
}
