package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Limits;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Nickname;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Answers the list requests. A {@link ListRequest} (the older, single-record list) gets the room's members, to a
 * member, at most {@link Limits#CLIENT_LIST_MAX_ENTRIES} of them; to a client outside the room, an empty room (it has
 * no one to talk to). A {@link ListPageRequest} gets one page of the clients online, by canonical nickname after
 * the request's cursor, with the counts of the relay and of its room. A page costs O(log n + page) whatever the
 * number online (the registry keeps its nicknames sorted), and a full page fits one record, so a client walks a relay
 * of any size page by page; the relay never builds the whole list at once.
 *
 * <p>Sans-I/O and stateless: the cursor travels with each request, so the relay keeps nothing between pages.
 */
final class ListPages {
    private ListPages() {}

    /**
     * Builds the answer from this node's clients alone (a relay of its own).
     *
     * @param registry the admitted clients
     * @param room the public room
     * @param request the request
     * @param <S> the session handle type
     * @return the page, with the request's id
     */
    static <S> ListPage answer(ClientRegistry<S> registry, PublicRoom<S> room, ListPageRequest request) {
        return answer(registry, room, RelayCluster.standalone(), request);
    }

    /**
     * Builds the answer: this node's clients and those of the cluster's other nodes, merged by canonical nickname.
     *
     * @param registry the admitted clients of this node
     * @param room the public room's members on this node
     * @param cluster the clients on other nodes
     * @param request the request
     * @param <S> the session handle type
     * @return the page, with the request's id
     */
    static <S> ListPage answer(ClientRegistry<S> registry, PublicRoom<S> room, RelayCluster cluster,
            ListPageRequest request) {
        int max = request.maxEntries();
        List<Member<S>> here = registry.page(request.after(), max);
        List<ClientPresence> elsewhere = cluster.page(request.after(), max);
        List<ListPage.Entry> entries = new ArrayList<>(Math.min(here.size() + elsewhere.size(), max));
        int h = 0;
        int e = 0;
        boolean more = false;
        while (h < here.size() || e < elsewhere.size()) {
            boolean takeHere = e == elsewhere.size() || (h < here.size() && Nickname.canonical(
                    here.get(h).nickname()).compareTo(elsewhere.get(e).canonicalNickname()) <= 0);
            if (entries.size() == max) {
                more = true;
                break;
            }
            if (takeHere) {
                Member<S> m = here.get(h++);
                entries.add(new ListPage.Entry(new ClientInfo(m.clientId(), m.nickname(), m.identityKey()),
                        room.contains(m.clientId())));
            } else {
                ClientPresence p = elsewhere.get(e++);
                entries.add(new ListPage.Entry(new ClientInfo(p.clientId(), p.nickname(), p.identityKey()),
                        p.inRoom()));
            }
        }
        // The counts are read apart from each other and from the page (no global lock), so clamp them to agree.
        int online = registry.size() + cluster.onlineElsewhere();
        int members = Math.min(room.size() + cluster.roomMembersElsewhere().size(), online);
        return new ListPage(request.requestId(), online, members, room.limit(), more, entries);
    }

    /**
     * Answers a {@link ListRequest} from this node's clients alone (a relay of its own).
     *
     * @param room the public room
     * @param requesterId the asking client's id
     * @param request the request
     * @param <S> the session handle type
     * @return the room's members, to a member; otherwise none
     */
    static <S> ClientList firstPage(PublicRoom<S> room, int requesterId, ListRequest request) {
        return firstPage(room, RelayCluster.standalone(), requesterId, request);
    }

    /**
     * Answers a {@link ListRequest}: the room's members on every node, by client id.
     *
     * @param room the public room's members on this node
     * @param cluster the members on other nodes
     * @param requesterId the asking client's id
     * @param request the request
     * @param <S> the session handle type
     * @return the room's members, to a member; otherwise none
     */
    static <S> ClientList firstPage(PublicRoom<S> room, RelayCluster cluster, int requesterId, ListRequest request) {
        List<ClientInfo> clients = new ArrayList<>();
        if (room.contains(requesterId)) {
            for (Member<S> m : room.members()) {
                clients.add(new ClientInfo(m.clientId(), m.nickname(), m.identityKey()));
            }
            for (ClientPresence p : cluster.roomMembersElsewhere()) {
                clients.add(new ClientInfo(p.clientId(), p.nickname(), p.identityKey()));
            }
            clients.sort(Comparator.comparingInt(ClientInfo::clientId));
        }
        return new ClientList(request.requestId(),
                clients.size() > Limits.CLIENT_LIST_MAX_ENTRIES
                        ? List.copyOf(clients.subList(0, Limits.CLIENT_LIST_MAX_ENTRIES)) : clients);
    }
}
