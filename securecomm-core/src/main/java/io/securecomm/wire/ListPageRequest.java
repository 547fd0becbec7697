package io.securecomm.wire;

/**
 * {@code ListPageRequest} (type 0x20), client to relay: asks for one page of the clients online, in ascending order of
 * their canonical nickname ({@link Nickname#canonical}), starting after a cursor. The relay answers with a
 * {@link ListPage} carrying the same request id.
 *
 * <p>The cursor is a nickname's canonical form, not a position, so paging is stable while clients come and go: a
 * client online for the whole walk is listed exactly once, and none is listed twice.
 *
 * <pre>
 * +------+----------------+--------------------------+------------------+
 * | 0x20 | requestId: u64 | after: str(64)           | maxEntries: u16  |
 * +------+----------------+--------------------------+------------------+
 * </pre>
 *
 * @param requestId chosen by the client, at least 1
 * @param after list only clients whose canonical nickname sorts after this string (UTF-16 order, which is byte order
 *     for the ASCII nicknames); empty for the first page. At most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
 * @param maxEntries the most entries wanted, 1 to {@link Limits#LIST_PAGE_MAX_ENTRIES}; the relay may send fewer
 */
public record ListPageRequest(long requestId, String after, int maxEntries) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId the request id, at least 1
     * @param after the cursor, possibly empty
     * @param maxEntries 1 to {@link Limits#LIST_PAGE_MAX_ENTRIES}
     * @throws IllegalArgumentException if a field is out of range
     */
    public ListPageRequest {
        Fields.requestId(requestId);
        Fields.string(after, "after", Limits.NICKNAME_FIELD_MAX_BYTES);
        if (maxEntries < 1 || maxEntries > Limits.LIST_PAGE_MAX_ENTRIES) {
            throw new IllegalArgumentException("maxEntries must be 1 to " + Limits.LIST_PAGE_MAX_ENTRIES + ", got "
                    + maxEntries);
        }
    }

    @Override
    public MessageType type() {
        return MessageType.LIST_PAGE_REQUEST;
    }
}
