package io.securecomm.cluster.redis.internal;

import io.securecomm.relay.cluster.ClientPresence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One node's view of the clients online on the other nodes, kept current from the presence changes in its inbox
 * and replaced by a snapshot after a reconnection. Reads never wait: they are answered from concurrent maps, on the
 * relay's event loops.
 *
 * <p><b>Epochs.</b> Each entry remembers the epoch of its node when it was published. A node's epoch rises when its
 * presence is replaced (it published its clients anew) or expired, so a late "offline" from an expiry can never
 * remove a client that its node has published again since, and a late "online" from before cannot bring back one
 * it took away.
 *
 * <p>Thread-safe: one writer at a time (changes are synchronized), any number of readers.
 */
public final class PresenceView {
    private record Entry(ClientPresence presence, long epoch) {}

    private final String self;
    private final Map<Integer, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, ClientPresence> byNickname = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Integer, ClientPresence> room = new ConcurrentSkipListMap<>();

    /**
     * An empty view.
     *
     * @param self this node's id: its own clients are never in the view
     */
    public PresenceView(String self) {
        this.self = self;
    }

    /**
     * A client came online (or was published anew).
     *
     * @param p its presence
     * @param epoch its node's epoch when it was published
     * @return whether the node's relay must announce it: it is new here, or newly in the room
     */
    public synchronized boolean online(ClientPresence p, long epoch) {
        if (p.nodeId().equals(self)) {
            return false;
        }
        Entry old = byId.get(p.clientId());
        if (old != null && old.epoch() > epoch) {
            return false;
        }
        if (old != null) {
            byNickname.remove(old.presence().canonicalNickname(), old.presence());
        }
        put(p, epoch);
        return old == null || !old.presence().inRoom() && p.inRoom();
    }

    /**
     * A client went offline.
     *
     * @param clientId the client
     * @param epoch its node's epoch when it went
     * @return its presence as the view held it, if the view held it (and it was not published anew since)
     */
    public synchronized Optional<ClientPresence> offline(int clientId, long epoch) {
        Entry old = byId.get(clientId);
        if (old == null || old.epoch() > epoch) {
            return Optional.empty();
        }
        remove(old.presence());
        return Optional.of(old.presence());
    }

    /**
     * Replaces the whole view with a snapshot of the directory.
     *
     * @param clients every client online (this node's own are skipped)
     * @param epochs each node's epoch at the snapshot
     * @return what changed: the clients that are gone and those that are new (or newly in the room), for the relay
     *     to announce
     */
    public synchronized Changes replace(List<ClientPresence> clients, Map<String, Long> epochs) {
        Map<Integer, ClientPresence> fresh = new HashMap<>();
        for (ClientPresence p : clients) {
            if (!p.nodeId().equals(self)) {
                fresh.put(p.clientId(), p);
            }
        }
        List<ClientPresence> gone = new ArrayList<>();
        for (Entry e : new ArrayList<>(byId.values())) {
            if (!fresh.containsKey(e.presence().clientId())) {
                remove(e.presence());
                gone.add(e.presence());
            }
        }
        List<ClientPresence> added = new ArrayList<>();
        for (ClientPresence p : fresh.values()) {
            Entry old = byId.get(p.clientId());
            if (old != null) {
                remove(old.presence());
            }
            put(p, epochs.getOrDefault(p.nodeId(), 0L));
            if (old == null || !old.presence().inRoom() && p.inRoom()) {
                added.add(p);
            }
        }
        return new Changes(gone, added);
    }

    /**
     * What a snapshot changed.
     *
     * @param gone the clients no longer online
     * @param added the clients newly online
     */
    public record Changes(List<ClientPresence> gone, List<ClientPresence> added) {}

    /**
     * A client of another node, by id.
     *
     * @param clientId the id
     * @return its presence
     */
    public Optional<ClientPresence> byId(int clientId) {
        Entry e = byId.get(clientId);
        return e == null ? Optional.empty() : Optional.of(e.presence());
    }

    /**
     * A client of another node, by canonical nickname.
     *
     * @param canonical the canonical nickname
     * @return its presence
     */
    public Optional<ClientPresence> byNickname(String canonical) {
        return Optional.ofNullable(byNickname.get(canonical));
    }

    /**
     * Up to {@code max + 1} clients after a cursor, in canonical nickname order.
     *
     * @param after the cursor (exclusive)
     * @param max the page size
     * @return the page
     */
    public List<ClientPresence> page(String after, int max) {
        List<ClientPresence> out = new ArrayList<>(Math.min(max + 1, 256));
        for (ClientPresence p : byNickname.tailMap(after, false).values()) {
            out.add(p);
            if (out.size() > max) {
                break;
            }
        }
        return out;
    }

    /**
     * How many clients the other nodes have.
     *
     * @return the count
     */
    public int size() {
        return byId.size();
    }

    /**
     * The room's members on other nodes, by client id.
     *
     * @return a snapshot
     */
    public List<ClientPresence> roomMembers() {
        return new ArrayList<>(room.values());
    }

    private void put(ClientPresence p, long epoch) {
        byId.put(p.clientId(), new Entry(p, epoch));
        byNickname.put(p.canonicalNickname(), p);
        if (p.inRoom()) {
            room.put(p.clientId(), p);
        } else {
            room.remove(p.clientId());
        }
    }

    private void remove(ClientPresence p) {
        byId.remove(p.clientId());
        byNickname.remove(p.canonicalNickname(), p);
        room.remove(p.clientId());
    }
}
