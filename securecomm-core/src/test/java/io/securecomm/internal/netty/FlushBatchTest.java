package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flush coalescing on the relay's real transport over loopback: many writes in one event-loop iteration leave in one
 * flush, and the batch never pushes a channel that is read past its high water mark.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlushBatchTest {
    private static final int HIGH_WATER_MARK = 256 * 1024;

    private EventLoopGroup group;
    private Channel server;
    private Channel client;
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();

    @BeforeEach
    void connect() throws Exception {
        group = Transports.newGroup(1, "flush-batch-test");
        server = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                            @Override
                            public void flush(ChannelHandlerContext ctx) {
                                flushes.incrementAndGet();
                                ctx.flush();
                            }
                        });
                        accepted.complete(ch);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        client = new Bootstrap().group(group).channel(Transports.socketChannel())
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        synchronized (received) {
                            received.addAndGet(((ByteBuf) msg).readableBytes());
                            received.notifyAll();
                        }
                        ReferenceCountUtil.release(msg);
                    }
                }).connect(server.localAddress()).sync().channel();
    }

    @AfterEach
    void close() throws Exception {
        // Awaited, not synced: a test that stopped the loops leaves channels that can no longer be closed by a task.
        client.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Waits until the client has read {@code bytes}, woken by each read; fails after 10 s. */
    private void awaitReceived(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (received) {
            while (received.get() < bytes) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, () -> "the client read " + received.get() + " of " + bytes + " bytes");
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
        }
    }

    @Test
    void writesInOneIterationLeaveInOneFlush() throws Exception {
        Channel ch = accepted.get(10, TimeUnit.SECONDS);
        CountDownLatch written = new CountDownLatch(1);
        AtomicInteger flushesDuringTheWrites = new AtomicInteger(-1);
        ch.eventLoop().execute(() -> {
            for (int i = 0; i < 10; i++) {
                FlushBatch.makeRoom(ch);
                ch.write(Unpooled.wrappedBuffer(new byte[100]));
                FlushBatch.flushSoon(ch);
            }
            flushesDuringTheWrites.set(flushes.get());
            written.countDown();
        });
        written.await(10, TimeUnit.SECONDS);
        awaitReceived(1000);
        assertEquals(0, flushesDuringTheWrites.get(), "nothing flushed while the iteration ran");
        assertEquals(1, flushes.get(), "ten writes, one flush after the iteration");
    }

    @Test
    void aLoopThatIsShuttingDownFlushesAtOnce() throws Exception {
        // Once a loop is past its last iteration it refuses after-iteration tasks, and a batch it refused was never
        // flushed (the relay's shutdown logged RejectedExecutionException from here): while it stops, no batching.
        Channel ch = accepted.get(10, TimeUnit.SECONDS);
        CompletableFuture<Integer> flushesRightAfter = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            FlushBatch.makeRoom(ch);
            ch.write(Unpooled.wrappedBuffer(new byte[100]));
            FlushBatch.flushSoon(ch);
            flushesRightAfter.complete(flushes.get());
        });
        assertEquals(1, flushesRightAfter.get(10, TimeUnit.SECONDS), "flushed before flushSoon returned");
    }

    @Test
    void theBatchNeverPushesAChannelThatIsReadPastItsHighWaterMark() throws Exception {
        Channel ch = accepted.get(10, TimeUnit.SECONDS);
        AtomicBoolean becameUnwritable = new AtomicBoolean();
        CountDownLatch written = new CountDownLatch(1);
        int writes = 60;
        int size = 8000; // 480,000 bytes in one iteration, almost twice the mark
        ch.eventLoop().execute(() -> {
            for (int i = 0; i < writes; i++) {
                FlushBatch.makeRoom(ch);
                ch.write(Unpooled.wrappedBuffer(new byte[size]));
                FlushBatch.flushSoon(ch);
                if (!ch.isWritable()) {
                    becameUnwritable.set(true);
                }
            }
            written.countDown();
        });
        written.await(10, TimeUnit.SECONDS);
        awaitReceived((long) writes * size);
        assertTrue(!becameUnwritable.get(), "the slow-reader limit saw the relay's own batch");
        assertTrue(flushes.get() > 1 && flushes.get() < writes, "made room " + (flushes.get() - 1)
                + " times, and still coalesced");
    }
}
