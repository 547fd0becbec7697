package io.securecomm.internal.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Picks the transport: epoll where its native library loads (Linux), NIO otherwise. The system property
 * {@code securecomm.transport=nio} forces NIO.
 */
public final class Transports {
    private static final boolean EPOLL = !"nio".equals(System.getProperty("securecomm.transport")) && epollAvailable();

    private Transports() {}

    private static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable unavailable) { // a missing native library is an expected outcome
            return false;
        }
    }

    /**
     * Names the transport in use.
     *
     * @return {@code "epoll"} or {@code "nio"}
     */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    /**
     * Creates an event loop group of daemon threads.
     *
     * @param threads the number of threads, 0 for Netty's default (twice the cores)
     * @param threadNamePrefix the threads' name prefix
     * @return the group
     */
    public static EventLoopGroup newGroup(int threads, String threadNamePrefix) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix, true), factory);
    }

    /**
     * The server socket channel class matching {@link #newGroup}.
     *
     * @return the class
     */
    public static Class<? extends ServerSocketChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * The socket channel class matching {@link #newGroup}.
     *
     * @return the class
     */
    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
