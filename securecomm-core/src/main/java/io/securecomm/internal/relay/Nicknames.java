package io.securecomm.internal.relay;

import io.securecomm.wire.Limits;

/**
 * The relay's use of the nickname rule of wire protocol v1 ({@link Limits#nicknameProblem(String)}, the one
 * place that rule lives). Uniqueness is over the canonical form, {@link io.securecomm.wire.Nickname#canonical}.
 */
public final class Nicknames {
    /** The longest nickname the relay accepts, in characters. */
    public static final int MAX_LENGTH_CHARS = Limits.NICKNAME_MAX_CHARS;

    private Nicknames() {}

    /**
     * Explains why a nickname is invalid.
     *
     * @param nickname the requested nickname
     * @return {@code null} if the nickname is valid, otherwise one sentence saying what is wrong
     */
    public static String problem(String nickname) {
        return Limits.nicknameProblem(nickname);
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
}
