package io.securecomm.relay;

import io.securecomm.relay.cluster.ClusterHealth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * <p>Security: every byte after the handshake is encrypted and authenticated per connection. The relay does not
 * see message text: clients encrypt chat end to end (docs/E2E.md) and the relay forwards ciphertext it cannot read.
 * It does see the metadata it routes by: who is online (nicknames and identity keys), who sends to whom, when, and
 * how much. It refuses plaintext chat, except from clients of the INSECURE legacy suite when that suite is
 * enabled for teaching ({@link RelayOptions#insecureLegacyCrypto()}). One client's failure (a bad record, a vanished
 * socket, a slow reader) ends only that client's session.
 *
 * <p>Thread-safe: {@link #start()}, {@link #close()} and {@link #awaitClose()} may be called from any thread; the
 * relay never blocks its event loops on I/O outside the sockets.
 *
 * <p>Lifecycle and threads: {@link #start()} starts the relay's threads (one acceptor,
 * {@code securecomm-relay-accept-*}, and twice the cores of I/O threads, {@code securecomm-relay-io-*}); they run
 * the connections and the {@link RelayListener}'s callbacks, and {@link #close()} stops them before it returns.
 * They are daemon threads, so a running relay does not keep the JVM alive: a program whose {@code main} only
 * starts a relay must wait for it, for example until a shutdown hook closes it:
 *
 * <pre>{@code
 * RelayServer relay = RelayServer.create(options).start();
 * Runtime.getRuntime().addShutdownHook(new Thread(relay::close));   // Ctrl-C, SIGTERM: a graceful shutdown
 * relay.awaitClose();                                                // returns once the relay is closed
 * }</pre>
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
     * @throws IllegalStateException if the relay was already started or closed, or the system property
     *     {@code securecomm.noise.cipher} names no Noise cipher (docs/NOISE.md)
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
     * Whether the relay accepts connections now: started, listening, and not shutting down. Never blocks, so a
     * readiness probe may call it at any time.
     *
     * @return {@code true} between a successful {@link #start()} and the beginning of {@link #close()}
     */
    boolean isAccepting();

    /**
     * Whether this relay reaches its cluster's backend now (docs/CLUSTER.md): a node that does not keeps its
     * connections but answers what needs the other nodes "not delivered", so it should not be sent new clients. A
     * relay without a cluster is always healthy. Never blocks, so a readiness probe may call it at any time.
     *
     * @return the cluster's health; {@link ClusterHealth#OK} without a cluster
     */
    default ClusterHealth clusterHealth() {
        return ClusterHealth.OK;
    }

    /**
     * Counts the clients that completed the handshake and were admitted with a nickname, on this relay (on this node
     * of a cluster).
     *
     * @return the number of online clients
     */
    int onlineClients();

    /**
     * Shuts the relay down gracefully: stops accepting, answers every request it accepted, sends every client a
     * {@code Bye} with reason {@code SERVER_SHUTDOWN} and half-closes its connection, waits up to
     * {@link RelayOptions#shutdownTimeout()} for the connections to close (a client closes on the goodbye; the relay
     * closes a connection 1 s after its goodbye), then closes those still open and stops the threads. Every client's
     * departure has been reported to the {@link RelayListener} when it returns. Idempotent; a later call returns at
     * once (use {@link #awaitClose()} to wait for a close in progress on another thread).
     */
    @Override
    void close();

    /**
     * Waits until the relay is closed (by {@link #close()}, from another thread or a shutdown hook) and its threads
     * have stopped. Returns at once if it is closed already.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the relay was never started (nothing would ever close it)
     */
    void awaitClose() throws InterruptedException;

    /**
     * Waits at most this long until the relay is closed and its threads have stopped.
     *
     * @param timeout the longest to wait
     * @return {@code true} if the relay is closed, {@code false} if the time ran out first
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the relay was never started
     */
    boolean awaitClose(Duration timeout) throws InterruptedException;

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
