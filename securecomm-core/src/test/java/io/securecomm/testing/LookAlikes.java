package io.securecomm.testing;

import io.securecomm.wire.Nickname;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Look-alike spellings of nicknames (docs/PROTOCOL.md 8.2), for the tests that the relay refuses them. */
public final class LookAlikes {
    private LookAlikes() {}

    /** Each character of the nickname alphabet and the spellings that look like it (its own first). */
    private static final Map<Character, List<String>> LOOK_ALIKES = Map.ofEntries(
            Map.entry('l', List.of("l", "L", "1", "i", "I")),
            Map.entry('i', List.of("i", "I", "l", "L", "1")),
            Map.entry('1', List.of("1", "l", "L", "i", "I")),
            Map.entry('o', List.of("o", "O", "0")),
            Map.entry('0', List.of("0", "o", "O")),
            Map.entry('e', List.of("e", "E", "3")),
            Map.entry('a', List.of("a", "A", "4")),
            Map.entry('s', List.of("s", "S", "5")),
            Map.entry('t', List.of("t", "T", "7")),
            Map.entry('b', List.of("b", "B", "8")),
            Map.entry('g', List.of("g", "G", "9")),
            Map.entry('z', List.of("z", "Z", "2")),
            Map.entry('m', List.of("m", "M", "rn", "RN", "rN")),
            Map.entry('w', List.of("w", "W", "vv", "VV", "vV")),
            Map.entry('d', List.of("d", "D", "cl", "cI", "c1", "CL")),
            Map.entry('.', List.of(".", "_", "-", "._", "--")),
            Map.entry('_', List.of("_", ".", "-", "__")),
            Map.entry('-', List.of("-", ".", "_", "-.")));

    /**
     * Makes a look-alike of a nickname: each character replaced by a random spelling that looks like it, in either
     * case, with punctuation perhaps added at either end. It may be longer than the nickname rule allows.
     *
     * @param nickname a valid nickname
     * @param seed chooses the spellings
     * @return the look-alike
     */
    public static String of(String nickname, long seed) {
        Random r = new Random(seed);
        StringBuilder out = new StringBuilder();
        if (r.nextInt(4) == 0) {
            out.append("._-".charAt(r.nextInt(3)));
        }
        for (char c : Nickname.canonical(nickname).toCharArray()) {
            List<String> spellings = LOOK_ALIKES.get(c);
            if (spellings == null) {
                out.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
            } else {
                out.append(spellings.get(r.nextInt(spellings.size())));
            }
        }
        if (r.nextInt(4) == 0) {
            out.append("._-".charAt(r.nextInt(3)));
        }
        return out.toString();
    }
}
