package io.securecomm.benchmarks.relay;

import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecurecommNoise;
import io.securecomm.wire.FrameEncoder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Holds many idle authenticated connections to a relay and reports the relay's heap per connection.
 *
 * <p>A chat session is capped at 256 clients per relay (the most one {@code ClientList} carries), so the
 * connections here complete the Noise XX handshake, which authenticates both ends, and then stay silent before
 * {@code ClientHello}; the relay is started with its connection limits raised to the count and a long hello
 * deadline and idle timeout ({@link RelayProcess#startForIdleConnections}) so that it keeps them. Each connection is a
 * plain blocking socket on the harness side (no threads per connection), so the harness can hold thousands.
 */
final class IdleConnections {
    private static final int THREADS = 2;

    private IdleConnections() {}

    /**
     * What the idle-connection run measured.
     *
     * @param requested connections asked for
     * @param opened connections that completed the handshake
     * @param seconds time to open them
     * @param heapBeforeBytes relay heap with no connections
     * @param heapAfterBytes relay heap with all of them
     * @param firstFailure why opening stopped early, or null
     */
    record Result(int requested, int opened, double seconds, long heapBeforeBytes, long heapAfterBytes,
            String firstFailure) {
        long bytesPerConnection() {
            return opened == 0 ? 0 : (heapAfterBytes - heapBeforeBytes) / opened;
        }

        String format() {
            return String.format(Locale.ROOT, """
                    idle connections  %d of %d requested opened in %.1f s%s
                    relay heap        %.1f MiB before, %.1f MiB after = %.2f KiB per connection
                    """, opened, requested, seconds, firstFailure == null ? "" : " (stopped: " + firstFailure + ")",
                    heapBeforeBytes / 1048576.0, heapAfterBytes / 1048576.0, bytesPerConnection() / 1024.0);
        }
    }

    static Result run(int count) throws Exception {
        try (RelayProcess relay = RelayProcess.startForIdleConnections(count, "2g");
                NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            long before = relay.stats().memoryBytes();
            List<Socket> sockets = new ArrayList<>(count);
            String failure = null;
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Socket>> batch = new ArrayList<>();
                for (int i = 0; i < count && failure == null; i++) {
                    batch.add(pool.submit(() -> open(relay.port(), identity)));
                    if (batch.size() == 64 || i == count - 1) {
                        for (Future<Socket> f : batch) {
                            try {
                                sockets.add(f.get(60, TimeUnit.SECONDS));
                            } catch (Exception e) {
                                failure = failure != null ? failure : String.valueOf(e.getCause() != null
                                        ? e.getCause() : e);
                            }
                        }
                        batch.clear();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long after = relay.stats().memoryBytes();
                return new Result(count, sockets.size(), seconds, before, after, failure);
            } finally {
                pool.shutdownNow();
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static Socket open(int port, NoiseKeyPair identity) throws IOException, HandshakeException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            try (HandshakeState handshake = SecurecommNoise.client(NoiseCipher.CHACHA_POLY, identity,
                    new SecureRandom())) {
                out.write(FrameEncoder.encode(handshake.writeMessage(new byte[0])));
                byte[] message2 = new byte[in.readUnsignedShort()];
                in.readFully(message2);
                handshake.readMessage(message2);
                out.write(FrameEncoder.encode(handshake.writeMessage(new byte[0])));
                out.flush();
                handshake.split().close();
            }
            return socket;
        } catch (IOException | HandshakeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
