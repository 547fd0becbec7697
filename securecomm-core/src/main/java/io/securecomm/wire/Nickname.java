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
}
