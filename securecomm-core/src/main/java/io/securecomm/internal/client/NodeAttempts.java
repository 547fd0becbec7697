package io.securecomm.internal.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The order in which one connect tries a relay's nodes: each node in the order the options give, and each address its
 * name resolves to in turn. Sans I/O: the adapter asks {@link #next()} for the address to connect to and reports each
 * failure to {@link #failed}; resolution goes through an injected {@link Resolver}. Once no address is left,
 * {@link #why()} and {@link #failure()} say what to report: the last failure, with the earlier ones suppressed in it,
 * so that a relay of one node reports exactly what its one attempt met.
 *
 * <p>Only failures to reach a node move on to the next one. What a node that answers decides (its key, the handshake,
 * the nickname, a full relay) belongs to the session and ends the connect there: a node presenting the wrong key is
 * not a reason to go looking for one that presents another.
 *
 * <p>Not thread-safe: the adapter calls it from its connection's event loop only.
 */
public final class NodeAttempts {
    /** Resolves a node's host name to its addresses; {@link InetAddress#getAllByName} in production. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * Resolves a host name or IP literal.
         *
         * @param host the name
         * @return its addresses, at least one
         * @throws UnknownHostException if it does not resolve
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The resolver of the platform: every address {@link InetAddress#getAllByName} gives, in its order. */
    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private final Deque<InetSocketAddress> nodes;
    private final Deque<InetSocketAddress> addresses = new ArrayDeque<>();
    private final Resolver resolver;
    private Unreachable why;
    private Throwable failure;

    /**
     * Plans the attempts of one connect.
     *
     * @param nodes the relay's nodes, unresolved, in order; at least one
     * @param resolver resolves each node's name when its turn comes
     * @throws IllegalArgumentException if there are no nodes
     */
    public NodeAttempts(List<InetSocketAddress> nodes, Resolver resolver) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a relay has at least one node");
        }
        this.nodes = new ArrayDeque<>(nodes);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The next address to connect to, resolving the next node's name when the previous node's addresses are used up.
     * A name that does not resolve counts as that node's failure ({@link Unreachable#UNKNOWN_HOST}).
     *
     * @return the address, resolved, or empty when every node was tried
     */
    public Optional<InetSocketAddress> next() {
        while (addresses.isEmpty() && !nodes.isEmpty()) {
            InetSocketAddress node = nodes.removeFirst();
            try {
                for (InetAddress address : resolver.resolve(node.getHostString())) {
                    addresses.addLast(new InetSocketAddress(address, node.getPort()));
                }
            } catch (UnknownHostException e) {
                failed(Unreachable.UNKNOWN_HOST, e);
            }
        }
        return Optional.ofNullable(addresses.pollFirst());
    }

    /**
     * The address {@link #next()} gave could not be reached.
     *
     * @param reason the failure, classified
     * @param cause the transport's exception
     */
    public void failed(Unreachable reason, Throwable cause) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        if (failure != null && failure != cause) {
            cause.addSuppressed(failure);
        }
        why = reason;
        failure = cause;
    }

    /**
     * How the last failure was classified, to report once {@link #next()} is empty.
     *
     * @return the classification of the last failure
     * @throws IllegalStateException if nothing failed
     */
    public Unreachable why() {
        if (why == null) {
            throw new IllegalStateException("no attempt failed");
        }
        return why;
    }

    /**
     * The last failure, with the earlier ones suppressed in it.
     *
     * @return the exception
     * @throws IllegalStateException if nothing failed
     */
    public Throwable failure() {
        if (failure == null) {
            throw new IllegalStateException("no attempt failed");
        }
        return failure;
    }
}
