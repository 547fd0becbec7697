package io.securecomm.client;

/**
 * The relay refused the requested nickname: it is invalid, another client holds it, or the relay is full.
 */
public final class NicknameRejectedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /** The nickname that was requested. */
    private final String nickname;

    /**
     * Creates the exception.
     *
     * @param nickname the nickname that was requested
     * @param detail the relay's explanation
     */
    public NicknameRejectedException(String nickname, String detail) {
        super("the relay refused the nickname '" + nickname + "': " + detail);
        this.nickname = nickname;
    }

    /**
     * The nickname that was requested.
     *
     * @return the nickname
     */
    public String nickname() {
        return nickname;
    }
}
