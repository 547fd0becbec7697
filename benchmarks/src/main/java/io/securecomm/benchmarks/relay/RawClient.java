package io.securecomm.benchmarks.relay;

import io.securecomm.internal.noise.HopCipher;
import io.securecomm.internal.noise.NoiseConnection;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Welcome;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A blocking client that speaks the relay's protocol without the chat client above it: what the abuse harness's
 * attackers use, from a chosen loopback address, to send whatever the relay admits. Its handshake and hello are
 * those of any client; what it sends after is up to the caller. Not thread-safe: one sender and one reader thread.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private NoiseConnection connection;
    private int clientId;

    /**
     * Connects from {@code bindAddress} (a loopback address: the attackers use 127.0.0.2 and 127.0.0.3).
     *
     * @param port the relay's port on 127.0.0.1
     * @param bindAddress the local address
     * @throws IOException if the connection fails
     */
    RawClient(int port, String bindAddress) throws IOException {
        socket = new Socket();
        // The third handshake message and the hello go out back to back: with Nagle's algorithm the hello would wait
        // for the relay's delayed ACK (about 40 ms), which capped admissions at about 40 per second.
        socket.setTcpNoDelay(true);
        socket.bind(new InetSocketAddress(bindAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        out = socket.getOutputStream();
    }

    /**
     * Runs the Noise handshake with this static key, says hello, and waits for the welcome.
     *
     * @param nickname the nickname
     * @param identity the static key (an end-to-end identity's Noise key, if the client uploads pre-keys)
     * @return this client
     * @throws Exception if the handshake or the hello fails
     */
    RawClient join(String nickname, NoiseKeyPair identity) throws Exception {
        return join(nickname, identity, "abuse-harness/1");
    }

    /**
     * As {@link #join(String, NoiseKeyPair)}, announcing this client version in the hello.
     *
     * @param nickname the nickname
     * @param identity the static key
     * @param clientVersion what the hello names as the client's version
     * @return this client
     * @throws Exception if the handshake or the hello fails
     */
    RawClient join(String nickname, NoiseKeyPair identity, String clientVersion) throws Exception {
        return join(nickname, identity, clientVersion, HopCipher.AUTO);
    }

    /**
     * As {@link #join(String, NoiseKeyPair, String)}, with the hop's cipher chosen as {@code cipher} says (as the chat
     * client's is, by default {@link HopCipher#AUTO}).
     *
     * @param nickname the nickname
     * @param identity the static key
     * @param clientVersion what the hello names as the client's version
     * @param cipher how the hop's Noise cipher is chosen
     * @return this client
     * @throws Exception if the handshake or the hello fails
     */
    RawClient join(String nickname, NoiseKeyPair identity, String clientVersion, HopCipher cipher) throws Exception {
        connection = new NoiseConnection(true, cipher, HopCipher.aesInstructions(), identity, key -> { });
        for (byte[] message : connection.advance()) {
            writeFrame(message);
        }
        while (!connection.isEstablished()) {
            connection.read(readFrame());
            for (byte[] message : connection.advance()) {
                writeFrame(message);
            }
        }
        send(new ClientHello(nickname, clientVersion));
        Message m;
        while (!((m = receive()) instanceof Welcome)) {
            // skip what comes before the welcome (the Joined of earlier clients)
        }
        clientId = ((Welcome) m).clientId();
        return this;
    }

    /**
     * Bounds every later read: a relay that stops answering fails the read instead of hanging the run.
     *
     * @param timeout the longest wait for a frame; zero for no bound
     * @return this client
     * @throws IOException if the socket refuses the option
     */
    RawClient readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        return this;
    }

    /**
     * The id the relay gave this client.
     *
     * @return the client id
     */
    int clientId() {
        return clientId;
    }

    /**
     * Seals and writes one message; safe from several threads (the nonce order is the write order).
     *
     * @param message the message
     * @throws IOException if the write fails
     */
    void send(Message message) throws IOException {
        synchronized (this) {
            byte[] plaintext = MessageCodec.encode(message);
            byte[] frame = new byte[NoiseConnection.framedLength(plaintext.length)];
            connection.sealFramed(plaintext, 0, plaintext.length, frame, 0);
            out.write(frame);
            out.flush();
        }
    }

    /**
     * Reads, opens and decodes the next message (from one reader thread at a time).
     *
     * @return the message
     * @throws Exception if the read, the record or the message fails
     */
    Message receive() throws Exception {
        byte[] plaintext = connection.read(readFrame());
        if (plaintext == null) {
            throw new IOException("the connection to the relay failed earlier");
        }
        return MessageCodec.decode(plaintext);
    }

    private void writeFrame(byte[] payload) throws IOException {
        out.write(FrameEncoder.encode(payload));
        out.flush();
    }

    private byte[] readFrame() throws IOException {
        byte[] payload = new byte[in.readUnsignedShort()];
        in.readFully(payload);
        return payload;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        if (connection != null) {
            connection.close();
        }
    }
}
