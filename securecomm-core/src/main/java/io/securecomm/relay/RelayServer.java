package io.securecomm.relay;

import io.securecomm.internal.netty.NettyRelayServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A securecomm relay: accepts chat clients over TCP, runs a Noise handshake with each
 * ({@code Noise_XX_25519_ChaChaPoly_SHA256}, the relay authenticating with its identity key), then
 * forwards public messages to every other client and private messages to their recipient, and keeps
 * everyone informed of who joins and leaves.
 *
 * <pre>{@code
 * try (RelayServer relay = RelayServer.create(RelayOptions.builder().port(0).build())) {
 *     relay.start();
 *     System.out.println("listening on " + relay.localAddress());
 *     ...
 * }
 * }</pre>
 *
 * <p>Security: every byte after the handshake is encrypted and authenticated per connection. The relay
 * sees message text (end-to-end encryption between clients is a separate layer). One client's failure
 * (a bad record, a vanished socket, a slow reader) ends only that client's session.
 *
 * <p>Thread-safe: {@link #start()} and {@link #close()} may be called from any thread; the relay never
 * blocks its event loops on I/O outside the sockets.
 */
public interface RelayServer extends AutoCloseable {
    /**
     * Creates a relay (built on Netty: epoll where available, NIO otherwise). Nothing is bound until
     * {@link #start()}.
     *
     * @param options the configuration
     * @return a relay that is not started yet
     */
    static RelayServer create(RelayOptions options) {
        return new NettyRelayServer(options);
    }

    /**
     * Binds the listening socket and starts accepting clients. Returns once the socket is bound, so
     * {@link #localAddress()} is then available.
     *
     * @return this relay
     * @throws IOException if the address cannot be bound (for example, the port is in use)
     * @throws IllegalStateException if the relay was already started or closed
     */
    RelayServer start() throws IOException;

    /**
     * The address the relay listens on, with the real port when port 0 was configured.
     *
     * @return the bound address
     * @throws IllegalStateException if the relay is not started
     */
    InetSocketAddress localAddress();

    /**
     * The relay's identity public key (its Noise static key), which clients pin.
     *
     * @return a copy of the 32-byte X25519 public key
     */
    byte[] identityPublicKey();

    /**
     * Counts the clients that completed the handshake and were admitted with a nickname.
     *
     * @return the number of online clients
     */
    int onlineClients();

    /**
     * Shuts the relay down gracefully: stops accepting, sends every client a {@code Bye} with reason
     * {@code SERVER_SHUTDOWN}, waits up to {@link RelayOptions#shutdownTimeout()} for those to be written,
     * then closes every connection and releases the threads. Idempotent.
     */
    @Override
    void close();
}
