package io.securecomm.internal.client;

import io.securecomm.client.ClientPage;
import io.securecomm.client.OnlineClient;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who is online, as the relay answers it: the public room's members ({@code ListRequest}, which the roster learns
 * from) and pages of everyone online ({@code ListPageRequest}, which it does not: the roster is the room, and a page
 * lists clients outside the room too). It turns the wire's {@link ClientInfo} into the API's {@link OnlineClient}.
 *
 * <p>Not thread-safe: confined to the client's thread.
 */
final class Directory {
    private final Requests requests;
    private final Roster roster;

    Directory(Requests requests, Roster roster) {
        this.requests = requests;
        this.roster = roster;
    }

    /**
     * Asks for the room's members; the roster learns them.
     *
     * @return the members in ascending id order (none if this client is outside the room)
     */
    CompletableFuture<List<OnlineClient>> list() {
        return room().thenApply(clients -> {
            clients.forEach(roster::put);
            return clients;
        });
    }

    /**
     * Asks for the room's members, leaving the roster alone (the session replaces it with the first list).
     *
     * @return the members in ascending id order
     */
    CompletableFuture<List<OnlineClient>> room() {
        return requests.send(ListRequest::new, Requests.LIST, "list", null).thenApply(Directory::online);
    }

    /**
     * Asks for one page of everyone online.
     *
     * @param after the cursor: canonical nicknames after this one; empty for the first page
     * @param maxEntries the page size, checked by the caller
     * @return the page
     */
    CompletableFuture<ClientPage> page(String after, int maxEntries) {
        return requests.send(id -> new ListPageRequest(id, after, maxEntries), Requests.LIST_PAGE, "list page", null)
                .thenApply(Directory::page);
    }

    /** A client the relay named (in a {@code ClientList}, a {@code ListPage}, a {@code Joined}) as the API shows it. */
    static OnlineClient online(ClientInfo info) {
        return new OnlineClient(info.clientId(), info.nickname(), info.identityKey());
    }

    static List<OnlineClient> online(List<ClientInfo> infos) {
        List<OnlineClient> out = new ArrayList<>(infos.size());
        for (ClientInfo info : infos) {
            out.add(online(info));
        }
        return out;
    }

    static ClientPage page(ListPage page) {
        List<ClientPage.Entry> entries = new ArrayList<>(page.entries().size());
        for (ListPage.Entry e : page.entries()) {
            entries.add(new ClientPage.Entry(online(e.client()), e.inRoom()));
        }
        return new ClientPage(page.online(), page.roomMembers(), page.roomLimit(), entries, page.more());
    }
}
