package io.securecomm.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.noise.NoiseDh;
import io.securecomm.relay.RateLimit;
import io.securecomm.wire.Limits;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatClientOptionsTest {
    private static final RelayTrustStore TOFU = RelayTrustStore.trustOnFirstUseInMemory();

    @Test
    void theApplicationMustChooseHowToTrustTheRelay() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChatClientOptions.builder("h", 1).nickname("alice").build());
        assertTrue(e.getMessage().contains("RelayTrustStore.knownKey"), e.getMessage());
        // Only the INSECURE legacy suite, which authenticates no relay, goes without.
        ChatClientOptions legacy = ChatClientOptions.builder("h", 1).nickname("alice").insecureLegacyCrypto(true)
                .build();
        assertThrows(IllegalStateException.class, () -> legacy.trustStore().verify("h:1", new byte[32]));
        assertEquals(RoomPolicy.EVERYONE, legacy.roomPolicy());
    }
    @Test
    void defaultsAndAddress() {
        ChatClientOptions o = ChatClientOptions.builder("example.org", 8080).nickname("alice").trustStore(TOFU).build();
        assertEquals("example.org:8080", o.relayAddress());
        assertEquals(ChatClientOptions.DEFAULT_CONNECT_TIMEOUT, o.connectTimeout());
        assertEquals(NoiseDh.X25519, o.identity().dh());
        assertFalse(o.toString().contains("privateKey"), "the identity is redacted");
    }

    /** Issue 21: the builder applies the relay's own nickname rule, so a bad nickname fails here, at once. */
    @Test
    void theBuilderRefusesWhatTheRelaysNicknameRuleRefusesAndNamesTheRule() {
        for (String bad : new String[] {"", "12", "bad name", "x".repeat(25), "caf\u00e9", "a/b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChatClientOptions.builder("h", 1).nickname(bad), bad);
            assertEquals("invalid nickname: " + Limits.nicknameProblem(bad), e.getMessage());
        }
        for (String good : new String[] {"a", "Alice_2", "x".repeat(24), "a-b.c"}) {
            assertEquals(good, ChatClientOptions.builder("h", 1).nickname(good).trustStore(TOFU).build().nickname());
        }
    }

    @Test
    void anEmbeddedRelaysAddressIsTakenAsItIs() {
        ChatClientOptions o = ChatClientOptions.builder(new InetSocketAddress("127.0.0.1", 4242)).nickname("alice")
                .trustStore(TOFU).build();
        assertEquals("127.0.0.1", o.host());
        assertEquals(4242, o.port());
        assertEquals("127.0.0.1:4242", o.relayAddress());
    }

    @Test
    void aRelayOfSeveralNodesIsNamedByAllOfThemInOrder() {
        ChatClientOptions o = ChatClientOptions.builder("one.example", 8080).alsoTry("two.example", 8081)
                .alsoTry("10.0.0.3", 8080).nickname("alice").trustStore(TOFU).build();
        assertEquals("one.example:8080,two.example:8081,10.0.0.3:8080", o.relayAddress(), "the pin's name");
        assertEquals(List.of(InetSocketAddress.createUnresolved("one.example", 8080),
                InetSocketAddress.createUnresolved("two.example", 8081),
                InetSocketAddress.createUnresolved("10.0.0.3", 8080)), o.nodes());
        assertEquals("one.example", o.host());
        assertEquals(8080, o.port());
        assertThrows(UnsupportedOperationException.class, () -> o.nodes().clear());
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 1).alsoTry("h", 0));
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 1).alsoTry(" ", 1));
    }

    @Test
    void callerMistakesAreUnchecked() {
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 0));
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder(" ", 1));
        IllegalStateException noNickname = assertThrows(IllegalStateException.class,
                () -> ChatClientOptions.builder("h", 1).trustStore(TOFU).build());
        assertTrue(noNickname.getMessage().contains("nickname(\"alice\")"), noNickname.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 1).nickname("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder(new InetSocketAddress(0)));
        assertThrows(IllegalArgumentException.class,
                () -> ChatClientOptions.builder("h", 1).connectTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ChatClientOptions.builder("h", 1).protocolStore(null));
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 1).pacing(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 1).pacing(1, 0));
        assertThrows(IllegalArgumentException.class, () -> ChatClientOptions.builder("h", 1).pacing(1_000_001, 1));
    }

    @Test
    void theDefaultPaceLeavesHalfADefaultRelaysRateLimit() {
        ChatClientOptions o = ChatClientOptions.builder("h", 1).nickname("alice").trustStore(TOFU).build();
        assertEquals(RateLimit.DEFAULT_MESSAGES_PER_SECOND / 2, o.requestsPerSecond());
        assertEquals(RateLimit.DEFAULT_BURST_MESSAGES / 2, o.requestBurst());
        ChatClientOptions fast = ChatClientOptions.builder("h", 1).nickname("alice").trustStore(TOFU)
                .pacing(500, 70).build();
        assertEquals(500, fast.requestsPerSecond());
        assertEquals(70, fast.requestBurst());
        assertTrue(fast.toString().contains("pacing=500/s (burst 70)"), fast.toString());
    }

    @Test
    void theNoiseStaticKeyIsTheEndToEndIdentitysAgreementKey() {
        try (IdentityKeyPair id = IdentityKeyPair.generate(new SecureRandom())) {
            ChatClientOptions o = ChatClientOptions.builder("h", 1).nickname("a").trustStore(TOFU)
                    .protocolStore(new InMemoryProtocolStore(id)).build();
            assertArrayEquals(id.publicKey().agreementKey(), o.identity().publicKey());
        }
    }

    @Test
    void operationsBeforeConnectFailWithNotConnected() throws Exception {
        try (ChatClient c = ChatClient.create(
                ChatClientOptions.builder("127.0.0.1", 9).nickname("a").trustStore(TOFU).build(),
                new ChatListener() {})) {
            assertFalse(c.isConnected());
            for (var f : List.of(c.sendPublic("x"), c.sendPrivate("bob", "x"), c.sendPrivate(2, "x"))) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertInstanceOf(NotConnectedException.class, e.getCause());
            }
            assertThrows(IllegalArgumentException.class, () -> c.sendPublic(""));
            assertThrows(IllegalArgumentException.class, () -> c.sendPublic("x".repeat(4097)));
            assertThrows(IllegalArgumentException.class, () -> c.sendPrivate(0, "x"));
        }
    }
}
