package io.securecomm.relay.store.sqlite;

import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoreMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * How a {@link SqliteRelayStore} is opened. Immutable; built with {@link #builder()}, or {@link #defaults()}.
 */
public final class SqliteStoreOptions {
    /** The default {@link #busyTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(2);

    /** The default {@link #maxBatchOperations()}. */
    public static final int DEFAULT_MAX_BATCH_OPERATIONS = 2048;

    /** The default {@link #maxPendingOperations()}. */
    public static final int DEFAULT_MAX_PENDING_OPERATIONS = 100_000;

    /** The default {@link #recoveryProbeInterval()}: 1 second. */
    public static final Duration DEFAULT_RECOVERY_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final StoreLimits limits;
    private final Duration busyTimeout;
    private final int maxBatchOperations;
    private final int maxPendingOperations;
    private final Duration recoveryProbeInterval;
    private final OptionalLong maxDatabaseSizeBytes;
    private final boolean checkIntegrityOnOpen;
    private final Executor completionExecutor;
    private final StoreMeter meter;

    private SqliteStoreOptions(Builder b) {
        this.clock = b.clock;
        this.limits = b.limits;
        this.busyTimeout = b.busyTimeout;
        this.maxBatchOperations = b.maxBatchOperations;
        this.maxPendingOperations = b.maxPendingOperations;
        this.recoveryProbeInterval = b.recoveryProbeInterval;
        this.maxDatabaseSizeBytes = b.maxDatabaseSizeBytes;
        this.checkIntegrityOnOpen = b.checkIntegrityOnOpen;
        this.completionExecutor = b.completionExecutor;
        this.meter = b.meter;
    }

    /**
     * The defaults: the system clock, {@link StoreLimits#defaults()}, and the defaults of each builder method.
     *
     * @return the options
     */
    public static SqliteStoreOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The time for registrations, stored messages and expiry.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The bounds per account.
     *
     * @return the limits
     */
    public StoreLimits limits() {
        return limits;
    }

    /**
     * How long a write waits for another process's lock before failing with
     * {@link io.securecomm.relay.store.StoreException.Reason#LOCKED}.
     *
     * @return the wait
     */
    public Duration busyTimeout() {
        return busyTimeout;
    }

    /**
     * The most operations committed in one transaction.
     *
     * @return the batch size
     */
    public int maxBatchOperations() {
        return maxBatchOperations;
    }

    /**
     * The most operations waiting for the writer; beyond it operations fail at once with
     * {@link io.securecomm.relay.store.StoreException.Reason#OVERLOADED}.
     *
     * @return the bound
     */
    public int maxPendingOperations() {
        return maxPendingOperations;
    }

    /**
     * How often a failing store tries a write while no operation comes, to notice it works again.
     *
     * @return the interval
     */
    public Duration recoveryProbeInterval() {
        return recoveryProbeInterval;
    }

    /**
     * The cap on the database file's size, if any: past it writes fail with
     * {@link io.securecomm.relay.store.StoreException.Reason#FULL}, as on a full disk.
     *
     * @return the cap in bytes, or empty for none
     */
    public OptionalLong maxDatabaseSizeBytes() {
        return maxDatabaseSizeBytes;
    }

    /**
     * Whether opening runs SQLite's {@code quick_check} over the whole file (it reads every page: about a
     * second per few hundred megabytes).
     *
     * @return {@code true} to check
     */
    public boolean checkIntegrityOnOpen() {
        return checkIntegrityOnOpen;
    }

    /**
     * Where the stages the store returns are completed (never on the writer thread, so a dependent action
     * cannot stall every other caller's writes).
     *
     * @return the executor
     */
    public Executor completionExecutor() {
        return completionExecutor;
    }

    /**
     * Receives the store's commit times and write failures, for an operator's metrics.
     *
     * @return the meter; {@link StoreMeter#NONE} by default
     */
    public StoreMeter meter() {
        return meter;
    }

    /** Builds {@link SqliteStoreOptions}; every setting starts at its default. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private StoreLimits limits = StoreLimits.defaults();
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private int maxBatchOperations = DEFAULT_MAX_BATCH_OPERATIONS;
        private int maxPendingOperations = DEFAULT_MAX_PENDING_OPERATIONS;
        private Duration recoveryProbeInterval = DEFAULT_RECOVERY_PROBE_INTERVAL;
        private OptionalLong maxDatabaseSizeBytes = OptionalLong.empty();
        private boolean checkIntegrityOnOpen = true;
        private Executor completionExecutor = ForkJoinPool.commonPool();
        private StoreMeter meter = StoreMeter.NONE;

        private Builder() {}

        /**
         * Sets the clock (default: the system clock, UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the bounds (default: {@link StoreLimits#defaults()}).
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(StoreLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets how long a write waits for another process's lock (default 2 s: a tool's short transaction is
         * waited out; a second relay holding the file is reported).
         *
         * @param timeout at least 1 ms, at most {@link Integer#MAX_VALUE} ms
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder busyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("busyTimeout must be 1 ms to " + Integer.MAX_VALUE
                        + " ms, was " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Sets the most operations per transaction (default {@value #DEFAULT_MAX_BATCH_OPERATIONS}: large
         * enough that one {@code fsync} serves thousands of messages, small enough that one transaction stays
         * well under a second).
         *
         * @param operations at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxBatchOperations(int operations) {
            if (operations < 1) {
                throw new IllegalArgumentException("maxBatchOperations must be at least 1, was " + operations);
            }
            this.maxBatchOperations = operations;
            return this;
        }

        /**
         * Sets the most operations waiting for the writer (default {@value #DEFAULT_MAX_PENDING_OPERATIONS}:
         * a few seconds of work at full speed; beyond it the store refuses rather than growing its memory).
         *
         * @param operations at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxPendingOperations(int operations) {
            if (operations < 1) {
                throw new IllegalArgumentException("maxPendingOperations must be at least 1, was " + operations);
            }
            this.maxPendingOperations = operations;
            return this;
        }

        /**
         * Sets how often a failing, idle store tries a write (default 1 s).
         *
         * @param interval positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder recoveryProbeInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("recoveryProbeInterval must be positive, was " + interval);
            }
            this.recoveryProbeInterval = interval;
            return this;
        }

        /**
         * Caps the database file's size (default: no cap, only the disk's). A database already larger keeps
         * its size as the cap. The write-ahead log beside it is not counted.
         *
         * @param bytes at least 64 KiB
         * @return this builder
         * @throws IllegalArgumentException if less than 64 KiB
         */
        public Builder maxDatabaseSizeBytes(long bytes) {
            if (bytes < 64 * 1024) {
                throw new IllegalArgumentException("maxDatabaseSizeBytes must be at least 65536, was " + bytes);
            }
            this.maxDatabaseSizeBytes = OptionalLong.of(bytes);
            return this;
        }

        /**
         * Sets whether opening checks the whole file (default {@code true}: a damaged store is reported at
         * start, not when a recipient's messages cannot be read).
         *
         * @param check {@code true} to run {@code PRAGMA quick_check} on open
         * @return this builder
         */
        public Builder checkIntegrityOnOpen(boolean check) {
            this.checkIntegrityOnOpen = check;
            return this;
        }

        /**
         * Sets where stages are completed (default: {@link ForkJoinPool#commonPool()}). Pass {@code Runnable::run}
         * only if every dependent action is quick and never waits for another store operation.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder completionExecutor(Executor executor) {
            this.completionExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the meter that receives commit times and write failures (default: {@link StoreMeter#NONE}).
         *
         * @param meter the meter; called on the writer thread, so it must not block
         * @return this builder
         */
        public Builder meter(StoreMeter meter) {
            this.meter = Objects.requireNonNull(meter, "meter");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public SqliteStoreOptions build() {
            return new SqliteStoreOptions(this);
        }
    }
}
