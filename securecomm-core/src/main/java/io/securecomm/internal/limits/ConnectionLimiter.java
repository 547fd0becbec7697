package io.securecomm.internal.limits;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts open connections, in total and per remote address, and refuses one that would exceed either limit.
 *
 * <p>An IPv4 address counts on its own. IPv6 addresses count per /64 prefix: a single host is usually given a
 * whole /64 and can pick any address in it, so counting full IPv6 addresses would not limit it at all. (An
 * IPv4-mapped IPv6 address reaches this class as an {@link Inet4Address}, because {@link InetAddress} converts
 * it.)
 *
 * <p>Each admitted connection holds a {@link Permit}; closing the permit gives its place back, once, however
 * often it is closed. Memory stays proportional to the open connections: an address whose count drops to zero
 * is forgotten.
 *
 * <p>Thread-safe: connections are accepted and closed on different event loops.
 */
public final class ConnectionLimiter {
    /** Why a connection was refused, or that it was not. */
    public enum Outcome {
        /** The connection was admitted. */
        ADMITTED,
        /** The relay already has its maximum number of connections. */
        TOO_MANY_CONNECTIONS,
        /** The remote address (or IPv6 /64) already has its maximum number of connections. */
        TOO_MANY_FROM_ADDRESS
    }

    /** What {@link #tryAcquire(InetAddress)} returns. */
    public static final class Permit implements AutoCloseable {
        private final ConnectionLimiter owner;
        private final Object key;
        private final Outcome outcome;
        private boolean released;

        private Permit(ConnectionLimiter owner, Object key, Outcome outcome) {
            this.owner = owner;
            this.key = key;
            this.outcome = outcome;
            this.released = outcome != Outcome.ADMITTED;
        }

        /**
         * Tells whether the connection was admitted, or why not.
         *
         * @return the outcome
         */
        public Outcome outcome() {
            return outcome;
        }

        /**
         * Tells whether the connection was admitted.
         *
         * @return {@code true} if it holds a place that {@link #close()} gives back
         */
        public boolean admitted() {
            return outcome == Outcome.ADMITTED;
        }

        /** Gives the place back; does nothing after the first call, or if the connection was refused. */
        @Override
        public void close() {
            synchronized (owner) {
                if (released) {
                    return;
                }
                released = true;
                owner.release(key);
            }
        }

        @Override
        public String toString() {
            return "Permit[" + outcome + (released ? ", released" : "") + "]";
        }
    }

    private final int maxConnections;
    private final int maxPerAddress;
    private final Map<Object, Integer> perAddress = new HashMap<>();
    private int total;

    /**
     * Creates a limiter with no connections.
     *
     * @param maxConnections the most connections in total, at least 1
     * @param maxPerAddress the most connections from one address (or IPv6 /64), 1 to {@code maxConnections}
     * @throws IllegalArgumentException if a limit is out of range
     */
    public ConnectionLimiter(int maxConnections, int maxPerAddress) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (maxPerAddress < 1 || maxPerAddress > maxConnections) {
            throw new IllegalArgumentException(
                    "maxPerAddress must be 1.." + maxConnections + " (maxConnections), got " + maxPerAddress);
        }
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Takes a place for a new connection from {@code address}, if both limits allow it.
     *
     * @param address the remote address of the connection
     * @return a permit; if {@link Permit#admitted()} is {@code false}, the connection should be closed (closing
     *     such a permit does nothing)
     */
    public synchronized Permit tryAcquire(InetAddress address) {
        Object key = keyOf(Objects.requireNonNull(address, "address"));
        if (total >= maxConnections) {
            return new Permit(this, key, Outcome.TOO_MANY_CONNECTIONS);
        }
        int count = perAddress.getOrDefault(key, 0);
        if (count >= maxPerAddress) {
            return new Permit(this, key, Outcome.TOO_MANY_FROM_ADDRESS);
        }
        perAddress.put(key, count + 1);
        total++;
        return new Permit(this, key, Outcome.ADMITTED);
    }

    /**
     * Counts the connections holding a permit.
     *
     * @return 0 to the maximum
     */
    public synchronized int connections() {
        return total;
    }

    /**
     * Counts the connections holding a permit from one address (or its IPv6 /64).
     *
     * @param address a remote address
     * @return 0 to the per-address maximum
     */
    public synchronized int connectionsFrom(InetAddress address) {
        return perAddress.getOrDefault(keyOf(Objects.requireNonNull(address, "address")), 0);
    }

    /**
     * Counts the distinct addresses (or IPv6 /64 prefixes) that hold permits: the size of the limiter's memory.
     *
     * @return the number of addresses tracked
     */
    public synchronized int trackedAddresses() {
        return perAddress.size();
    }

    /**
     * Returns the total limit.
     *
     * @return the most connections in total
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Returns the per-address limit.
     *
     * @return the most connections from one address
     */
    public int maxPerAddress() {
        return maxPerAddress;
    }

    private void release(Object key) {
        // Called with the lock held, once per admitted permit.
        int count = perAddress.get(key);
        if (count == 1) {
            perAddress.remove(key);
        } else {
            perAddress.put(key, count - 1);
        }
        total--;
    }

    /** The key an address is counted under: the IPv4 address, or the IPv6 /64 prefix. */
    static Object keyOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            long prefix = 0;
            for (int i = 0; i < 8; i++) {
                prefix = (prefix << 8) | (bytes[i] & 0xFF);
            }
            return new Ipv6Prefix64(prefix);
        }
        long v4 = 0;
        for (byte b : bytes) {
            v4 = (v4 << 8) | (b & 0xFF);
        }
        return v4;
    }

    private record Ipv6Prefix64(long prefix) {}

    @Override
    public synchronized String toString() {
        return "ConnectionLimiter[" + total + "/" + maxConnections + " connections, " + perAddress.size()
                + " addresses, maxPerAddress=" + maxPerAddress + "]";
    }
}
