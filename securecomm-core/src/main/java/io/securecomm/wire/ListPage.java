package io.securecomm.wire;

import java.util.List;
import java.util.Objects;

/**
 * {@code ListPage} (type 0x21), relay to client: one page of the clients online, the answer to a
 * {@link ListPageRequest}, with the counts a person needs to read a large relay at a glance.
 *
 * <pre>
 * +------+----------------+-------------+------------------+----------------+----------+------------------------+
 * | 0x21 | requestId: u64 | online: u32 | roomMembers: u32 | roomLimit: u32 | more: u8 | entries: list(256)     |
 * +------+----------------+-------------+------------------+----------------+----------+------------------------+
 * entry: clientId u32 | nickname str(64) | identityKey bytes(1, 64) | inRoom u8 (0 or 1)
 * </pre>
 *
 * @param requestId of the request, at least 1
 * @param online clients admitted by the relay when it answered, at least 0
 * @param roomMembers of them, members of the public room, 0 to {@code online}
 * @param roomLimit the public room's member limit, at least 1
 * @param more whether clients sort after the last entry (ask again with its canonical nickname as the cursor)
 * @param entries at most {@link Limits#LIST_PAGE_MAX_ENTRIES}, in ascending canonical nickname order
 */
public record ListPage(long requestId, int online, int roomMembers, int roomLimit, boolean more, List<Entry> entries)
        implements Message {
    /**
     * Checks the fields and copies the list.
     *
     * @param requestId the request id, at least 1
     * @param online at least 0
     * @param roomMembers 0 to {@code online}
     * @param roomLimit at least 1
     * @param more whether more follow
     * @param entries at most {@link Limits#LIST_PAGE_MAX_ENTRIES}
     * @throws IllegalArgumentException if a field is out of range
     */
    public ListPage {
        Fields.requestId(requestId);
        if (online < 0 || roomMembers < 0 || roomMembers > online) {
            throw new IllegalArgumentException("need 0 <= roomMembers <= online, got " + roomMembers + " of " + online);
        }
        if (roomLimit < 1) {
            throw new IllegalArgumentException("roomLimit must be at least 1, got " + roomLimit);
        }
        entries = List.copyOf(entries);
        if (entries.size() > Limits.LIST_PAGE_MAX_ENTRIES) {
            throw new IllegalArgumentException("entries has " + entries.size() + " entries, above the limit of "
                    + Limits.LIST_PAGE_MAX_ENTRIES);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.LIST_PAGE;
    }

    /**
     * One client on a page.
     *
     * @param client its id, nickname and identity key, as in a {@code ClientList}
     * @param inRoom whether it is a member of the public room (it gets the room's messages and presence)
     */
    public record Entry(ClientInfo client, boolean inRoom) {
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
