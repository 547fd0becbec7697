package io.securecomm.internal.limits;

import io.securecomm.relay.WorkLimit;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared work buckets of the remote addresses with open connections: one {@link SharedWorkBucket} per IPv4
 * address or IPv6 /64 (counted as {@link ConnectionLimiter} counts them), held by a {@link Lease} per connection and
 * forgotten when the last connection of the address closes, so memory stays proportional to the open connections.
 * It also counts the address's connections per event loop, which share one turn of their loop
 * ({@code InboundPacer}), and gives each lease the address's key, the group its connection sends as.
 * (An address that closes all its connections and comes back starts with a full bucket; the connection limits bound
 * how often that can happen.)
 *
 * <p>Thread-safe: connections are accepted and closed on different event loops.
 */
public final class AddressBuckets {
    private final WorkLimit limit;
    private final Map<Object, Entry> entries = new HashMap<>();

    /**
     * Creates the registry, with no address yet.
     *
     * @param limit the size of each address's bucket
     */
    public AddressBuckets(WorkLimit limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /**
     * Takes a place in an address's bucket, creating it for the address's first connection.
     *
     * @param address the remote address of a connection
     * @param loop the thread the connection runs on (its event loop), compared with {@code equals}: the address's
     *     connections on one loop share one turn of it ({@link Lease#sharersOnLoop()})
     * @param nowNanos the current time of the monotonic clock that every connection of the relay reads (the event
     *     loops' ticker)
     * @return the lease; close it when the connection closes
     */
    public synchronized Lease acquire(InetAddress address, Object loop, long nowNanos) {
        Objects.requireNonNull(loop, "loop");
        Object key = ConnectionLimiter.keyOf(Objects.requireNonNull(address, "address"));
        Entry e = entries.computeIfAbsent(key, k -> new Entry(RequestThrottle.addressBucket(limit, nowNanos)));
        e.leases++;
        AtomicInteger onLoop = e.loops.computeIfAbsent(loop, l -> new AtomicInteger());
        onLoop.incrementAndGet();
        return new Lease(key, e.bucket, loop, onLoop);
    }

    /**
     * Counts the addresses whose bucket is held.
     *
     * @return the number of addresses tracked
     */
    public synchronized int trackedAddresses() {
        return entries.size();
    }

    private synchronized void release(Object key, Object loop) {
        Entry e = entries.get(key);
        if (e == null) {
            return;
        }
        AtomicInteger onLoop = e.loops.get(loop);
        if (onLoop != null && onLoop.decrementAndGet() == 0) {
            e.loops.remove(loop);
        }
        if (--e.leases == 0) {
            entries.remove(key);
        }
    }

    /** One connection's hold on its address's bucket; closing it more than once is harmless. */
    public final class Lease implements AutoCloseable {
        private final Object key;
        private final SharedWorkBucket bucket;
        private final Object loop;
        private final AtomicInteger onLoop;
        private boolean released;

        private Lease(Object key, SharedWorkBucket bucket, Object loop, AtomicInteger onLoop) {
            this.key = key;
            this.bucket = bucket;
            this.loop = loop;
            this.onLoop = onLoop;
        }

        /**
         * The address's key: equal for the connections of one IPv4 address or IPv6 /64, the group they send as.
         *
         * @return the key
         */
        public Object key() {
            return key;
        }

        /**
         * How many open connections of this address run on this connection's loop, this one included: they share
         * one turn of the loop. Safe from any thread.
         *
         * @return at least 1 while the lease is held
         */
        public int sharersOnLoop() {
            return Math.max(1, onLoop.get());
        }

        /**
         * The address's bucket.
         *
         * @return the bucket shared by the address's connections
         */
        public SharedWorkBucket bucket() {
            return bucket;
        }

        /** Gives the place back; the bucket is forgotten with the address's last lease. */
        @Override
        public void close() {
            synchronized (AddressBuckets.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(key, loop);
        }
    }

    private static final class Entry {
        final SharedWorkBucket bucket;
        final Map<Object, AtomicInteger> loops = new HashMap<>(4);
        int leases;

        Entry(SharedWorkBucket bucket) {
            this.bucket = bucket;
        }
    }
}
