package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.RelayUnreachableException;
import io.securecomm.client.Session;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client given several nodes of one relay ({@code ChatClientOptions.Builder.alsoTry}), over real sockets on
 * 127.0.0.1: it moves past nodes it cannot reach, and stops at the first that answers, whatever that one decides.
 */
@Timeout(60)
class RelayNodesTest {
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static RelayServer relay() throws IOException {
        return RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).build()).start();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void aNodeThatRefusesIsSkippedAndTheRelaysKeyIsPinnedUnderAllItsNodes() throws Exception {
        int down = closedPort();
        List<String> pinnedUnder = new CopyOnWriteArrayList<>();
        RelayTrustStore tofu = RelayTrustStore.trustOnFirstUseInMemory();
        RelayTrustStore recording = (name, key) -> {
            pinnedUnder.add(name);
            return tofu.verify(name, key);
        };
        try (RelayServer up = relay();
                ChatClient alice = ChatClient.create(ChatClientOptions.builder("127.0.0.1", down)
                        .alsoTry("127.0.0.1", up.localAddress().getPort()).nickname("alice").trustStore(recording)
                        .build(), new RecordingListener())) {
            Session session = alice.connect().get(20, TimeUnit.SECONDS);

            assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, session.trust());
            assertEquals(List.of("127.0.0.1:" + down + ",127.0.0.1:" + up.localAddress().getPort()), pinnedUnder);
            assertEquals(1, up.onlineClients());
            alice.sendPublic("through the second node").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void whenNoNodeAnswersTheFailureNamesTheRelayAndKeepsEveryAttempt() throws Exception {
        int first = closedPort();
        int second = closedPort();
        try (ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", first)
                .alsoTry("127.0.0.1", second).nickname("a").trustStore(RelayTrustStore.trustOnFirstUseInMemory())
                .build(), new RecordingListener())) {
            RelayUnreachableException e = assertInstanceOf(RelayUnreachableException.class, failure(c.connect()));

            assertTrue(e.getMessage().contains("127.0.0.1:" + first + ",127.0.0.1:" + second), e.getMessage());
            Throwable last = e.getCause();
            assertInstanceOf(ConnectException.class, last);
            assertEquals(1, last.getSuppressed().length, "the first node's failure is kept in the last one's");
            assertTrue(!c.isConnected());
        }
    }

    @Test
    void aNodeThatAnswersWithAnotherKeyEndsTheConnectWithoutTryingTheNext() throws Exception {
        try (RelayServer impostor = relay(); RelayServer genuine = relay()) {
            ChatClientOptions options = ChatClientOptions.builder("127.0.0.1", impostor.localAddress().getPort())
                    .alsoTry("127.0.0.1", genuine.localAddress().getPort()).nickname("alice")
                    .trustStore(RelayTrustStore.knownKey(genuine.identityPublicKey())).build();
            try (ChatClient alice = ChatClient.create(options, new RecordingListener())) {
                assertInstanceOf(RelayIdentityMismatchException.class, failure(alice.connect()));
                assertEquals(0, genuine.onlineClients(), "a wrong key is an attack, not a reason to look elsewhere");
            }
        }
    }

    @Test
    void closingWhileTheNodesAreTriedEndsTheConnect() throws Exception {
        try (ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", closedPort())
                .alsoTry("127.0.0.1", closedPort()).alsoTry("127.0.0.1", closedPort()).nickname("a")
                .trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(), new RecordingListener())) {
            CompletableFuture<Session> connecting = c.connect();
            c.close();
            Throwable why = failure(connecting);
            assertTrue(why instanceof ChatClientException, "a specific failure: " + why);
        }
    }
}
