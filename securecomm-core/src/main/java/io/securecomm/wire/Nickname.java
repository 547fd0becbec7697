package io.securecomm.wire;

import java.util.Objects;

/**
 * The canonical form of a nickname (docs/PROTOCOL.md, section 8.1): the one spelling under which a nickname is
 * compared, stored and looked up wherever it names an identity. The relay enforces uniqueness over canonical
 * forms; clients key every trusted identity key, end-to-end session, room key and lookup of what the user types
 * by it. Two nicknames name the same client exactly when their canonical forms are equal, so {@code Alice} can
 * never be a different peer from {@code alice}, nor inherit or replace its trust silently.
 *
 * <p>The canonical form is the ASCII lower case: each letter {@code A}-{@code Z} becomes {@code a}-{@code z}, and
 * every other character stays as it is. For a valid nickname ({@link Limits#isValidNickname(String)}: ASCII
 * letters, digits, {@code _ - .}) that is all there is to it: no Unicode case folding or normalisation is
 * involved, and the result is again a valid nickname. The mapping is defined on every string so that a store never
 * fails on a name it is handed; a string with other characters is not a nickname, and its canonical form only
 * lower-cases its ASCII letters. A client shows the nickname as the relay spells it, and compares by this form.
 *
 * <p>Two different nicknames may still look alike on a screen ({@code alice}, {@code aIice}, {@code a1ice},
 * {@code alice.}). The <b>skeleton</b> ({@link #skeleton(String)}, docs/PROTOCOL.md section 8.2) maps each such
 * nickname to one string, in the spirit of the Unicode confusables skeleton (UTS #39, section 4) restricted to the
 * nickname alphabet; a relay refuses a nickname whose skeleton is that of a nickname already online (and, once
 * accounts exist, registered), so a newcomer cannot pass for someone by a look-alike spelling.
 *
 * <p>Thread-safe (stateless).
 */
public final class Nickname {
    private Nickname() {}

    /**
     * Returns the canonical form of a nickname: its ASCII letters in lower case, every other character unchanged.
     *
     * @param nickname a nickname, as typed or as the relay spells it
     * @return the canonical form; the same string if it already is canonical
     */
    public static String canonical(String nickname) {
        Objects.requireNonNull(nickname, "nickname");
        for (int i = 0; i < nickname.length(); i++) {
            char c = nickname.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] out = nickname.toCharArray();
                for (int j = i; j < out.length; j++) {
                    if (out[j] >= 'A' && out[j] <= 'Z') {
                        out[j] = (char) (out[j] + ('a' - 'A'));
                    }
                }
                return new String(out);
            }
        }
        return nickname;
    }

    /**
     * Tells whether two nicknames name the same client: whether their canonical forms are equal.
     *
     * @param a a nickname
     * @param b another nickname
     * @return {@code true} if {@code canonical(a).equals(canonical(b))}
     */
    public static boolean sameName(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    /**
     * Returns the confusable skeleton of a nickname (docs/PROTOCOL.md section 8.2): two nicknames that look alike
     * have the same skeleton. Steps, in order:
     * <ol>
     *   <li>the canonical form ({@link #canonical}: ASCII lower case);</li>
     *   <li>leading and trailing {@code . _ -} are dropped; inside, every run of them becomes one {@code -};</li>
     *   <li>each remaining character is replaced by its prototype: {@code 0 -> o}, {@code 1 -> l}, {@code i -> l},
     *       {@code 2 -> z}, {@code 3 -> e}, {@code 4 -> a}, {@code 5 -> s}, {@code 7 -> t}, {@code 8 -> b},
     *       {@code 9 -> g} (each digit to a different letter, so numbered nicknames stay apart: {@code 6} stays),
     *       and the letters that look like two: {@code m -> rn}, {@code w -> vv}, {@code d -> cl}; every other
     *       character stays.</li>
     * </ol>
     * The last step maps each character on its own (UTS #39 maps {@code rn} to {@code m}; mapping {@code m} to
     * {@code rn} instead gives the same equality, and cannot depend on how a string is split: {@code vvv} is both
     * {@code wv} and {@code vw}). The skeleton is a key for comparison, not a nickname to show: it need not be
     * valid, and it is empty for a nickname of punctuation only (which the nickname rule refuses anyway).
     *
     * @param nickname a nickname
     * @return its skeleton
     */
    public static String skeleton(String nickname) {
        String c = canonical(nickname);
        int start = 0;
        int end = c.length();
        while (start < end && isPunctuation(c.charAt(start))) {
            start++;
        }
        while (end > start && isPunctuation(c.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(2 * (end - start));
        for (int i = start; i < end; i++) {
            char ch = c.charAt(i);
            if (isPunctuation(ch)) {
                if (out.charAt(out.length() - 1) != '-') {
                    out.append('-');
                }
            } else {
                out.append(prototype(ch));
            }
        }
        return out.toString();
    }

    /**
     * Tells whether two nicknames look alike: whether their {@link #skeleton skeletons} are equal. Nicknames that
     * {@link #sameName name the same client} always look alike.
     *
     * @param a a nickname
     * @param b another nickname
     * @return {@code true} if {@code skeleton(a).equals(skeleton(b))}
     */
    public static boolean looksLike(String a, String b) {
        return skeleton(a).equals(skeleton(b));
    }

    private static boolean isPunctuation(char c) {
        return c == '.' || c == '_' || c == '-';
    }

    private static String prototype(char c) {
        return switch (c) {
            case '0' -> "o";
            case '1', 'i' -> "l";
            case '2' -> "z";
            case '3' -> "e";
            case '4' -> "a";
            case '5' -> "s";
            case '7' -> "t";
            case '8' -> "b";
            case '9' -> "g";
            case 'm' -> "rn";
            case 'w' -> "vv";
            case 'd' -> "cl";
            default -> String.valueOf(c);
        };
    }
}
