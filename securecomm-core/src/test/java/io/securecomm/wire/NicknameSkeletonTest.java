package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.LookAlikes;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The confusable skeleton of nicknames (docs/PROTOCOL.md 8.2): look-alikes agree, other names do not. */
class NicknameSkeletonTest {
    @Test
    void theLookAlikesOfIssue22AgreeWithTheNamesTheyImitate() {
        for (String lookAlike : List.of("aIice", "a11ce", "alice.", "_alice", "ALICE", "a1ice", "al1ce", "4lice")) {
            assertTrue(Nickname.looksLike("alice", lookAlike), lookAlike);
        }
        for (String lookAlike : List.of("b0b", "B0B", "8ob", "bob-")) {
            assertTrue(Nickname.looksLike("bob", lookAlike), lookAlike);
        }
        assertTrue(Nickname.looksLike("martin", "rnartin"));
        assertTrue(Nickname.looksLike("walter", "vvalter"));
        assertTrue(Nickname.looksLike("dave", "clave"));
        assertTrue(Nickname.looksLike("vvv", "wv"));
        assertTrue(Nickname.looksLike("vw", "wv"));
        assertTrue(Nickname.looksLike("a_b", "a.-b"));
    }

    @Test
    void differentNamesStayApart() {
        for (String other : List.of("alicia", "alice2", "malice", "alce", "bob")) {
            assertFalse(Nickname.looksLike("alice", other), other);
        }
        assertFalse(Nickname.looksLike("b.o.b", "bob"), "punctuation inside is a separator, not nothing");
        assertFalse(Nickname.looksLike("load6", "load8"), "numbered nicknames stay apart");
        assertFalse(Nickname.looksLike("client12", "client21"));
    }

    @Test
    void theSkeletonIsDocumented() {
        assertEquals("allce", Nickname.skeleton("aIice"));
        assertEquals("allce", Nickname.skeleton("-a1ice."));
        assertEquals("rnallory", Nickname.skeleton("Mallory"));
        assertEquals("vvalt-cl", Nickname.skeleton("walt__d"));
        assertEquals("", Nickname.skeleton("._-"));
    }

    @Provide
    Arbitrary<String> nicknames() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
                .ofMinLength(1).ofMaxLength(Limits.NICKNAME_MAX_CHARS).filter(Limits::isValidNickname);
    }

    @Property(tries = 500)
    void everyLookAlikeHasTheSameSkeleton(@ForAll("nicknames") String nickname, @ForAll long seed) {
        String variant = LookAlikes.of(nickname, seed);
        assertEquals(Nickname.skeleton(nickname), Nickname.skeleton(variant), nickname + " and " + variant);
    }

    @Property(tries = 500)
    void nicknamesOfTheSameCanonicalFormAlwaysLookAlike(@ForAll("nicknames") String nickname, @ForAll long seed) {
        Random r = new Random(seed);
        StringBuilder other = new StringBuilder();
        for (char c : nickname.toCharArray()) {
            other.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        assertTrue(Nickname.looksLike(nickname, other.toString()));
    }
}
