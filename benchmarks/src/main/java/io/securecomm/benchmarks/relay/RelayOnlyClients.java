package io.securecomm.benchmarks.relay;

import io.securecomm.internal.noise.HopCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that measure the relay, not themselves: each runs the Noise handshake and says hello like any client,
 * then sends pre-made envelopes ({@code SendRoomEnvelope} to every other client for a public message,
 * {@code SendEnvelope} for a private one) whose opaque body is the harness's text, and reads what arrives by opening
 * the hop's record and decoding the message. No end-to-end encryption, no signatures: per message a client does
 * what an MQTT client of the mosquitto run does (one record sealed or opened for the hop), so on a machine shared
 * by server and clients the relay's own cost decides. A public message is a room envelope, which is what an
 * end-to-end client sends for one: the relay's work is the same.
 *
 * <p>One blocking socket and one reader thread per client; sends come from the harness's driving thread.
 */
final class RelayOnlyClients {
    /** The envelope body's first two bytes: a ratchet message's header, so the relay never sees a session start. */
    private static final byte[] HEADER = {0x01, 0x01};

    private RelayOnlyClients() {}

    static List<LoadClient> connect(int port, int count, Receiver receiver) throws Exception {
        return connect(List.of(port), count, receiver, HopCipher.AUTO);
    }

    /**
     * Connects client {@code i} to {@code ports.get(i % ports.size())}: the nodes of a cluster in turn, each client's
     * hop's cipher chosen as {@code cipher} says.
     */
    static List<LoadClient> connect(List<Integer> ports, int count, Receiver receiver, HopCipher cipher)
            throws Exception {
        List<Client> clients = new ArrayList<>(count);
        SecureRandom random = new SecureRandom();
        try {
            for (int i = 0; i < count; i++) {
                clients.add(new Client(ports.get(i % ports.size()), i, receiver, random, cipher));
            }
        } catch (Exception e) {
            for (Client c : clients) {
                c.close();
            }
            throw e;
        }
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = clients.get(i).clientId;
        }
        List<LoadClient> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] others = new int[count - 1];
            for (int j = 0, k = 0; j < count; j++) {
                if (j != i) {
                    others[k++] = ids[j];
                }
            }
            clients.get(i).peers(ids, others);
            out.add(clients.get(i));
            clients.get(i).startReading();
        }
        return out;
    }

    private static final class Client implements LoadClient {
        private final int index;
        private final Receiver receiver;
        private final RawClient raw;
        private final int clientId;
        private final AtomicLong requestIds = new AtomicLong();
        private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        private int[] ids;
        private int[] others;
        private volatile boolean closed;

        Client(int port, int index, Receiver receiver, SecureRandom random, HopCipher cipher) throws Exception {
            this.index = index;
            this.receiver = receiver;
            try (NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, random)) {
                // A bound on the handshake and hello only; lifted before reading messages.
                raw = new RawClient(port, "127.0.0.1").readTimeout(Duration.ofSeconds(30))
                        .join("hop" + index, identity, "relay-only-harness/1", cipher);
            }
            clientId = raw.clientId();
            raw.readTimeout(Duration.ZERO);
        }

        void peers(int[] ids, int[] others) {
            this.ids = ids;
            this.others = others;
        }

        void startReading() {
            Thread reader = new Thread(this::read, "relay-only-client-" + index);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                while (!closed) {
                    Message m = raw.receive();
                    if (m instanceof RoomEnvelope room) {
                        receiver.onMessage(index, text(room.ciphertext()));
                    } else if (m instanceof Envelope envelope) {
                        receiver.onMessage(index, text(envelope.ciphertext()));
                    } else if (m instanceof Delivered delivered) {
                        complete(delivered.requestId(), null);
                    } else if (m instanceof ErrorReply error) {
                        complete(error.requestId(), new IOException(error.code() + ": " + error.detail()));
                    } else if (m instanceof Ping ping) {
                        raw.send(new Pong(ping.nonce()));
                    }
                    // Joined, Left, PreKeyCount: nothing to do
                }
            } catch (EOFException | SocketException ended) {
                failAll(ended);
            } catch (Exception e) {
                if (!closed) {
                    System.err.println("relay-only client " + index + ": " + e);
                }
                failAll(e);
            }
        }

        private void complete(long requestId, Exception failure) {
            CompletableFuture<Void> f = pending.remove(requestId);
            if (f != null) {
                if (failure == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failure);
                }
            }
        }

        private void failAll(Exception cause) {
            for (Long id : List.copyOf(pending.keySet())) {
                complete(id, cause);
            }
        }

        private static String text(byte[] body) {
            return new String(body, HEADER.length, body.length - HEADER.length, StandardCharsets.ISO_8859_1);
        }

        private static byte[] body(String text) {
            byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] body = new byte[HEADER.length + t.length];
            System.arraycopy(HEADER, 0, body, 0, HEADER.length);
            System.arraycopy(t, 0, body, HEADER.length, t.length);
            return body;
        }

        @Override
        public CompletableFuture<Void> sendPublic(String text) {
            long id = requestIds.incrementAndGet();
            return sendTracked(id, new SendRoomEnvelope(id, others, body(text)));
        }

        @Override
        public CompletableFuture<Void> sendPrivate(int recipient, String text) {
            long id = requestIds.incrementAndGet();
            return sendTracked(id, new SendEnvelope(id, ids[recipient], body(text)));
        }

        private CompletableFuture<Void> sendTracked(long id, Message message) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.put(id, f);
            try {
                raw.send(message);
            } catch (IOException e) {
                complete(id, e);
            }
            return f;
        }

        @Override
        public void close() {
            closed = true;
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
