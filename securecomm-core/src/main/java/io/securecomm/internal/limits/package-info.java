/**
 * Sans-I/O limits the relay enforces: the {@link io.securecomm.internal.limits.TokenBucket} of requests, the
 * {@link io.securecomm.internal.limits.WorkBucket} of weighted work (and its
 * {@link io.securecomm.internal.limits.SharedWorkBucket} per remote address, kept by
 * {@link io.securecomm.internal.limits.AddressBuckets}), the per-connection
 * {@link io.securecomm.internal.limits.RequestThrottle} that admits each message by its
 * {@link io.securecomm.internal.limits.Cost}, and the {@link io.securecomm.internal.limits.ConnectionLimiter} of open
 * connections per address. Time is always passed in
 * by the caller, so tests drive it with a counter and never sleep.
 *
 * <p>Not exported: an implementation detail of the relay. Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.limits;
