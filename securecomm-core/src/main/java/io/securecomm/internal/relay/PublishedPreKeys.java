package io.securecomm.internal.relay;

import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PublicPreKey;
import io.securecomm.e2e.SignedKemPreKey;
import io.securecomm.internal.relay.PreKeyDirectory.Handout;
import io.securecomm.internal.relay.PreKeyDirectory.Remaining;
import io.securecomm.internal.relay.PreKeyDirectory.Waiter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client's entry in the {@link PreKeyDirectory}: its published keys, the requests waiting for its first upload,
 * and the recent requests for its bundles, with the window's bounds on handing its one-time pre-keys out. The
 * directory reads and writes the fields under the entry's own lock.
 */
final class PublishedPreKeys {
    PreKeyUpload upload;
    final ArrayDeque<PublicPreKey> oneTime = new ArrayDeque<>();
    final ArrayDeque<SignedKemPreKey> oneTimeKem = new ArrayDeque<>();
    /** The identifiers of {@link #oneTimeKem}, to refuse an upload that repeats one. */
    final Set<Integer> oneTimeKemIds = new HashSet<>();
    /** When one-time KEM pre-keys were handed out, within the window. */
    final ArrayDeque<Instant> oneTimeKemHandedOut = new ArrayDeque<>();
    final List<Waiter> waiting = new ArrayList<>();
    /** Who asked, for each waiting request, and how many requests each requester has waiting. */
    final Map<Waiter, Integer> waiterOwners = new IdentityHashMap<>();
    final Map<Integer, Integer> waitingPerRequester = new HashMap<>();
    /** The identifiers of {@link #oneTime}, to refuse an upload that repeats one. */
    final Set<Integer> oneTimeIds = new HashSet<>();
    /** Per requester: when it was given (or promised) a bundle, within the window. */
    final Map<Integer, ArrayDeque<Instant>> requests = new HashMap<>();
    /** When one-time pre-keys were handed out, within the window. */
    final ArrayDeque<Instant> oneTimeHandedOut = new ArrayDeque<>();

    /** Records a request if the requester is within its bound; forgets requests older than the window. */
    boolean admitRequest(int requesterId, Instant now) {
        Instant horizon = now.minus(PreKeyDirectory.BUNDLE_REQUEST_WINDOW);
        requests.values().removeIf(times -> {
            forgetBefore(times, horizon);
            return times.isEmpty();
        });
        ArrayDeque<Instant> mine = requests.computeIfAbsent(requesterId, id -> new ArrayDeque<>());
        if (mine.size() >= PreKeyDirectory.MAX_BUNDLES_PER_REQUESTER_AND_TARGET) {
            return false;
        }
        mine.addLast(now);
        return true;
    }

    /** A bundle with the next one-time keys the window's allowances permit; the caller checked the upload. */
    Handout handOut(Instant now) {
        PreKeyBundle bundle = upload.bundle(takeOneTime(now), takeOneTimeKem(now));
        return new Handout(bundle, remaining());
    }

    Remaining remaining() {
        return new Remaining(oneTime.size(), oneTimeKem.size());
    }

    /** The next one-time KEM pre-key, unless none is left or the window's allowance is used up. */
    SignedKemPreKey takeOneTimeKem(Instant now) {
        forgetBefore(oneTimeKemHandedOut, now.minus(PreKeyDirectory.BUNDLE_REQUEST_WINDOW));
        if (oneTimeKem.isEmpty()
                || oneTimeKemHandedOut.size() >= PreKeyDirectory.MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET) {
            return null;
        }
        oneTimeKemHandedOut.addLast(now);
        SignedKemPreKey k = oneTimeKem.poll();
        oneTimeKemIds.remove(k.id());
        return k;
    }

    /** The next one-time pre-key, unless none is left or the window's allowance is used up. */
    PublicPreKey takeOneTime(Instant now) {
        forgetBefore(oneTimeHandedOut, now.minus(PreKeyDirectory.BUNDLE_REQUEST_WINDOW));
        if (oneTime.isEmpty() || oneTimeHandedOut.size() >= PreKeyDirectory.MAX_ONE_TIME_PRE_KEYS_PER_TARGET) {
            return null;
        }
        oneTimeHandedOut.addLast(now);
        PublicPreKey k = oneTime.poll();
        oneTimeIds.remove(k.id());
        return k;
    }

    private static void forgetBefore(ArrayDeque<Instant> times, Instant horizon) {
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }
}
