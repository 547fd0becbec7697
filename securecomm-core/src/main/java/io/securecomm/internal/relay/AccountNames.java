package io.securecomm.internal.relay;

import io.securecomm.wire.Nickname;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The skeletons (docs/PROTOCOL.md 8.2) of the registered accounts, so that a nickname that looks like a registered one
 * ({@code b0b} while {@code bob} is registered, even offline) is refused without asking the store (issue 22, point 7).
 * Loaded from the store when the relay starts, and kept current as accounts are registered and released.
 *
 * <p>Thread-safe.
 */
final class AccountNames {
    /** Skeleton to canonical nickname. */
    private final ConcurrentHashMap<String, String> bySkeleton = new ConcurrentHashMap<>();

    AccountNames(Collection<String> canonicalNicknames) {
        canonicalNicknames.forEach(this::registered);
    }

    /** The registered nickname another one looks like, if any (never the same account: that is not a look-alike). */
    Optional<String> lookAlike(String nickname) {
        String holder = bySkeleton.get(Nickname.skeleton(nickname));
        return holder == null || holder.equals(Nickname.canonical(nickname)) ? Optional.empty() : Optional.of(holder);
    }

    void registered(String canonical) {
        bySkeleton.putIfAbsent(Nickname.skeleton(canonical), canonical);
    }

    void released(String canonical) {
        bySkeleton.remove(Nickname.skeleton(canonical), canonical);
    }
}
