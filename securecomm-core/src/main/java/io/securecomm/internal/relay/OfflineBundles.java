package io.securecomm.internal.relay;

import io.securecomm.relay.store.PreKeyKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bounds on bundles of offline clients, which the relay hands out from its store: the same as
 * {@link PreKeyDirectory}'s for online clients, so that no one drains an offline client's one-time pre-keys. A
 * requester gets at most {@value PreKeyDirectory#MAX_BUNDLES_PER_REQUESTER_AND_TARGET} bundles of one account within
 * {@link PreKeyDirectory#BUNDLE_REQUEST_WINDOW}; at most {@value PreKeyDirectory#MAX_ONE_TIME_PRE_KEYS_PER_TARGET}
 * one-time curve and {@value PreKeyDirectory#MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET} one-time KEM pre-keys of one
 * account go out within it; beyond that a bundle has the signed and last-resort keys only.
 *
 * <p>Thread-safe (one lock; bundle requests for offline clients are rare).
 */
final class OfflineBundles {
    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> requests = new HashMap<>();
    private final Map<String, ArrayDeque<Instant>> oneTime = new HashMap<>();
    private final Map<String, ArrayDeque<Instant>> oneTimeKem = new HashMap<>();

    OfflineBundles(Clock clock) {
        this.clock = clock;
    }

    /**
     * Admits a request and says which kinds it may take, or empty if the requester asked too often.
     *
     * @param requester the requester's canonical nickname
     * @param target the account's canonical nickname
     */
    synchronized Optional<Set<PreKeyKind>> admit(String requester, String target) {
        Instant now = clock.instant();
        Instant horizon = now.minus(PreKeyDirectory.BUNDLE_REQUEST_WINDOW);
        if (!take(requests, requester + "\u0000" + target, horizon, now,
                PreKeyDirectory.MAX_BUNDLES_PER_REQUESTER_AND_TARGET)) {
            return Optional.empty();
        }
        Set<PreKeyKind> kinds = EnumSet.of(PreKeyKind.SIGNED);
        if (take(oneTime, target, horizon, now, PreKeyDirectory.MAX_ONE_TIME_PRE_KEYS_PER_TARGET)) {
            kinds.add(PreKeyKind.ONE_TIME);
        }
        if (take(oneTimeKem, target, horizon, now, PreKeyDirectory.MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET)) {
            kinds.add(PreKeyKind.ONE_TIME_KEM);
        }
        return Optional.of(kinds);
    }

    private static boolean take(Map<String, ArrayDeque<Instant>> windows, String key, Instant horizon, Instant now,
            int max) {
        windows.values().removeIf(times -> {
            while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                times.removeFirst();
            }
            return times.isEmpty();
        });
        ArrayDeque<Instant> times = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (times.size() >= max) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
