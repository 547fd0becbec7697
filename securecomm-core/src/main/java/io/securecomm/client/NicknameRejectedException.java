package io.securecomm.client;

import java.util.Objects;

/**
 * The relay refused the requested nickname: another client holds it (or one that looks like it), or the relay's rule
 * refuses it. {@link ChatClientOptions.Builder#nickname(String)} already checks the rule the relay applies, so
 * {@link Reason#INVALID} comes only from a relay with other rules. A relay that is full refuses with
 * {@link RelayFullException} instead: that is not about the nickname.
 */
public final class NicknameRejectedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The nickname that was requested. */
    private final String nickname;
    /** Why. */
    private final Reason reason;

    /** Why the relay refused a nickname. */
    public enum Reason {
        /**
         * Another online client holds the nickname, in any letter case, or one that looks like it ({@code b0b} while
         * {@code bob} is online: the same skeleton, docs/PROTOCOL.md 8.2). Choose another nickname, or try again
         * later.
         */
        TAKEN,
        /** The relay's nickname rule refuses it ({@code INVALID_NICKNAME}). */
        INVALID,
        /**
         * The nickname is registered on this relay to another identity key (an account, in any letter case:
         * {@code NICKNAME_REGISTERED}). Only the holder of that key can use it, until it or the relay's operator
         * releases it; choose another nickname, or connect with the identity (the home folder) that registered it.
         */
        REGISTERED
    }

    /**
     * Creates the exception.
     *
     * @param nickname the nickname that was requested
     * @param reason why, for a program
     * @param detail the relay's explanation
     */
    public NicknameRejectedException(String nickname, Reason reason, String detail) {
        super("the relay refused the nickname '" + nickname + "': " + detail);
        this.nickname = nickname;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The nickname that was requested.
     *
     * @return the nickname
     */
    public String nickname() {
        return nickname;
    }

    /**
     * Why the relay refused it.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
