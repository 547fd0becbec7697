/**
 * Sans-I/O limits the relay enforces: the {@link io.securecomm.internal.limits.TokenBucket}, the per-client
 * {@link io.securecomm.internal.limits.RateLimiter} state machine, and the
 * {@link io.securecomm.internal.limits.ConnectionLimiter} of open connections per address. Time is always passed in
 * by the caller, so tests drive it with a counter and never sleep.
 *
 * <p>Not exported: an implementation detail of the relay. Parameters are non-null unless documented otherwise.
 */
package io.securecomm.internal.limits;
