package io.securecomm.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ServiceLoader;

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
        // The implementation imports this package, so this package names it only at run time: the dependency
        // between the two points one way (see Provider).
        Provider provider = ServiceLoader.load(Provider.class, RelayServer.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no relay implementation found: securecomm-core's "
                        + "META-INF/services entry for " + Provider.class.getName() + " is missing (was the jar "
                        + "repackaged without its service files?)"));
        return provider.create(options);
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

    /**
     * The service through which {@link #create} finds the relay's implementation, which securecomm-core provides
     * (a {@code provides} clause of its module, and a {@code META-INF/services} entry for the class path). Not for
     * applications: they call {@link #create}.
     */
    interface Provider {
        /**
         * Creates a relay that is not started yet.
         *
         * @param options the configuration
         * @return the relay
         */
        RelayServer create(RelayOptions options);
    }
}
