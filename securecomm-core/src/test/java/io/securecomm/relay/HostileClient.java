package io.securecomm.relay;

import io.securecomm.noise.HandshakeAction;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseProtocol;
import io.securecomm.noise.SecureChannel;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Welcome;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * A blocking socket client for the adversarial tests: it connects from a chosen loopback address (the attackers
 * use 127.0.0.2, so the per-address limit never touches the well-behaved clients on 127.0.0.1), and can write
 * raw bytes, handshake messages, sealed records it keeps for replay, or nothing at all.
 */
final class HostileClient implements AutoCloseable {
    static final String ATTACKER_ADDRESS = "127.0.0.2";
    /** A second attacker address, for attacks with more connections than one address may open. */
    static final String SECOND_ATTACKER_ADDRESS = "127.0.0.3";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private HandshakeState handshake;
    private SecureChannel channel;
    /** The relay's welcome, once {@link #join} returned. */
    Welcome welcome;

    /** Connects from {@link #ATTACKER_ADDRESS}. */
    HostileClient(InetSocketAddress relay) throws IOException {
        this(relay, 0);
    }

    /**
     * Connects from {@link #ATTACKER_ADDRESS}, optionally with a small receive buffer (for a client that does
     * not read: the relay's queue then fills sooner).
     */
    HostileClient(InetSocketAddress relay, int receiveBufferBytes) throws IOException {
        this(relay, receiveBufferBytes, ATTACKER_ADDRESS);
    }

    /** Connects from {@code bindAddress}, one of the attacker addresses. */
    HostileClient(InetSocketAddress relay, String bindAddress) throws IOException {
        this(relay, 0, bindAddress);
    }

    /** Connects from {@code bindAddress} with a small receive buffer (for a client that does not read yet). */
    HostileClient(InetSocketAddress relay, int receiveBufferBytes, String bindAddress) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        bindAttackerAddress(socket, bindAddress);
        socket.connect(new InetSocketAddress("127.0.0.1", relay.getPort()), 5000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * Binds to {@link #ATTACKER_ADDRESS}. Linux routes all of 127.0.0.0/8 to the loopback; macOS has only
     * 127.0.0.1 until an alias is added, and there these tests are skipped with a message (failed under CI, which
     * must run them), rather than failing for the machine's sake.
     */
    private static void bindAttackerAddress(Socket socket, String address) throws IOException {
        try {
            socket.bind(new InetSocketAddress(address, 0));
        } catch (BindException e) {
            socket.close();
            String msg = "cannot bind " + address + " (" + e.getMessage() + "): this machine's loopback has"
                    + " no such address; on macOS: sudo ifconfig lo0 alias " + address + " up";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI must run the hostile-client tests, but " + msg, e);
            }
            System.err.println("SKIPPED: " + msg);
            throw new org.opentest4j.TestAbortedException(msg);
        }
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendFrame(byte[] payload) throws IOException {
        write(FrameEncoder.encode(payload));
    }

    byte[] readFrame() throws IOException {
        int length = in.readUnsignedShort();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /** Starts an XX handshake as initiator and returns its first message, unsent. */
    byte[] firstHandshakeMessage() throws Exception {
        return firstHandshakeMessage(NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom()));
    }

    private byte[] firstHandshakeMessage(NoiseKeyPair identity) throws Exception {
        handshake = HandshakeState.initiator(NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256"),
                "securecomm/1".getBytes(StandardCharsets.US_ASCII), identity, null, List.of());
        return handshake.writeMessage(new byte[0]);
    }

    /** Runs the whole XX handshake as initiator with a fresh identity, and says nothing yet. */
    HostileClient handshake() throws Exception {
        return handshake(NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom()));
    }

    /**
     * Runs the whole XX handshake as initiator with this static key (an end-to-end identity's
     * {@code noiseStaticKeyPair()}, for a client that uploads pre-keys), and says nothing yet.
     */
    HostileClient handshake(NoiseKeyPair identity) throws Exception {
        sendFrame(firstHandshakeMessage(identity));
        while (handshake.action() != HandshakeAction.SPLIT) {
            if (handshake.action() == HandshakeAction.WRITE_MESSAGE) {
                sendFrame(handshake.writeMessage(new byte[0]));
            } else {
                handshake.readMessage(readFrame());
            }
        }
        channel = handshake.split();
        return this;
    }

    /** Runs the whole handshake, then says hello and waits for the welcome. */
    HostileClient join(String nickname) throws Exception {
        return join(nickname, NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom()));
    }

    /** Runs the whole handshake with this static key, then says hello and waits for the welcome. */
    HostileClient join(String nickname, NoiseKeyPair identity) throws Exception {
        handshake(identity);
        send(new ClientHello(nickname, "hostile/1"));
        Message m;
        while (!((m = receive()) instanceof Welcome)) {
            // skip anything before the welcome
        }
        welcome = (Welcome) m;
        return this;
    }

    /** Seals a message into a transport record without sending it (for replay and reordering). */
    byte[] seal(Message message) {
        return channel.seal(MessageCodec.encode(message));
    }

    void send(Message message) throws IOException {
        sendFrame(seal(message));
    }

    /** Seals and sends arbitrary plaintext, which need not be a valid message. */
    void sendRecord(byte[] plaintext) throws IOException {
        sendFrame(channel.seal(plaintext));
    }

    Message receive() throws Exception {
        return MessageCodec.decode(channel.open(readFrame()));
    }

    /** Reads messages until a Bye (returned) or the end of the stream ({@code null}). */
    Bye receiveUntilBye() throws Exception {
        try {
            while (true) {
                if (receive() instanceof Bye bye) {
                    return bye;
                }
            }
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    /** Reads one raw byte: {@code -1} at the end of the relay's output. */
    int readByte() throws IOException {
        return in.read();
    }

    /**
     * Waits (up to the socket timeout) for the relay to close the connection, discarding whatever arrives first.
     *
     * @return {@code true} if the relay closed it; {@code false} if it stayed open for the whole timeout
     */
    boolean awaitClosedByRelay() throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Closes abruptly: an RST instead of a goodbye. */
    void vanish() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
