package io.securecomm.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.securecomm.cluster.redis.internal.Keys;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.PreKeyRecord;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoredMessage;
import io.securecomm.testing.redis.RedisServerProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the conformance suite cannot see: the key layout's hash slots, and the store against a Redis that drops
 * its connections, stops answering, dies and comes back. Each test runs its own redis-server; every wait is
 * bounded (a hang fails the test at {@link #BOUND} instead of blocking the build).
 */
class RedisRelayStoreTest {
    /** The longest any one wait in these tests may take. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    /**
     * The stores' command deadline: the default, which also bounds a new connection's handshake (a shorter one
     * fails that handshake on a busy machine).
     */
    private static final Duration COMMAND_TIMEOUT = RedisStoreOptions.DEFAULT_COMMAND_TIMEOUT;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private RedisServerProcess redis(RedisServerProcess.Persistence persistence) throws Exception {
        RedisServerProcess r = RedisServerProcess.start(dir, persistence);
        toClose.add(r);
        return r;
    }

    private RedisRelayStore open(RedisServerProcess r) throws Exception {
        RedisRelayStore s = RedisRelayStore.open(r.uri(), RedisStoreOptions.builder()
                .commandTimeout(COMMAND_TIMEOUT)
                .maxReconnectDelay(Duration.ofMillis(200))
                .recoveryProbeInterval(Duration.ofMillis(100))
                .build());
        toClose.add(s);
        return s;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long stored(RedisRelayStore s, String recipient, String text) throws Exception {
        return assertInstanceOf(EnqueueResult.Stored.class,
                await(s.messages().enqueue(recipient, "alice", bytes(text)))).messageId();
    }

    private static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(m -> new String(m.envelope(), StandardCharsets.UTF_8)).toList();
    }

    /** Waits, bounded, until the store is healthy again. */
    private static void awaitHealthy(RedisRelayStore s) throws Exception {
        await(s.whenHealthy());
        assertTrue(s.health().healthy());
    }

    // ---------------------------------------------------------------- key layout

    @Test
    void everyKeyOfAnAccountIsOnOneHashSlot() {
        Keys keys = new Keys("sc");
        for (String nickname : List.of("bob", "Bob", "b{o}b", "}bob{", "%7Bbob", "{", "}", "b\u00f6b",
                "\ud83d\ude00", "a:b")) {
            byte[][] k = keys.account(nickname);
            Set<Integer> slots = new HashSet<>();
            for (byte[] key : k) {
                slots.add(SlotHash.getSlot(key));
            }
            assertEquals(1, slots.size(), "the keys of '" + nickname + "' span slots " + slots);
            assertEquals(3 + 2 * Keys.consumedKinds().size(), k.length);
        }
    }

    @Test
    void nicknamesThatCouldCloseTheHashTagGetKeysOfTheirOwn() {
        Keys keys = new Keys("sc");
        Set<String> seen = new HashSet<>();
        for (String nickname : List.of("bob", "bob}", "bob%7D", "bob%257D", "{bob", "%7Bbob")) {
            for (byte[] key : keys.account(nickname)) {
                assertTrue(seen.add(new String(key, StandardCharsets.UTF_8)), "two nicknames share a key");
            }
        }
        assertEquals("sc:{acct:b%7Bo%7Db%25}:queue",
                new String(keys.account("b{o}b%")[Keys.QUEUE], StandardCharsets.UTF_8));
    }

    @Test
    void aKeyPrefixWithABraceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RedisStoreOptions.builder().keyPrefix("sc{x}"));
        assertThrows(IllegalArgumentException.class, () -> RedisStoreOptions.builder().keyPrefix(""));
    }

    // ---------------------------------------------------------------- survival

    @Test
    void dataSurvivesAReconnectAndANewStore() throws Exception {
        RedisServerProcess r = redis(RedisServerProcess.Persistence.NONE);
        RedisRelayStore s = open(r);
        assertEquals(Registration.REGISTERED, await(s.accounts().register("bob", bytes("key of bob"))));
        await(s.preKeys().publish("bob", List.of(new PreKeyRecord(PreKeyKind.ONE_TIME, 1, bytes("otk")))));
        long first = stored(s, "bob", "before");

        // The server drops every client connection: the store reconnects by itself.
        assertTrue(r.command("CLIENT", "KILL", "TYPE", "normal").startsWith(":"));
        long second = -1;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (second < 0 && System.nanoTime() < deadline) {
            try {
                second = stored(s, "bob", "after");
            } catch (StoreException e) {
                assertEquals(StoreException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
                Thread.sleep(50);
            }
        }
        assertTrue(second > first, "stored after the reconnection, above the earlier id");
        awaitHealthy(s);
        assertEquals(List.of("before", "after"), texts(await(s.messages().fetch("bob", 0, 10))));

        // A new store (a restarted relay, or another node) on the same Redis sees the same data.
        s.close();
        RedisRelayStore again = open(r);
        assertArrayEquals(bytes("key of bob"),
                await(again.accounts().find("bob")).orElseThrow().identityKey());
        assertEquals(List.of("before", "after"), texts(await(again.messages().fetch("bob", 0, 10))));
        assertEquals(1, await(again.preKeys().count("bob")).orElseThrow().count(PreKeyKind.ONE_TIME));
        assertTrue(stored(again, "bob", "third") > second, "ids go on from the shared counter");
    }

    @Test
    void openingWithoutARedisFailsAsUnavailable() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StoreException e = assertThrows(StoreException.class, () -> RedisRelayStore.open(
                "redis://127.0.0.1:" + port, RedisStoreOptions.builder().connectTimeout(Duration.ofSeconds(1))
                        .build()));
        assertEquals(StoreException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aDeadRedisFailsOperationsAsUnavailableAndTheStoreRecoversWhenItReturns() throws Exception {
        RedisServerProcess r = redis(RedisServerProcess.Persistence.AOF_ALWAYS);
        RedisRelayStore s = open(r);
        register(s);
        long before = stored(s, "bob", "before");
        r.kill();

        StoreException down = assertThrows(StoreException.class, () -> await(s.messages().enqueue("bob", "alice",
                bytes("while down"))));
        assertEquals(StoreException.Reason.UNAVAILABLE, down.reason(), down.getMessage());
        assertTrue(down.getMessage().contains("Redis at 127.0.0.1:" + r.port()), down.getMessage());
        assertEquals(StoreException.Reason.UNAVAILABLE, assertThrows(StoreException.class,
                () -> await(s.accounts().find("bob"))).reason(), "reads fail alike");
        assertFalse(s.health().healthy(), "not ready while Redis is down");
        assertEquals(StoreException.Reason.UNAVAILABLE, s.health().failure().orElseThrow().reason());
        CompletableFuture<Void> healthy = s.whenHealthy().toCompletableFuture();
        assertFalse(healthy.isDone());

        r.restart();
        await(healthy);
        assertTrue(s.health().healthy());
        long after = stored(s, "bob", "after");
        assertTrue(after > before);
        assertEquals(List.of("before", "after"), texts(await(s.messages().fetch("bob", 0, 10))),
                "what was acknowledged survived; what failed was not stored");
    }

    @Test
    void aStalledRedisTimesOutInsteadOfHanging() throws Exception {
        RedisServerProcess r = redis(RedisServerProcess.Persistence.NONE);
        RedisRelayStore s = open(r);
        register(s);
        r.pause();
        try {
            List<CompletableFuture<?>> calls = List.of(
                    s.messages().enqueue("bob", "alice", bytes("x")).toCompletableFuture(),
                    s.messages().fetch("bob", 0, 10).toCompletableFuture(),
                    s.messages().acknowledge("bob", List.of(1L)).toCompletableFuture(),
                    s.accounts().register("carol", bytes("key of carol")).toCompletableFuture(),
                    s.accounts().list().toCompletableFuture(),
                    s.preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME)).toCompletableFuture(),
                    s.messages().purgeExpired().toCompletableFuture(),
                    s.messages().totals().toCompletableFuture());
            for (CompletableFuture<?> call : calls) {
                StoreException e = assertThrows(StoreException.class, () -> await(call));
                assertEquals(StoreException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("did not answer within " + COMMAND_TIMEOUT.toMillis() + " ms"),
                        e.getMessage());
            }
            assertFalse(s.health().healthy());
        } finally {
            r.resume();
        }
        awaitHealthy(s);
        assertEquals(Registration.ALREADY_REGISTERED, await(s.accounts().register("bob", bytes("key of bob"))));
    }

    @Test
    void aRestartWithAppendFsyncAlwaysKeepsEveryAcknowledgedChange() throws Exception {
        RedisServerProcess r = redis(RedisServerProcess.Persistence.AOF_ALWAYS);
        RedisRelayStore s = open(r);
        register(s);
        List<PreKeyRecord> keys = new ArrayList<>();
        for (int id = 1; id <= 5; id++) {
            keys.add(new PreKeyRecord(PreKeyKind.ONE_TIME, id, bytes("otk " + id)));
        }
        await(s.preKeys().publish("bob", keys));
        int taken = await(s.preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME))).orElseThrow()
                .record(PreKeyKind.ONE_TIME).orElseThrow().keyId();
        List<CompletableFuture<EnqueueResult>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(s.messages().enqueue("bob", "alice", bytes("m" + i)).toCompletableFuture());
        }
        List<Long> ids = new ArrayList<>();
        for (CompletableFuture<EnqueueResult> f : sends) {
            ids.add(assertInstanceOf(EnqueueResult.Stored.class, await(f)).messageId());
        }
        assertEquals(10, await(s.messages().acknowledge("bob", ids.subList(0, 10))));

        r.kill(); // SIGKILL: no orderly shutdown, nothing flushed beyond what appendfsync always did
        r.restart();
        awaitHealthyAfterUse(s);

        List<StoredMessage> left = await(s.messages().fetch("bob", 0, 1000));
        assertEquals(ids.subList(10, 200), left.stream().map(StoredMessage::messageId).toList(),
                "every stored message not acknowledged, in order; the acknowledged ones stay deleted");
        assertEquals(4, await(s.preKeys().count("bob")).orElseThrow().count(PreKeyKind.ONE_TIME));
        assertEquals(1, taken);
        assertEquals(2, await(s.preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME))).orElseThrow()
                .record(PreKeyKind.ONE_TIME).orElseThrow().keyId(), "a key handed out is never handed out again");
        assertTrue(stored(s, "bob", "after the restart") > ids.get(199), "the id counter survived too");
    }

    /** After a restart the store learns of the lost connection on its next command; retries until it works. */
    private static void awaitHealthyAfterUse(RedisRelayStore s) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            try {
                await(s.accounts().find("bob"));
                return;
            } catch (StoreException e) {
                assertEquals(StoreException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void register(RedisRelayStore s) throws Exception {
        assertEquals(Registration.REGISTERED, await(s.accounts().register("bob", bytes("key of bob"))));
    }
}
