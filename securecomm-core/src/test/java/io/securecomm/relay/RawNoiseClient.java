package io.securecomm.relay;

import io.securecomm.noise.HandshakeAction;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseProtocol;
import io.securecomm.noise.SecureChannel;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * A blocking test client that speaks the protocol by hand over a plain socket, so tests can misbehave
 * in ways {@code ChatClient} never would: send garbage records, vanish without a goodbye.
 */
final class RawNoiseClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private SecureChannel channel;

    RawNoiseClient(InetSocketAddress relay) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", relay.getPort()), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Runs the XX handshake as initiator with a fresh identity. */
    RawNoiseClient handshake() throws Exception {
        try (NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom())) {
            HandshakeState hs = HandshakeState.initiator(
                    NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256"),
                    "securecomm/1".getBytes(StandardCharsets.US_ASCII), identity, null, List.of());
            while (hs.action() != HandshakeAction.SPLIT) {
                if (hs.action() == HandshakeAction.WRITE_MESSAGE) {
                    sendFrame(hs.writeMessage(new byte[0]));
                } else {
                    hs.readMessage(readFrame());
                }
            }
            channel = hs.split();
            return this;
        }
    }

    void sendFrame(byte[] payload) throws IOException {
        out.write(FrameEncoder.encode(payload));
        out.flush();
    }

    byte[] readFrame() throws IOException {
        int length = in.readUnsignedShort();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    void sendRecord(byte[] plaintext) throws IOException {
        sendFrame(channel.seal(plaintext));
    }

    void send(Message message) throws IOException {
        sendRecord(MessageCodec.encode(message));
    }

    Message receive() throws Exception {
        return MessageCodec.decode(channel.open(readFrame()));
    }

    /** Tells whether the relay closed the connection (reads end of stream within the socket timeout). */
    boolean closedByPeer() throws IOException {
        try {
            in.readUnsignedByte();
            return false;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException reset) {
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
