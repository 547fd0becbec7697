package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.ClientRegistry.Refusal;
import io.securecomm.testing.LookAlikes;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Nickname;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientRegistryTest {
    private static final byte[] KEY = new byte[32];

    private static Member<String> admitted(ClientRegistry<String> registry, String nickname) {
        Admission<String> a = registry.admit(nickname, KEY, "session-" + nickname);
        if (a instanceof Admission.Admitted<String> admitted) {
            return admitted.member();
        }
        throw new AssertionError("refused: " + a);
    }

    private static Refusal refusal(Admission<String> a) {
        return assertInstanceOf(Admission.Refused.class, a, () -> "admitted: " + a).reason();
    }

    @Test
    void idsStartAtOneAndAreNeverReused() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        Member<String> alice = admitted(registry, "alice");
        Member<String> bob = admitted(registry, "bob");
        assertEquals(1, alice.clientId());
        assertEquals(2, bob.clientId());
        assertTrue(registry.remove(alice));
        assertEquals(3, admitted(registry, "alice").clientId());
    }

    @Test
    void nicknamesAreUniqueIgnoringCase() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        admitted(registry, "Alice");
        assertEquals(Refusal.NICKNAME_TAKEN, refusal(registry.admit("alice", KEY, "s")));
        assertEquals(Refusal.NICKNAME_TAKEN, refusal(registry.admit("ALICE", KEY, "s")));
        assertEquals(1, registry.size());
    }

    @Test
    void lookAlikesOfOnlineNicknamesAreRefusedWithTheRule() {
        // Issue 22, point 7: these were all admitted while alice and bob were online.
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        admitted(registry, "alice");
        admitted(registry, "bob");
        for (String lookAlike : List.of("aIice", "a11ce", "alice.", "b0b")) {
            Admission<String> a = registry.admit(lookAlike, KEY, "s");
            assertEquals(Refusal.LOOKS_LIKE_ANOTHER, refusal(a), lookAlike);
            String detail = ((Admission.Refused<String>) a).detail();
            assertTrue(detail.contains("looks like") && detail.contains("PROTOCOL.md 8.2"), detail);
        }
        assertEquals(2, registry.size());
        // A look-alike's name is free again once the one it imitated leaves.
        assertTrue(registry.remove(registry.byNickname("alice").orElseThrow()));
        admitted(registry, "aIice");
        assertEquals(Refusal.LOOKS_LIKE_ANOTHER, refusal(registry.admit("alice", KEY, "s")));
    }

    @Property(tries = 300)
    void everyLookAlikeOfAnOnlineNicknameIsRefusedAndOtherNamesAreAdmitted(
            @ForAll("nicknames") String online, @ForAll("nicknames") String other, @ForAll long seed) {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        admitted(registry, online);
        String lookAlike = LookAlikes.of(online, seed);
        if (Limits.isValidNickname(lookAlike)) {
            Refusal r = refusal(registry.admit(lookAlike, KEY, "s"));
            assertTrue(r == Refusal.NICKNAME_TAKEN || r == Refusal.LOOKS_LIKE_ANOTHER, r.toString());
        }
        // Any other name: admitted exactly when it does not look like the one online.
        Admission<String> a = registry.admit(other, KEY, "s");
        assertEquals(!Nickname.looksLike(online, other), a instanceof Admission.Admitted,
                online + " online, " + other + ": " + a);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> nicknames() {
        return net.jqwik.api.Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
                .ofMinLength(1).ofMaxLength(12).filter(Limits::isValidNickname);
    }

    @Test
    void refusedRequestsBurnNoIds() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        admitted(registry, "alice");
        refusal(registry.admit("alice", KEY, "s"));
        refusal(registry.admit("99", KEY, "s"));
        assertEquals(2, admitted(registry, "bob").clientId());
    }

    @Test
    void removedNicknameBecomesFree() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        Member<String> alice = admitted(registry, "alice");
        registry.remove(alice);
        assertFalse(registry.remove(alice), "second removal is a no-op");
        assertTrue(registry.byNickname("alice").isEmpty());
        admitted(registry, "ALICE");
    }

    @Test
    void removingAStaleMemberDoesNotEvictItsSuccessor() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        Member<String> first = admitted(registry, "alice");
        registry.remove(first);
        Member<String> second = admitted(registry, "alice");
        assertFalse(registry.remove(first));
        assertEquals(second, registry.byNickname("alice").orElseThrow());
    }

    @Test
    void limitIsEnforcedAndFreedByRemoval() {
        ClientRegistry<String> registry = new ClientRegistry<>(2);
        Member<String> a = admitted(registry, "a");
        admitted(registry, "b");
        assertEquals(Refusal.RELAY_FULL, refusal(registry.admit("c", KEY, "s")));
        registry.remove(a);
        admitted(registry, "c");
    }

    @Test
    void lookupsAndListings() {
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        Member<String> a = admitted(registry, "alice");
        Member<String> b = admitted(registry, "bob");
        Member<String> c = admitted(registry, "carol");
        assertEquals(List.of(a, b, c), registry.members());
        assertEquals(List.of(a, c), registry.othersThan(b.clientId()));
        assertEquals(b, registry.byId(2).orElseThrow());
        assertEquals(c, registry.byNickname("CAROL").orElseThrow());
        assertTrue(registry.byId(99).isEmpty());
        assertEquals("session-bob", b.session());
    }

    @Test
    void identityKeyIsCopied() {
        byte[] key = new byte[32];
        key[0] = 7;
        ClientRegistry<String> registry = new ClientRegistry<>(10);
        Member<String> m = ((Admission.Admitted<String>) registry.admit("alice", key, "s")).member();
        key[0] = 8;
        assertEquals(7, m.identityKey()[0]);
        m.identityKey()[0] = 9;
        assertEquals(7, m.identityKey()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "Bob_2", "x.y-z", "abcdefghijabcdefghijabcd", "_x", "9lives", "1.5"})
    void validNicknames(String nickname) {
        assertNull(Nicknames.problem(nickname));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "42", "007", "a b", "al/ice", "ålice", "abcdefghijabcdefghijabcde",
        "a\u0000", "a\n"})
    void invalidNicknames(String nickname) {
        assertNotNull(Nicknames.problem(nickname));
        assertEquals(Refusal.INVALID_NICKNAME, refusal(new ClientRegistry<String>(10).admit(nickname, KEY, "s")));
    }

    @Property(tries = 200)
    void aValidNicknameNeverParsesAsAClientId(@ForAll @net.jqwik.api.constraints.Chars({'0', '1', '9', 'a', '_', '.'})
            @net.jqwik.api.constraints.StringLength(min = 1, max = 30) String nickname) {
        if (Nicknames.isValid(nickname)) {
            assertFalse(nickname.chars().allMatch(Character::isDigit));
            assertTrue(nickname.length() <= Nicknames.MAX_LENGTH_CHARS);
        }
    }

    @Test
    void concurrentAdmissionsOfOneNicknameAdmitExactlyOne() throws Exception {
        ClientRegistry<String> registry = new ClientRegistry<>(1000);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Admission<String>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String session = "s" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return registry.admit("same", KEY, session);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Admission<String>> f : results) {
                if (f.get(10, TimeUnit.SECONDS) instanceof Admission.Admitted) {
                    winners++;
                }
            }
            assertEquals(1, winners);
            assertEquals(1, registry.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentDistinctAdmissionsGetDistinctIds() throws Exception {
        ClientRegistry<String> registry = new ClientRegistry<>(1000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Admission<String>>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String nick = "n" + i;
                results.add(pool.submit(() -> registry.admit(nick, KEY, nick)));
            }
            Set<Integer> ids = new HashSet<>();
            for (Future<Admission<String>> f : results) {
                ids.add(((Admission.Admitted<String>) f.get(10, TimeUnit.SECONDS)).member().clientId());
            }
            assertEquals(200, ids.size());
            assertEquals(200, registry.members().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void memberKeyIsReadable() {
        byte[] key = {1, 2, 3};
        Member<String> m = new Member<>(1, "a", key, "s");
        assertArrayEquals(key, m.identityKey());
    }
}
