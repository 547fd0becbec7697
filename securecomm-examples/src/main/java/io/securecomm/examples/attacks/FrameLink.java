package io.securecomm.examples.attacks;

import io.securecomm.wire.FrameEncoder;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One side of a proxied connection, read and written in frames of wire protocol v1 (2-byte length prefix).
 * Blocking; reads on one thread and writes on any (writes are synchronized).
 */
public final class FrameLink implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /**
     * Wraps a connected socket.
     *
     * @param socket the socket, owned from now on
     * @throws IOException if its streams cannot be opened
     */
    public FrameLink(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Reads one frame payload.
     *
     * @return the payload, or {@code null} when the peer closed the connection between frames
     * @throws IOException on a socket error or a connection cut inside a frame
     */
    public byte[] read() throws IOException {
        int high = in.read();
        if (high < 0) {
            return null;
        }
        int length = (high << 8) | in.readUnsignedByte();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /**
     * Writes one frame.
     *
     * @param payload the payload, 1 to 65535 bytes
     * @throws IOException on a socket error
     */
    public synchronized void write(byte[] payload) throws IOException {
        out.write(FrameEncoder.encode(payload));
        out.flush();
    }

    /**
     * Reads one frame that must be there.
     *
     * @param what what the frame is, for the message
     * @return the payload
     * @throws IOException if the connection ended instead
     */
    public byte[] readRequired(String what) throws IOException {
        byte[] frame = read();
        if (frame == null) {
            throw new EOFException("the connection ended before " + what);
        }
        return frame;
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
