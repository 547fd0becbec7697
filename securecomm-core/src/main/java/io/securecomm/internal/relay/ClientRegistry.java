package io.securecomm.internal.relay;

import io.securecomm.relay.cluster.ClusterUnavailableException;
import io.securecomm.wire.Nickname;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's table of admitted clients: assigns short client ids (1, 2, 3, ... as the original
 * relay did, never reused while the relay runs), enforces valid nicknames, unique by their confusable skeleton
 * ({@link Nickname#skeleton}, which also makes them unique by canonical form, {@link Nickname#canonical}), and
 * answers lookups by id or nickname.
 *
 * <p>Sans-I/O: the registry stores an opaque session handle of type {@code S} per client (the Netty
 * adapter stores its channel) and never touches it.
 *
 * <p>Thread-safe without a global lock: each client's event loop admits and removes its own client
 * concurrently with the others; concurrent maps make admission, removal and lookup atomic per key.
 * A snapshot ({@link #members()}) is weakly consistent: it reflects each admission or removal either
 * entirely or not at all.
 *
 * @param <S> the session handle type
 */
public final class ClientRegistry<S> {
    private final int maxClients;
    private final ClientIds ids;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentHashMap<Integer, Member<S>> byId = new ConcurrentHashMap<>();
    /** By canonical nickname, sorted: lookups, and the pages of the list ({@link #page}) in O(log n) each. */
    private final ConcurrentSkipListMap<String, Member<S>> byNickname = new ConcurrentSkipListMap<>();
    /** Reservations by {@link Nickname#skeleton}: the key of uniqueness. */
    private final ConcurrentHashMap<String, Member<S>> bySkeleton = new ConcurrentHashMap<>();

    /**
     * Creates an empty registry.
     *
     * @param maxClients the most clients admitted at once; at least 1
     * @throws IllegalArgumentException if {@code maxClients < 1}
     */
    public ClientRegistry(int maxClients) {
        this(maxClients, counterFromOne());
    }

    /**
     * Creates an empty registry whose client ids come from elsewhere (a cluster's, unique across its nodes).
     *
     * @param maxClients the most clients admitted at once; at least 1
     * @param ids where each admitted client's id comes from, drawn only once its nickname is reserved
     * @throws IllegalArgumentException if {@code maxClients < 1}
     */
    public ClientRegistry(int maxClients, ClientIds ids) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
        }
        this.maxClients = maxClients;
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    private static ClientIds counterFromOne() {
        AtomicInteger next = new AtomicInteger(1);
        return next::getAndIncrement;
    }

    /** Where the registry's client ids come from: 1, 2, 3, ... on a relay of its own, a cluster's otherwise. */
    @FunctionalInterface
    public interface ClientIds {
        /**
         * A new client id, never handed out before.
         *
         * @return the id, at least 1
         * @throws ClusterUnavailableException if no id can be had now
         */
        int next() throws ClusterUnavailableException;
    }

    /**
     * Admits a client that asked for a nickname.
     *
     * @param nickname the requested nickname
     * @param identityKey the client's long-term identity public key (copied)
     * @param session the session handle to remember
     * @return the admission, or the reason it was refused
     */
    public Admission<S> admit(String nickname, byte[] identityKey, S session) {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(identityKey, "identityKey");
        Objects.requireNonNull(session, "session");
        String problem = Nicknames.problem(nickname);
        if (problem != null) {
            return new Admission.Refused<>(Refusal.INVALID_NICKNAME, problem);
        }
        if (admitted.incrementAndGet() > maxClients) {
            admitted.decrementAndGet();
            return new Admission.Refused<>(Refusal.RELAY_FULL,
                    "the relay already has its maximum of " + maxClients + " clients");
        }
        // The id is drawn only after the nickname is reserved, so refused requests burn no ids. The reservation is
        // by skeleton: equal canonical forms have equal skeletons, so it also keeps canonical forms unique.
        String skeleton = Nickname.skeleton(nickname);
        Member<S> placeholder = new Member<>(0, nickname, identityKey, session);
        Member<S> holder = bySkeleton.putIfAbsent(skeleton, placeholder);
        if (holder != null) {
            admitted.decrementAndGet();
            if (Nickname.sameName(holder.nickname(), nickname)) {
                return new Admission.Refused<>(Refusal.NICKNAME_TAKEN, "the nickname '" + nickname + "' is taken");
            }
            return new Admission.Refused<>(Refusal.LOOKS_LIKE_ANOTHER, "the nickname '" + nickname
                    + "' looks like '" + holder.nickname() + "', who is online; the relay refuses look-alike"
                    + " nicknames (0/o, 1/l/i, rn/m, vv/w, cl/d, leading or trailing . _ -: PROTOCOL.md 8.2)");
        }
        int clientId;
        try {
            clientId = ids.next();
        } catch (ClusterUnavailableException e) {
            bySkeleton.remove(skeleton, placeholder);
            admitted.decrementAndGet();
            return new Admission.Refused<>(Refusal.UNAVAILABLE, "the relay cannot reach its cluster ("
                    + e.getMessage() + "); try again later");
        }
        Member<S> member = new Member<>(clientId, nickname, identityKey, session);
        bySkeleton.put(skeleton, member);
        byNickname.put(Nickname.canonical(nickname), member);
        byId.put(member.clientId(), member);
        return new Admission.Admitted<>(member);
    }

    /**
     * Removes an admitted client; removing one twice is harmless.
     *
     * @param member the client to remove
     * @return {@code true} if it was present
     */
    public boolean remove(Member<S> member) {
        if (!byId.remove(member.clientId(), member)) {
            return false;
        }
        byNickname.remove(Nickname.canonical(member.nickname()), member);
        bySkeleton.remove(Nickname.skeleton(member.nickname()), member);
        admitted.decrementAndGet();
        return true;
    }

    /**
     * Looks a client up by id.
     *
     * @param clientId the relay-assigned id
     * @return the client, if admitted
     */
    public Optional<Member<S>> byId(int clientId) {
        return Optional.ofNullable(byId.get(clientId));
    }

    /**
     * Looks a client up by nickname, by its canonical form.
     *
     * @param nickname the nickname
     * @return the client, if admitted
     */
    public Optional<Member<S>> byNickname(String nickname) {
        Member<S> m = byNickname.get(Nickname.canonical(nickname));
        return m == null ? Optional.empty() : Optional.of(m);
    }

    /**
     * Lists admitted clients in ascending order of canonical nickname, starting after a cursor: one page of the list.
     * Weakly consistent, like every view of the registry: a client admitted or removed while the page is read may be
     * on it or not; one present throughout and after the cursor is on it (unless the page is full first).
     *
     * @param after list only canonical nicknames that sort after this ({@link String#compareTo}); empty for the start
     * @param maxEntries the most members to return, at least 1
     * @return up to {@code maxEntries + 1} members: the page, plus the next one if there is one (so the caller can tell
     *     whether more follow without a second look-up)
     */
    public List<Member<S>> page(String after, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        List<Member<S>> out = new ArrayList<>(Math.min(maxEntries + 1, 1024));
        for (Member<S> m : byNickname.tailMap(after, false).values()) {
            out.add(m);
            if (out.size() > maxEntries) {
                break;
            }
        }
        return out;
    }

    /**
     * Lists every admitted client in ascending id order.
     *
     * @return a snapshot
     */
    public List<Member<S>> members() {
        List<Member<S>> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingInt(Member::clientId));
        return all;
    }

    /**
     * Lists every admitted client except one, in ascending id order: the recipients of a public message.
     *
     * @param clientId the id to leave out (the sender)
     * @return a snapshot
     */
    public List<Member<S>> othersThan(int clientId) {
        List<Member<S>> all = members();
        all.removeIf(m -> m.clientId() == clientId);
        return all;
    }

    /**
     * Counts the admitted clients.
     *
     * @return the number of clients
     */
    public int size() {
        return byId.size();
    }

    /** Why the relay refused a client. */
    public enum Refusal {
        /** The nickname breaks {@link Nicknames}' rules. */
        INVALID_NICKNAME,
        /** Another client holds the nickname: one with the same canonical form. */
        NICKNAME_TAKEN,
        /** Another client holds a nickname that looks like it: one with the same {@link Nickname#skeleton}. */
        LOOKS_LIKE_ANOTHER,
        /** The relay is at its client limit. */
        RELAY_FULL,
        /** The relay's cluster cannot be reached, so the client cannot be put online across it. */
        UNAVAILABLE
    }

    /**
     * The outcome of {@link #admit}.
     *
     * @param <S> the session handle type
     */
    public sealed interface Admission<S> {
        /**
         * The client was admitted.
         *
         * @param member the new member, with its assigned id
         * @param <S> the session handle type
         */
        record Admitted<S>(Member<S> member) implements Admission<S> {}

        /**
         * The client was refused.
         *
         * @param reason why
         * @param detail one sentence for people
         * @param <S> the session handle type
         */
        record Refused<S>(Refusal reason, String detail) implements Admission<S> {}
    }

    /**
     * An admitted client.
     *
     * @param clientId the relay-assigned id (from 1)
     * @param nickname the nickname as the client spelled it
     * @param identityKey the client's long-term identity public key
     * @param session the adapter's session handle
     * @param <S> the session handle type
     */
    public record Member<S>(int clientId, String nickname, byte[] identityKey, S session) {
        /**
         * Copies the key.
         *
         * @param clientId the relay-assigned id
         * @param nickname the nickname
         * @param identityKey the identity public key (copied)
         * @param session the session handle
         */
        public Member {
            identityKey = identityKey.clone();
        }

        /**
         * The identity public key.
         *
         * @return a copy
         */
        @Override
        public byte[] identityKey() {
            return identityKey.clone();
        }

        // Identity semantics: two admissions are different members even with equal fields.
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "Member[clientId=" + clientId + ", nickname=" + nickname + "]";
        }
    }
}
