package io.securecomm.noise.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The table of supported handshake patterns, written as in the specification (revision 34, sections 7.4,
 * 7.5 and 7.6), and the {@code pskN} modifiers of section 9.2.
 *
 * <p>Each entry lists the initiator's and the responder's pre-message, then the message patterns in
 * order; messages alternate, starting with the initiator. Fallback and the other modifiers are not
 * supported.
 */
public final class HandshakePatterns {
    private static final Map<String, HandshakePattern> BASE = new LinkedHashMap<>();

    static {
        // One-way patterns (7.4).
        oneWay("N", "", "s", "e, es");
        oneWay("K", "s", "s", "e, es, ss");
        oneWay("X", "", "s", "e, es, s, ss");
        // Fundamental interactive patterns (7.4).
        interactive("NN", "", "", "e", "e, ee");
        interactive("NK", "", "s", "e, es", "e, ee");
        interactive("NX", "", "", "e", "e, ee, s, es");
        interactive("XN", "", "", "e", "e, ee", "s, se");
        interactive("XK", "", "s", "e, es", "e, ee", "s, se");
        interactive("XX", "", "", "e", "e, ee, s, es", "s, se");
        interactive("KN", "s", "", "e", "e, ee, se");
        interactive("KK", "s", "s", "e, es, ss", "e, ee, se");
        interactive("KX", "s", "", "e", "e, ee, se, s, es");
        interactive("IN", "", "", "e, s", "e, ee, se");
        interactive("IK", "", "s", "e, es, s, ss", "e, ee, se");
        interactive("IX", "", "", "e, s", "e, ee, se, s, es");
        // Deferred patterns (7.5).
        interactive("NK1", "", "s", "e", "e, ee, es");
        interactive("NX1", "", "", "e", "e, ee, s", "es");
        interactive("X1N", "", "", "e", "e, ee", "s", "se");
        interactive("X1K", "", "s", "e, es", "e, ee", "s", "se");
        interactive("XK1", "", "s", "e", "e, ee, es", "s, se");
        interactive("X1K1", "", "s", "e", "e, ee, es", "s", "se");
        interactive("X1X", "", "", "e", "e, ee, s, es", "s", "se");
        interactive("XX1", "", "", "e", "e, ee, s", "es, s, se");
        interactive("X1X1", "", "", "e", "e, ee, s", "es, s", "se");
        interactive("K1N", "s", "", "e", "e, ee", "se");
        interactive("K1K", "s", "s", "e, es", "e, ee", "se");
        interactive("KK1", "s", "s", "e", "e, ee, se, es");
        interactive("K1K1", "s", "s", "e", "e, ee, es", "se");
        interactive("K1X", "s", "", "e", "e, ee, s, es", "se");
        interactive("KX1", "s", "", "e", "e, ee, se, s", "es");
        interactive("K1X1", "s", "", "e", "e, ee, s", "se, es");
        interactive("I1N", "", "", "e, s", "e, ee", "se");
        interactive("I1K", "", "s", "e, es, s", "e, ee", "se");
        interactive("IK1", "", "s", "e, s", "e, ee, se, es");
        interactive("I1K1", "", "s", "e, s", "e, ee, es", "se");
        interactive("I1X", "", "", "e, s", "e, ee, s, es", "se");
        interactive("IX1", "", "", "e, s", "e, ee, se, s", "es");
        interactive("I1X1", "", "", "e, s", "e, ee, s", "se, es");
    }

    private HandshakePatterns() {}

    /**
     * Returns the names of the supported base patterns, without modifiers.
     *
     * @return the names, sorted
     */
    public static Set<String> baseNames() {
        return Collections.unmodifiableSet(new TreeSet<>(BASE.keySet()));
    }

    /**
     * Looks up a pattern name with optional modifiers, such as {@code "XX"}, {@code "XXpsk3"} or
     * {@code "NNpsk0+psk2"}.
     *
     * @param nameWithModifiers the pattern part of a protocol name
     * @return the pattern with its psk tokens inserted
     * @throws IllegalArgumentException naming the unsupported base pattern or modifier
     */
    public static HandshakePattern lookup(String nameWithModifiers) {
        int split = 0;
        while (split < nameWithModifiers.length()
                && (Character.isUpperCase(nameWithModifiers.charAt(split))
                        || Character.isDigit(nameWithModifiers.charAt(split)))) {
            split++;
        }
        String base = nameWithModifiers.substring(0, split);
        HandshakePattern pattern = BASE.get(base);
        if (pattern == null) {
            throw new IllegalArgumentException("unsupported Noise handshake pattern '" + base
                    + "' (supported: " + String.join(", ", baseNames()) + ")");
        }
        if (split == nameWithModifiers.length()) {
            return pattern;
        }
        List<List<Token>> messages = new ArrayList<>();
        for (List<Token> m : pattern.messages()) {
            messages.add(new ArrayList<>(m));
        }
        Set<Integer> seen = new TreeSet<>();
        for (String modifier : nameWithModifiers.substring(split).split("\\+", -1)) {
            int position = pskPosition(modifier, messages.size());
            if (!seen.add(position)) {
                throw new IllegalArgumentException("duplicate Noise pattern modifier '" + modifier + "'");
            }
            if (position == 0) {
                messages.get(0).add(0, Token.PSK);
            } else {
                messages.get(position - 1).add(Token.PSK);
            }
        }
        return new HandshakePattern(nameWithModifiers, pattern.initiatorPreMessage(),
                pattern.responderPreMessage(), messages, pattern.oneWay());
    }

    private static int pskPosition(String modifier, int messageCount) {
        if (!modifier.matches("psk[0-9]{1,2}")) {
            throw new IllegalArgumentException("unsupported Noise pattern modifier '" + modifier
                    + "' (supported: psk0 to psk" + messageCount + ")");
        }
        int position = Integer.parseInt(modifier.substring(3));
        if (position > messageCount) {
            throw new IllegalArgumentException("Noise pattern modifier '" + modifier
                    + "' points past the last of " + messageCount + " messages");
        }
        return position;
    }

    private static void oneWay(String name, String initiatorPre, String responderPre, String message) {
        BASE.put(name, new HandshakePattern(name, tokens(initiatorPre), tokens(responderPre),
                List.of(tokens(message)), true));
    }

    private static void interactive(String name, String initiatorPre, String responderPre, String... messages) {
        List<List<Token>> parsed = new ArrayList<>();
        for (String m : messages) {
            parsed.add(tokens(m));
        }
        BASE.put(name, new HandshakePattern(name, tokens(initiatorPre), tokens(responderPre), parsed, false));
    }

    private static List<Token> tokens(String spec) {
        if (spec.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(spec.split(", ")).map(Token::ofSpecName).toList();
    }
}
