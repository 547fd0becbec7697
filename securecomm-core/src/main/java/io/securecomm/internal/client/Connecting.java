package io.securecomm.internal.client;

import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.Session;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Message;
import io.securecomm.wire.Welcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to connect, from {@code connect()} to the first list, and what it gathers on the way: the deadline of
 * the handshake and the welcome, the relay's key as the handshake authenticated it with the trust store's decision,
 * the welcome, and the chat that arrives before the first list (held for it: its senders are not known yet).
 *
 * <p>Not thread-safe: confined to the client's thread.
 */
final class Connecting {
    /** How many chat messages that arrive between the welcome and the first list are held for it. */
    static final int MAX_EARLY_MESSAGES = Limits.CLIENT_LIST_MAX_ENTRIES * 4;

    private final CompletableFuture<Session> result;
    private final List<Message> early = new ArrayList<>();
    private Instant deadline;
    private byte[] relayKey;
    private RelayKeyDecision trust;
    private Welcome welcome;

    /** @param result the future {@code connect()} returned */
    Connecting(CompletableFuture<Session> result) {
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The future {@code connect()} returned. */
    CompletableFuture<Session> result() {
        return result;
    }

    /** The transport is up: the handshake and the welcome must complete by {@code deadline}. */
    void transportUp(Instant deadline) {
        this.deadline = deadline;
    }

    /** When the attempt fails unless it is connected by then; empty before the transport is up, and once done. */
    Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** Whether the deadline has passed. */
    boolean expired(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    /**
     * The handshake completed.
     *
     * @return {@code true} the first time, when the client says hello; {@code false} after
     */
    boolean established(byte[] relayKey, RelayKeyDecision trust) {
        if (this.relayKey != null) {
            return false;
        }
        this.relayKey = relayKey.clone();
        this.trust = Objects.requireNonNull(trust, "trust");
        return true;
    }

    /**
     * The relay welcomed this client.
     *
     * @return {@code true} the first time; {@code false} for a second welcome, which is ignored
     */
    boolean welcomed(Welcome w) {
        if (welcome != null) {
            return false;
        }
        welcome = w;
        return true;
    }

    /** Holds chat that arrived before the first list, up to {@link #MAX_EARLY_MESSAGES}; more is dropped. */
    void hold(Message chat) {
        if (early.size() < MAX_EARLY_MESSAGES) {
            early.add(chat);
        }
    }

    /**
     * The first list arrived: the attempt is done.
     *
     * @return the session the connect future completes with
     */
    Session connected() {
        deadline = null;
        return new Session(welcome.clientId(), welcome.nickname(), welcome.serverInfo(), relayKey, trust);
    }

    /** Takes the chat held for the first list, in the order it came. */
    List<Message> takeHeld() {
        List<Message> held = List.copyOf(early);
        early.clear();
        return held;
    }

    /** The attempt ended (connected or failed): nothing is held and no deadline runs. */
    void end() {
        deadline = null;
        early.clear();
    }
}
