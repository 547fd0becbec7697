package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayTimeoutException;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.noise.HandshakeAction;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseProtocol;
import io.securecomm.noise.SecureChannel;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scripted relay over a real socket holds a send unanswered and then shuts down, so the test can
 * see what happens to a send that is in flight when the relay goes away.
 */
@Timeout(60)
class InFlightSendTest {
    @Test
    void sendInFlightWhenTheRelayShutsDownFailsWithRelayClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            CompletableFuture<Long> heldRequest = new CompletableFuture<>();
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Void> fakeRelay = fakeRelay(server, relayKey, heldRequest, release);
            RecordingListener listener = new RecordingListener();
            try (ChatClient client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", server.getLocalPort())
                    .nickname("alice").trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(), listener)) {
                client.connect().get(10, TimeUnit.SECONDS);
                CompletableFuture<?> send = client.sendPublic("are you there?");
                assertTrue(heldRequest.get(10, TimeUnit.SECONDS) > 0, "the relay holds the request");
                assertTrue(!send.isDone(), "no confirmation yet");
                release.complete(null);
                Throwable cause = assertThrows(ExecutionException.class, () -> send.get(10,
                        TimeUnit.SECONDS)).getCause();
                RelayClosedException closed = assertInstanceOf(RelayClosedException.class, cause);
                assertTrue(closed.getMessage().contains("SERVER_SHUTDOWN"), closed.getMessage());
                assertEquals("disconnected", listener.next("disconnected").kind());
            }
            fakeRelay.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Accepts one client, admits it, answers its first list, then holds its next request unanswered until
     * {@code release} completes, and then says {@code Bye(SERVER_SHUTDOWN)}.
     */
    private static CompletableFuture<Void> fakeRelay(ServerSocket server, NoiseKeyPair relayKey,
            CompletableFuture<Long> heldRequest, CompletableFuture<Void> release) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                HandshakeState hs = HandshakeState.responder(
                        NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256"),
                        "securecomm/1".getBytes(StandardCharsets.US_ASCII), relayKey, null, List.of());
                while (hs.action() != HandshakeAction.SPLIT) {
                    if (hs.action() == HandshakeAction.READ_MESSAGE) {
                        hs.readMessage(readFrame(in));
                    } else {
                        out.write(FrameEncoder.encode(hs.writeMessage(new byte[0])));
                    }
                }
                SecureChannel ch = hs.split();
                AccountHello hello = (AccountHello) MessageCodec.decode(
                        ch.open(readFrame(in)));
                send(out, ch, new Welcome(1, hello.nickname(), "fake", 20, 40));
                // The client's pre-key uploads (two, with their ML-KEM pre-keys), then its first list request.
                Message next = MessageCodec.decode(ch.open(readFrame(in)));
                while (next instanceof UploadPreKeys upload) {
                    send(out, ch, new Delivered(upload.requestId()));
                    next = MessageCodec.decode(ch.open(readFrame(in)));
                }
                ListRequest list = (ListRequest) next;
                send(out, ch, new ClientList(list.requestId(), List.of()));
                Message held = MessageCodec.decode(ch.open(readFrame(in)));
                heldRequest.complete(held instanceof SendPublic p ? p.requestId()
                        : ((SendRoomEnvelope) held).requestId());
                release.get(10, TimeUnit.SECONDS);
                send(out, ch, new Bye(ByeReason.SERVER_SHUTDOWN, "test shutdown"));
            } catch (Exception e) {
                heldRequest.completeExceptionally(e);
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void unansweredRequestFailsWithRelayTimeoutAndTheSessionGoesOn() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            CompletableFuture<Long> heldRequest = new CompletableFuture<>();
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Void> fakeRelay = fakeRelay(server, relayKey, heldRequest, release);
            try (ChatClient client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", server.getLocalPort())
                    .nickname("alice").trustStore(RelayTrustStore.trustOnFirstUseInMemory())
                    .requestTimeout(Duration.ofMillis(200)).build(),
                    new RecordingListener())) {
                client.connect().get(10, TimeUnit.SECONDS);
                CompletableFuture<?> send = client.sendPublic("anyone?");
                Throwable cause = assertThrows(ExecutionException.class, () -> send.get(10,
                        TimeUnit.SECONDS)).getCause();
                assertInstanceOf(RelayTimeoutException.class, cause);
                assertTrue(client.isConnected(), "a timeout does not end the session");
                release.complete(null);
            }
            fakeRelay.get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] payload = new byte[in.readUnsignedShort()];
        in.readFully(payload);
        return payload;
    }

    private static void send(OutputStream out, SecureChannel ch, Message m) throws IOException {
        out.write(FrameEncoder.encode(ch.seal(MessageCodec.encode(m))));
        out.flush();
    }
}
