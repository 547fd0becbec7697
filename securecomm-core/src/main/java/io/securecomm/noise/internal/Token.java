package io.securecomm.noise.internal;

/**
 * A token of a Noise message pattern (revision 34, section 7.1), spelled as the specification spells it.
 */
public enum Token {
    /** {@code e}: the sender's ephemeral public key. */
    E("e"),
    /** {@code s}: the sender's static public key, encrypted once a key exists. */
    S("s"),
    /** {@code ee}: DH between both ephemeral keys. */
    EE("ee"),
    /** {@code es}: DH between the initiator's ephemeral and the responder's static key. */
    ES("es"),
    /** {@code se}: DH between the initiator's static and the responder's ephemeral key. */
    SE("se"),
    /** {@code ss}: DH between both static keys. */
    SS("ss"),
    /** {@code psk}: a pre-shared symmetric key mixed with MixKeyAndHash (section 9). */
    PSK("psk");

    private final String specName;

    Token(String specName) {
        this.specName = specName;
    }

    /**
     * Returns the token as the specification writes it, such as {@code "es"}.
     *
     * @return the spec name
     */
    public String specName() {
        return specName;
    }

    /**
     * Looks a token up by its spec name.
     *
     * @param specName such as {@code "ee"}
     * @return the token
     * @throws IllegalArgumentException if no token has that name
     */
    public static Token ofSpecName(String specName) {
        for (Token t : values()) {
            if (t.specName.equals(specName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown Noise token '" + specName + "'");
    }
}
