package io.securecomm.internal.relay;

import java.util.Locale;

/**
 * The relay's nickname rules, those of wire protocol v1: a valid nickname is 1 to
 * {@value #MAX_LENGTH_CHARS} ASCII letters, digits, {@code _}, {@code -} or {@code .}, and not digits
 * only, so a nickname never looks like a numeric client id ({@code /msg 3 hi} and {@code /msg bob hi}
 * can never be confused). Uniqueness is case-insensitive.
 */
public final class Nicknames {
    /** The longest nickname the relay accepts, in characters. */
    public static final int MAX_LENGTH_CHARS = 24;

    private Nicknames() {}

    /**
     * Explains why a nickname is invalid.
     *
     * @param nickname the requested nickname
     * @return {@code null} if the nickname is valid, otherwise one sentence saying what is wrong
     */
    public static String problem(String nickname) {
        if (nickname.isEmpty()) {
            return "the nickname is empty";
        }
        if (nickname.length() > MAX_LENGTH_CHARS) {
            return "the nickname has " + nickname.length() + " characters; the limit is " + MAX_LENGTH_CHARS;
        }
        boolean digitsOnly = true;
        for (int i = 0; i < nickname.length(); i++) {
            char c = nickname.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!(isAsciiLetter(c) || digit || c == '_' || c == '-' || c == '.')) {
                return "the nickname may contain only letters a-z and A-Z, digits, '_', '-' and '.'";
            }
            digitsOnly &= digit;
        }
        return digitsOnly ? "the nickname must not be digits only (it would look like a client id)" : null;
    }

    /**
     * Tells whether a nickname is valid.
     *
     * @param nickname the requested nickname
     * @return {@code true} if {@link #problem(String)} finds nothing wrong
     */
    public static boolean isValid(String nickname) {
        return problem(nickname) == null;
    }

    /**
     * The key under which uniqueness is enforced: the nickname in lower case.
     *
     * @param nickname a valid nickname
     * @return its case-folded form
     */
    public static String uniquenessKey(String nickname) {
        return nickname.toLowerCase(Locale.ROOT);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
