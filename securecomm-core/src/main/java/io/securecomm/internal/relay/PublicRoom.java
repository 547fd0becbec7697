package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's public room: which admitted clients are its members, up to its member limit
 * ({@code RelayOptions.maxRoomMembers}). Members get the room's messages and each other's presence ({@code Joined},
 * {@code Left}); a client admitted while the room is full is online (listed, counted) but outside the room, and its
 * arrival and departure are announced to no one, so a join costs at most the room's size in writes however many
 * clients the relay holds (docs/RELAY.md, "The public room").
 *
 * <p>A member keeps its place until it leaves; a client outside the room stays outside for the life of its
 * connection (a place that frees up goes to the next client to connect): being moved into the room would need a
 * message this protocol does not have, and a client that reconnects gets the same chance.
 *
 * <p>Thread-safe without a global lock, like {@link ClientRegistry}: each connection's event loop enters and
 * leaves for its own client; the count is reserved atomically, so the room never holds more than its limit.
 *
 * @param <S> the session handle type
 */
public final class PublicRoom<S> {
    private final int limit;
    private final AtomicInteger reserved = new AtomicInteger();
    private final ConcurrentSkipListMap<Integer, Member<S>> members = new ConcurrentSkipListMap<>();

    /**
     * Creates an empty room.
     *
     * @param limit the most members at once, at least 1
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public PublicRoom(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Lets an admitted client in, if the room has a place.
     *
     * @param member the client
     * @return {@code true} if it is now a member; {@code false} if the room is full
     */
    public boolean enter(Member<S> member) {
        if (reserved.incrementAndGet() > limit) {
            reserved.decrementAndGet();
            return false;
        }
        members.put(member.clientId(), member);
        return true;
    }

    /**
     * Takes a client out of the room; harmless for a client that is not a member.
     *
     * @param member the client
     * @return {@code true} if it was a member
     */
    public boolean leave(Member<S> member) {
        if (!members.remove(member.clientId(), member)) {
            return false;
        }
        reserved.decrementAndGet();
        return true;
    }

    /**
     * Whether a client is a member.
     *
     * @param clientId the client's id
     * @return {@code true} if it is in the room now
     */
    public boolean contains(int clientId) {
        return members.containsKey(clientId);
    }

    /**
     * Looks a member up by id.
     *
     * @param clientId the client's id
     * @return the member, if that client is in the room
     */
    public Optional<Member<S>> byId(int clientId) {
        return Optional.ofNullable(members.get(clientId));
    }

    /**
     * Lists the members in ascending id order.
     *
     * @return a snapshot, at most {@link #limit()} long
     */
    public List<Member<S>> members() {
        return new ArrayList<>(members.values());
    }

    /**
     * Lists the members except one, in ascending id order: who hears of that one's arrival, departure or message.
     *
     * @param clientId the id to leave out
     * @return a snapshot
     */
    public List<Member<S>> othersThan(int clientId) {
        List<Member<S>> out = new ArrayList<>(members.size());
        for (Member<S> m : members.values()) {
            if (m.clientId() != clientId) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Counts the members.
     *
     * @return 0 to {@link #limit()}
     */
    public int size() {
        return members.size();
    }

    /**
     * The member limit.
     *
     * @return at least 1
     */
    public int limit() {
        return limit;
    }
}
