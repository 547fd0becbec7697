package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Limits;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import java.util.ArrayList;
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
     * Builds the answer.
     *
     * @param registry the admitted clients
     * @param room the public room
     * @param request the request
     * @param <S> the session handle type
     * @return the page, with the request's id
     */
    static <S> ListPage answer(ClientRegistry<S> registry, PublicRoom<S> room, ListPageRequest request) {
        List<Member<S>> found = registry.page(request.after(), request.maxEntries());
        boolean more = found.size() > request.maxEntries();
        List<ListPage.Entry> entries = new ArrayList<>(Math.min(found.size(), request.maxEntries()));
        for (int i = 0; i < found.size() && i < request.maxEntries(); i++) {
            Member<S> m = found.get(i);
            entries.add(new ListPage.Entry(new ClientInfo(m.clientId(), m.nickname(), m.identityKey()),
                    room.contains(m.clientId())));
        }
        // The counts are read apart from each other and from the page (no global lock), so clamp them to agree.
        int online = registry.size();
        int members = Math.min(room.size(), online);
        return new ListPage(request.requestId(), online, members, room.limit(), more, entries);
    }

    /**
     * Answers a {@link ListRequest}.
     *
     * @param room the public room
     * @param requesterId the asking client's id
     * @param request the request
     * @param <S> the session handle type
     * @return the room's members, to a member; otherwise none
     */
    static <S> ClientList firstPage(PublicRoom<S> room, int requesterId, ListRequest request) {
        List<ClientInfo> clients = new ArrayList<>();
        List<Member<S>> members = room.contains(requesterId) ? room.members() : List.of();
        for (Member<S> m : members) {
            if (clients.size() == Limits.CLIENT_LIST_MAX_ENTRIES) {
                break;
            }
            clients.add(new ClientInfo(m.clientId(), m.nickname(), m.identityKey()));
        }
        return new ClientList(request.requestId(), clients);
    }
}
