package io.securecomm.internal.client;

import io.securecomm.client.OnlineClient;
import io.securecomm.wire.Nickname;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who is online, as the relay announced it: the one roster of a client, kept by its {@link ClientSession} (from the
 * first list, {@code Joined}, {@code Left} and later lists) and read by its {@link ChatLayer}. Entries are in
 * ascending id order, this client included once it is welcomed.
 *
 * <p>Not thread-safe: confined to the session's thread.
 */
public final class Roster {
    private final TreeMap<Integer, OnlineClient> byId = new TreeMap<>();
    private int ownId;

    Roster() {}

    /** This client was welcomed under this id: {@link #others()} leaves it out. */
    void welcomed(int clientId) {
        ownId = clientId;
    }

    /** Replaces every entry (the first list). */
    void replace(List<OnlineClient> clients) {
        byId.clear();
        clients.forEach(this::put);
    }

    /** Adds or updates one entry. */
    void put(OnlineClient client) {
        byId.put(client.clientId(), client);
    }

    /** Removes one entry, returning it if it was there. */
    Optional<OnlineClient> remove(int clientId) {
        return Optional.ofNullable(byId.remove(clientId));
    }

    /**
     * The client with this id, this one included.
     *
     * @param clientId the id
     * @return the client, or empty if the relay never announced it or announced its departure
     */
    public Optional<OnlineClient> byId(int clientId) {
        return Optional.ofNullable(byId.get(clientId));
    }

    /**
     * Another member with this id: never this client itself, which the relay cannot pass off as a sender.
     *
     * @param clientId the id
     * @return the member, or empty
     */
    public Optional<OnlineClient> other(int clientId) {
        return clientId == ownId ? Optional.empty() : byId(clientId);
    }

    /**
     * The client with this nickname, by canonical form ({@link Nickname#canonical}). If the relay announced a
     * newcomer under the name before the departure of its previous holder, the newcomer (the higher id) is it.
     *
     * @param nickname the nickname, in any letter case
     * @return the client, or empty
     */
    public Optional<OnlineClient> byName(String nickname) {
        OnlineClient found = null;
        for (OnlineClient c : byId.values()) {
            if (Nickname.sameName(c.nickname(), nickname)) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The other members, in ascending id order.
     *
     * @return a new list
     */
    public List<OnlineClient> others() {
        List<OnlineClient> out = new ArrayList<>(byId.size());
        for (OnlineClient c : byId.values()) {
            if (c.clientId() != ownId) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Roster[own=" + ownId + ", " + byId.values().stream().map(OnlineClient::nickname).toList() + "]";
    }
}
