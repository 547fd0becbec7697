package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.securecomm.wire.FrameEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Coalesces flushes: a channel written to on its event loop is flushed once, after the loop's current iteration
 * (its I/O events and its queued tasks), however many records were written to it meanwhile. A fan-out of a hundred
 * messages to a busy recipient then costs one {@code writev(2)}, not a hundred {@code write(2)}s, and a read batch's
 * replies go out together.
 *
 * <p>Batching must not make a reader look slow: the unflushed bytes count towards the channel's high water mark
 * (the relay's slow-reader limit) like the flushed ones it has not yet written. So {@link #makeRoom} flushes a
 * channel before a write whenever it has less room than one frame of the largest size left: every write then
 * finds either an empty batch, as without batching, or room for itself.
 *
 * <p>Only on a {@link SingleThreadEventLoop} (the relay's epoll and NIO loops), through its
 * {@link SingleThreadEventLoop#executeAfterEventLoopIteration(Runnable) after-iteration tasks}; anywhere else (an
 * {@code EmbeddedChannel}'s loop, a call from another thread, a loop that is shutting down) the channel is flushed at
 * once. One batch per loop
 * thread, touched only by it.
 */
final class FlushBatch implements Runnable {
    private static final FastThreadLocal<FlushBatch> BATCH = new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
            return new FlushBatch();
        }
    };

    /**
     * Whether a channel is in its loop's batch: a field of the channel's own. Until issue 18 the batch kept an identity
     * map of its channels, and at 1,000 clients each mark was a store into a random slot of a long-lived table, a card
     * for G1's refinement thread per write.
     */
    private static final AttributeKey<Mark> MARK = AttributeKey.valueOf(FlushBatch.class, "flush-mark");

    /** The marked channels, each once, in the order they were marked. */
    private List<Channel> channels = new ArrayList<>();
    private List<Channel> flushing = new ArrayList<>();
    private boolean scheduled;

    private FlushBatch() {}

    /** The largest frame: a length prefix and the largest payload. */
    static final int MAX_FRAME_BYTES = FrameEncoder.LENGTH_FIELD_BYTES + FrameEncoder.MAX_PAYLOAD_BYTES;

    /**
     * Call before writing to the channel: flushes it now if it has less room than the largest frame before its
     * high water mark, so that what this batch holds back never pushes it past the mark.
     *
     * @param channel a channel about to be written to, on its event loop
     */
    static void makeRoom(Channel channel) {
        if (channel.bytesBeforeUnwritable() < MAX_FRAME_BYTES) {
            channel.flush();
        }
    }

    /**
     * Flushes the channel after this iteration of its event loop, or now where that is not possible.
     *
     * @param channel a channel just written to
     */
    static void flushSoon(Channel channel) {
        EventLoop loop = channel.eventLoop();
        // A loop that is shutting down may refuse after-iteration tasks (once it is past its last iteration), and a
        // batch it refuses is never flushed: while it stops, every channel is flushed at once.
        if (loop instanceof SingleThreadEventLoop singleThread && loop.inEventLoop() && !loop.isShuttingDown()) {
            BATCH.get().add(channel, singleThread);
        } else {
            channel.flush();
        }
    }

    private void add(Channel channel, SingleThreadEventLoop loop) {
        Mark mark = markOf(channel);
        if (!mark.marked) {
            mark.marked = true;
            channels.add(channel);
        }
        if (!scheduled) {
            scheduled = true;
            try {
                loop.executeAfterEventLoopIteration(this);
            } catch (RejectedExecutionException stopping) {
                run(); // this loop runs no more iterations: flush now, or the marked channels never are
            }
        }
    }

    /** The after-iteration task: flushes every marked channel once. */
    @Override
    public void run() {
        scheduled = false;
        // A flush may complete write promises whose listeners write again: they mark channels for the next batch.
        List<Channel> now = channels;
        channels = flushing;
        flushing = now;
        for (Channel channel : now) {
            markOf(channel).marked = false;
        }
        try {
            for (Channel channel : now) {
                channel.flush();
            }
        } finally {
            now.clear();
        }
    }

    private static Mark markOf(Channel channel) {
        Attribute<Mark> attribute = channel.attr(MARK);
        Mark mark = attribute.get();
        if (mark == null) {
            mark = new Mark(); // once per channel: only its loop marks it
            attribute.set(mark);
        }
        return mark;
    }

    /** A channel's place in its loop's batch. */
    private static final class Mark {
        boolean marked;
    }
}
