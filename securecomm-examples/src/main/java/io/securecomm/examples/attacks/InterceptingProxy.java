package io.securecomm.examples.attacks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that sits between clients and a relay, the attacker's position on the network. Each
 * accepted connection is handed, with a fresh connection to the relay, to the {@link Interceptor} current at
 * that moment (switchable with {@link #intercept(Interceptor)}, so a demo can let a first connection through
 * untouched and attack a later one). Thread-safe; {@link #close()} stops everything it started.
 */
public final class InterceptingProxy implements AutoCloseable {
    /** What the proxy does with one connection. */
    @FunctionalInterface
    public interface Interceptor {
        /**
         * Handles one connection; returns (or throws) when it is over. The links are closed afterwards.
         *
         * @param client the client's side
         * @param relay a fresh connection to the relay
         * @param threads where to run a second pump, if the interceptor needs one
         * @throws Exception anything; the connection ends
         */
        void handle(FrameLink client, FrameLink relay, ExecutorService threads) throws Exception;
    }

    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final ServerSocket server;
    private final InetSocketAddress relayAddress;
    private final ExecutorService threads;
    private final Set<FrameLink> links = ConcurrentHashMap.newKeySet();
    private volatile Interceptor interceptor;
    private volatile boolean closed;

    private InterceptingProxy(InetSocketAddress relayAddress, Interceptor interceptor) throws IOException {
        this.relayAddress = relayAddress;
        this.interceptor = interceptor;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int n = NUMBER.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "securecomm-attack-proxy-" + n + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /**
     * Starts a proxy on an ephemeral port of 127.0.0.1 in front of a relay.
     *
     * @param relayPort the relay's port on 127.0.0.1
     * @param interceptor what to do with connections
     * @return the running proxy
     * @throws IOException if it cannot listen
     */
    public static InterceptingProxy start(int relayPort, Interceptor interceptor) throws IOException {
        return new InterceptingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort),
                Objects.requireNonNull(interceptor, "interceptor"));
    }

    /**
     * The proxy's port on 127.0.0.1, where the victims connect.
     *
     * @return the port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Changes what happens to connections accepted from now on.
     *
     * @param next the new interceptor
     */
    public void intercept(Interceptor next) {
        this.interceptor = Objects.requireNonNull(next, "next");
    }

    private void acceptLoop() {
        while (!closed) {
            Socket accepted;
            try {
                accepted = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Interceptor current = interceptor;
            threads.execute(() -> serve(accepted, current));
        }
    }

    private void serve(Socket accepted, Interceptor current) {
        FrameLink client = null;
        FrameLink relay = null;
        try {
            client = track(new FrameLink(accepted));
            Socket toRelay = new Socket();
            toRelay.connect(relayAddress, 5000);
            relay = track(new FrameLink(toRelay));
            current.handle(client, relay, threads);
        } catch (SocketException | EOFException ended) {
            // one side hung up: the connection is over
        } catch (Exception e) { // the attacker's failure ends only this connection
            // the interceptor reports its own outcome; nothing to print here
        } finally {
            if (client != null) {
                links.remove(client);
                client.close();
            } else {
                closeQuietly(accepted);
            }
            if (relay != null) {
                links.remove(relay);
                relay.close();
            }
        }
    }

    private FrameLink track(FrameLink link) {
        links.add(link);
        if (closed) {
            link.close();
        }
        return link;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Pumps frames from one link to another until either ends, passing each through a function.
     *
     * @param from the source
     * @param to the destination
     * @param transform maps each frame payload to the one to forward
     * @throws Exception if the transform throws, or on a socket error
     */
    public static void pump(FrameLink from, FrameLink to, FrameTransform transform) throws Exception {
        byte[] frame;
        while ((frame = from.read()) != null) {
            to.write(transform.apply(frame));
        }
        to.close();
    }

    /** Maps a frame payload to the payload forwarded. */
    @FunctionalInterface
    public interface FrameTransform {
        /**
         * Maps one frame.
         *
         * @param frame the payload read
         * @return the payload to write
         * @throws Exception to end the connection
         */
        byte[] apply(byte[] frame) throws Exception;
    }

    /** Stops accepting, closes every proxied connection and stops the threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(FrameLink::close);
        threads.shutdownNow();
    }
}
