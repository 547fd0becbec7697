package io.securecomm.client;

import io.securecomm.wire.Nickname;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the clients online at a relay ({@link ChatClient#listPage}), in ascending order of canonical nickname,
 * with the counts a person needs to take in a large relay at a glance.
 *
 * @param online clients online at the relay when it answered
 * @param roomMembers of them, members of the public room
 * @param roomLimit the public room's member limit
 * @param entries this page's clients, in ascending canonical nickname order
 * @param more whether clients follow the last entry: ask for the next page with {@link #nextCursor()}
 */
public record ClientPage(int online, int roomMembers, int roomLimit, List<Entry> entries, boolean more) {
    /**
     * Copies the list.
     *
     * @param online clients online
     * @param roomMembers members of the room
     * @param roomLimit the room's member limit
     * @param entries the page (copied)
     * @param more whether more follow
     */
    public ClientPage {
        entries = List.copyOf(entries);
    }

    /**
     * The cursor of the next page: the canonical nickname of this page's last entry, to pass to
     * {@link ChatClient#listPage(String, int)} as {@code after}.
     *
     * @return the cursor, or empty if this is the last page
     */
    public Optional<String> nextCursor() {
        return more && !entries.isEmpty()
                ? Optional.of(Nickname.canonical(entries.get(entries.size() - 1).client().nickname()))
                : Optional.empty();
    }

    /**
     * One client on a page.
     *
     * @param client the client, as the relay lists it
     * @param inRoom whether it is a member of the public room
     */
    public record Entry(OnlineClient client, boolean inRoom) {
        /**
         * Checks the client.
         *
         * @param client the client
         * @param inRoom whether it is in the room
         */
        public Entry {
            Objects.requireNonNull(client, "client");
        }
    }
}
