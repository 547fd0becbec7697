package io.securecomm.internal.relay;

import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import java.time.Clock;
import java.util.Objects;

/**
 * What every connection of one relay shares: the options, the clock, the registry of admitted clients, the
 * published pre-keys, the per-recipient limit on session-starting envelopes, the cost model, and whether the relay
 * is shutting down. The {@link RelaySession}s of all connections work
 * against one instance.
 *
 * <p>Thread-safe and lock-free: the registry and the directory are built on concurrent maps, the shutdown flag
 * is volatile.
 *
 * @param <C> the adapter's handle of a connection (the Netty adapter's {@code Channel})
 */
public final class RelayState<C> {
    private final RelayOptions options;
    private final Clock clock;
    private final ClientRegistry<RelaySession<C>> registry;
    private final PublicRoom<RelaySession<C>> room;
    private final PreKeyDirectory preKeys;
    private final SessionStarts sessionStarts;
    private final CostModel costs;
    private volatile boolean shuttingDown;

    /**
     * Creates the state of a relay that has no clients yet.
     *
     * @param options the configuration
     * @param clock the time of every deadline the sessions keep, and of the bounds on pre-key bundle requests
     */
    public RelayState(RelayOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = new ClientRegistry<>(options.maxClients());
        this.room = new PublicRoom<>(options.maxRoomMembers());
        this.preKeys = new PreKeyDirectory(clock);
        this.sessionStarts = new SessionStarts(clock);
        this.costs = new CostModel(room, preKeys);
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
}
