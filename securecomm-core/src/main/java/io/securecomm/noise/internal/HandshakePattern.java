package io.securecomm.noise.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One handshake pattern as data: its pre-messages and message patterns (revision 34, section 7), after any
 * {@code pskN} modifiers were applied. Message {@code i} is sent by the initiator when {@code i} is even
 * and by the responder when it is odd; one-way patterns have a single initiator message.
 *
 * <p>Immutable.
 *
 * @param name the pattern name with its modifiers, such as {@code "XXpsk3"}
 * @param initiatorPreMessage the tokens of the initiator's pre-message ({@code -> s}), possibly empty
 * @param responderPreMessage the tokens of the responder's pre-message ({@code <- s}), possibly empty
 * @param messages the message patterns in order
 * @param oneWay whether this is a one-way pattern (N, K, X and their psk variants)
 */
public record HandshakePattern(
        String name,
        List<Token> initiatorPreMessage,
        List<Token> responderPreMessage,
        List<List<Token>> messages,
        boolean oneWay) {

    /**
     * Copies every list so the pattern is immutable.
     *
     * @param name the pattern name
     * @param initiatorPreMessage the initiator's pre-message tokens
     * @param responderPreMessage the responder's pre-message tokens
     * @param messages the message patterns
     * @param oneWay whether the pattern is one-way
     */
    public HandshakePattern {
        initiatorPreMessage = List.copyOf(initiatorPreMessage);
        responderPreMessage = List.copyOf(responderPreMessage);
        List<List<Token>> copy = new ArrayList<>(messages.size());
        for (List<Token> m : messages) {
            copy.add(List.copyOf(m));
        }
        messages = List.copyOf(copy);
    }

    /**
     * Returns whether any message pattern holds a {@code psk} token, which turns on the PSK rule of section
     * 9.2 ({@code MixKey(e.public_key)} after every {@code e}).
     *
     * @return true for a psk handshake
     */
    public boolean hasPsk() {
        return pskCount() > 0;
    }

    /**
     * Counts the {@code psk} tokens, which is the number of pre-shared keys each side must supply.
     *
     * @return the count
     */
    public int pskCount() {
        int n = 0;
        for (List<Token> m : messages) {
            for (Token t : m) {
                if (t == Token.PSK) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Returns whether the given side needs a local static key pair: it sends {@code s}, has it in a
     * pre-message, or uses it in a DH token.
     *
     * @param initiator which side
     * @return true if that side needs a static key
     */
    public boolean needsLocalStatic(boolean initiator) {
        if (!(initiator ? initiatorPreMessage : responderPreMessage).isEmpty()) {
            return true;
        }
        for (int i = 0; i < messages.size(); i++) {
            boolean sentByInitiator = (i % 2) == 0;
            if (sentByInitiator == initiator && messages.get(i).contains(Token.S)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether the given side must know the peer's static public key before the handshake, because
     * the peer's pre-message holds it.
     *
     * @param initiator which side
     * @return true if the remote static key is a pre-message
     */
    public boolean needsRemoteStaticBeforehand(boolean initiator) {
        return !(initiator ? responderPreMessage : initiatorPreMessage).isEmpty();
    }
}
