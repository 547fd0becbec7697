package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.RelayTrustStore;
import java.text.MessageFormat;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay logs through {@link System.Logger} (java.util.logging here, the JDK's default backend): its lifecycle
 * and an operator's own bugs, at every level never message text, key material, nicknames or addresses.
 */
@Timeout(60)
class RelayLoggingTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("io.securecomm");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String text = r.getParameters() == null ? r.getMessage()
                    : MessageFormat.format(r.getMessage(), r.getParameters());
            lines.add(r.getLevel() + " " + r.getLoggerName() + " " + text
                    + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level previous;

    @BeforeEach
    void captureEverything() {
        previous = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(capture);
    }

    @AfterEach
    void restore() {
        jul.removeHandler(capture);
        jul.setLevel(previous);
    }

    @Test
    void theRelayLogsItsLifecycleAndNothingPersonal() throws Exception {
        String secret = "the-launch-code-is-0000";
        RelayListener throwing = new RelayListener() {
            @Override
            public void onClientJoined(int clientId, String nickname, byte[] identityKey) {
                throw new IllegalStateException("operator bug");
            }
        };
        byte[] relayKey;
        try (RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .listener(throwing).build()).start()) {
            relayKey = relay.identityPublicKey();
            RelayTrustStore trust = RelayTrustStore.knownKey(relayKey);
            RecordingListener aliceEvents = new RecordingListener();
            try (ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                            .nickname("alicewonder").trustStore(trust).build(), aliceEvents);
                    ChatClient bob = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
                            .nickname("bobthebuilder").trustStore(trust).build(), new RecordingListener())) {
                alice.connect().get(10, TimeUnit.SECONDS);
                bob.connect().get(10, TimeUnit.SECONDS);
                aliceEvents.next("join");
                alice.sendPrivate("bobthebuilder", secret).get(10, TimeUnit.SECONDS);
                alice.sendPublic(secret).get(10, TimeUnit.SECONDS);
            }
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("INFO io.securecomm.relay relay listening on"), all);
        assertTrue(all.contains("INFO io.securecomm.relay relay stopped"), all);
        assertTrue(all.contains("WARNING io.securecomm.relay the relay's listener threw on ClientJoined"), all);
        HexFormat hex = HexFormat.of();
        for (String forbidden : List.of(secret, "alicewonder", "bobthebuilder", hex.formatHex(relayKey))) {
            assertFalse(all.toLowerCase().contains(forbidden.toLowerCase()), () -> "the log contains '" + forbidden
                    + "':\n" + all);
        }
    }
}
