package io.securecomm.internal.client;

import io.securecomm.wire.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The checks of the application's arguments, its mistakes, which the API makes on the caller's thread before a
 * command goes to the client's thread ({@code IllegalArgumentException} and {@code NullPointerException}, never a
 * failed future). Stateless.
 */
public final class ClientChecks {
    /** The most digits a recipient given as a client id may have: anything longer is no {@code int}. */
    private static final int MAX_ID_DIGITS = 9;

    private ClientChecks() {}

    /**
     * Checks a chat text against the wire's limits.
     *
     * @param text the text
     * @throws IllegalArgumentException if it is empty or longer than {@link Limits#TEXT_MAX_BYTES} in UTF-8
     */
    public static void checkText(String text) {
        Objects.requireNonNull(text, "text");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < Limits.TEXT_MIN_BYTES) {
            throw new IllegalArgumentException("the message is empty");
        }
        if (bytes > Limits.TEXT_MAX_BYTES) {
            throw new IllegalArgumentException("the message has " + bytes + " bytes in UTF-8; the limit is "
                    + Limits.TEXT_MAX_BYTES);
        }
    }

    /**
     * Checks a client id the application names.
     *
     * @param clientId the id
     * @throws IllegalArgumentException if it is below 1
     */
    public static void checkClientId(int clientId) {
        if (clientId < 1) {
            throw new IllegalArgumentException("client ids start at 1, got " + clientId);
        }
    }

    /**
     * Reads a recipient the application names as text: digits only are a client id (nicknames are never digits only),
     * anything else a nickname.
     *
     * @param recipient the recipient
     * @return the client id, or empty if the recipient is a nickname
     */
    public static OptionalInt clientId(String recipient) {
        Objects.requireNonNull(recipient, "recipient");
        if (!recipient.isEmpty() && recipient.length() <= MAX_ID_DIGITS
                && recipient.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.of(Integer.parseInt(recipient));
        }
        return OptionalInt.empty();
    }

    /**
     * Checks a page request's arguments.
     *
     * @param after the cursor
     * @param maxEntries the page size
     * @throws IllegalArgumentException if the cursor is longer than a nickname field or the size is out of range
     */
    public static void checkPageRequest(String after, int maxEntries) {
        Objects.requireNonNull(after, "after");
        if (after.getBytes(StandardCharsets.UTF_8).length > Limits.NICKNAME_FIELD_MAX_BYTES) {
            throw new IllegalArgumentException("after is longer than a nickname field ("
                    + Limits.NICKNAME_FIELD_MAX_BYTES + " bytes)");
        }
        if (maxEntries < 1 || maxEntries > Limits.LIST_PAGE_MAX_ENTRIES) {
            throw new IllegalArgumentException("maxEntries must be 1 to " + Limits.LIST_PAGE_MAX_ENTRIES + ", got "
                    + maxEntries);
        }
    }
}
