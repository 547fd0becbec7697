package io.securecomm.cluster.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.securecomm.relay.store.StoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the Redis client fails with into {@link StoreException}s whose message says, in one line, what
 * happened and what to do. Stateless.
 */
public final class RedisErrors {
    private RedisErrors() {}

    /**
     * The failure itself, without the {@link CompletionException} or {@link ExecutionException} around it.
     *
     * @param failure what a stage failed with
     * @return the innermost cause that is not a wrapper
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether Redis answered that it does not know a script (its cache is empty after a restart).
     *
     * @param failure what a stage failed with
     * @return {@code true} for {@code NOSCRIPT}
     */
    public static boolean isNoScript(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof RedisNoScriptException
                || t instanceof RedisCommandExecutionException && String.valueOf(t.getMessage()).startsWith("NOSCRIPT");
    }

    /**
     * The store exception for a failure of the Redis client, if it is one.
     *
     * @param failure what a stage failed with
     * @param where the server, for the message ("Redis at 127.0.0.1:6379")
     * @param timeout the command timeout, for the message
     * @return the store exception, or empty if the failure is not the client's (a bug, which is passed on as it
     *     is)
     */
    public static Optional<StoreException> toStoreException(Throwable failure, String where, Duration timeout) {
        Throwable t = unwrap(failure);
        if (t instanceof StoreException s) {
            return Optional.of(s);
        }
        if (t instanceof RedisCommandTimeoutException) {
            return Optional.of(new StoreException(StoreException.Reason.UNAVAILABLE, where + " did not answer within "
                    + timeout.toMillis() + " ms: the outcome is unknown; check that Redis runs and is reachable (the "
                    + "store reconnects by itself)", t));
        }
        if (t instanceof RedisConnectionException) {
            return Optional.of(new StoreException(StoreException.Reason.UNAVAILABLE, where + " cannot be reached ("
                    + firstLine(t) + "); check that Redis runs and is reachable (the store reconnects by itself)", t));
        }
        if (t instanceof RedisCommandExecutionException) {
            String m = firstLine(t);
            if (m.startsWith("OOM")) {
                return Optional.of(new StoreException(StoreException.Reason.FULL, where + " refused a write: it is at"
                        + " its maxmemory; raise maxmemory or free memory (" + m + ")", t));
            }
            if (m.startsWith("LOADING") || m.startsWith("READONLY") || m.startsWith("MASTERDOWN")
                    || m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN")) {
                return Optional.of(new StoreException(StoreException.Reason.UNAVAILABLE, where
                        + " cannot take writes now (" + m + "); the store tries again by itself", t));
            }
            return Optional.of(new StoreException(StoreException.Reason.IO_ERROR, where + " refused a command: " + m
                    + (m.startsWith("MISCONF") ? "; fix Redis' persistence (disk full or not writable?)" : ""), t));
        }
        if (t instanceof RedisException || t instanceof CancellationException) {
            return Optional.of(new StoreException(StoreException.Reason.UNAVAILABLE, where + " is not connected ("
                    + firstLine(t) + "); the outcome is unknown if the command was sent; the store reconnects by"
                    + " itself", t));
        }
        return Optional.empty();
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
