package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The relay's goodbye to its connections when it closes, within its shutdown timeout: it stops accepting, tells every
 * connection's session that the relay is shutting down ({@link RelayHandler#SHUTDOWN}; each answers its client's
 * messages in flight, then says {@code Bye}), waits for the connections to close, and closes those still open when
 * the time is up.
 */
final class RelayShutdown {
    private RelayShutdown() {}

    /**
     * Says goodbye and waits, at most {@code timeout} in all. Blocks the calling thread, which must not be an event
     * loop of the relay's.
     *
     * @param serverChannel the listening channel
     * @param channels the open connections
     * @param clients how many clients are admitted now, for the log
     * @param timeout the shutdown timeout
     */
    static void sayGoodbye(Channel serverChannel, ChannelGroup channels, IntSupplier clients, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        serverChannel.close().awaitUninterruptibly(remainingMillis(deadline));
        for (Channel ch : channels) {
            ch.pipeline().fireUserEventTriggered(RelayHandler.SHUTDOWN);
        }
        NettyRelayServer.LOG.log(System.Logger.Level.INFO, "relay shutting down: saying goodbye to {0} clients",
                clients.getAsInt());
        if (!channels.newCloseFuture().awaitUninterruptibly(remainingMillis(deadline))) {
            NettyRelayServer.LOG.log(System.Logger.Level.WARNING, "relay shutdown: {0} connections still open after"
                    + " the shutdown timeout of {1} ms; closing them", channels.size(), timeout.toMillis());
            channels.close().awaitUninterruptibly(remainingMillis(deadline));
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
