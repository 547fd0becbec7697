package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatFuture;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.RelayTrustStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 21, point 1, over a real relay: a relay configured with a rate limit below a default client's pace (4 per
 * second against 10, bursts of 4 against 20), and a default client sending a burst of 30 private messages. The client
 * learns the limit from the relay's welcome and paces itself to it: every message is delivered, in order, and none
 * is refused or times out, though the burst takes seven seconds to drain. (Before, the client sent at its own pace;
 * the relay held what exceeded its limit, and that time counted against the requests' timeout: with a 3 s timeout,
 * every message past the twelfth failed with RelayTimeoutException.)
 */
@Timeout(60)
class ClientPacingOverRelayTest {
    @Test
    void aDefaultClientBurstingAtARelayWithALowLimitHasEverythingDeliveredAndNothingRefused() throws Exception {
        RelayOptions options = RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .rateLimit(new RateLimit(4, 4, RateLimit.DEFAULT_DISCONNECT_AFTER_REJECTIONS,
                        RateLimit.DEFAULT_REJECTION_WINDOW)).build();
        int burst = 30;
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(burst);
        try (RelayServer relay = RelayServer.create(options).start();
                ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("alice")
                        .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey()))
                        .requestTimeout(Duration.ofSeconds(3)).build(), new ChatListener() {});
                ChatClient bob = ChatClient.create(ChatClientOptions.builder(relay.localAddress()).nickname("bob")
                        .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), new ChatListener() {
                            @Override
                            public void onMessage(ChatMessage m) {
                                got.add(m.text());
                                all.countDown();
                            }
                        })) {
            alice.connect().await(Duration.ofSeconds(10));
            bob.connect().await(Duration.ofSeconds(10));
            List<ChatFuture<DeliveryStatus>> sends = new ArrayList<>();
            List<String> want = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                want.add("burst " + i);
                sends.add(alice.sendPrivate("bob", "burst " + i));
            }
            for (var f : sends) {
                assertEquals(DeliveryStatus.DELIVERED, f.await(Duration.ofSeconds(30)), "refused or timed out");
            }
            all.await(30, TimeUnit.SECONDS);
            assertEquals(want, got);
        }
    }
}
