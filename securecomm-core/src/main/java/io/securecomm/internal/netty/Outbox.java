package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.ReferenceCountUtil;
import io.securecomm.internal.relay.DeliveryLanes;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The writes that one turn of a connection's {@link RelayHandler} makes to other connections, gathered and then
 * handed over per event loop: one task per recipient loop and event-loop iteration instead of one per recipient (the
 * turns of all the connections of the sender's loop share it, {@link LoopBatch}), the writes to connections on
 * the sender's own loop made in place, and every recipient flushed once after its loop's iteration
 * ({@link FlushBatch}). A message for several recipients is encoded once, into a pooled buffer; each recipient
 * gets a retained duplicate of that one buffer, which its secure channel seals straight into its own outbound
 * buffer and releases.
 *
 * <p>On the recipient's loop, each such group of writes is a delivery in that loop's {@link DeliveryLanes}: light
 * ones (a private message) go as soon as their sender has nothing ahead of them, heavy ones (a room fan-out of
 * kilobytes) half a millisecond at a time between the loop's reads, so a cheap message is not sealed after other
 * senders' expensive ones (issue 22).
 *
 * <p>Per recipient, writes keep the order in which they were added: those for one loop are one delivery, written in
 * order, and one sender's deliveries to a loop run in the order they were handed over. A recipient with a
 * {@link FairOutbound} takes them into it, as this connection's, so that they wait fairly beside other senders'.
 *
 * <p>Confined to the sending connection's event loop. Not thread-safe.
 */
final class Outbox {
    private final ByteBufAllocator allocator;
    private final Channel sender;
    private final List<Group> groups = new ArrayList<>(4);
    private Message lastMessage;
    private ByteBuf lastEncoded;

    /**
     * Creates the outbox of one connection.
     *
     * @param allocator where the shared encodings come from (the connection's own allocator, pooled)
     * @param sender the connection whose writes these are
     */
    Outbox(ByteBufAllocator allocator, Channel sender) {
        this.allocator = allocator;
        this.sender = sender;
    }

    /**
     * The message's encoding, shared by the recipients of this turn: encoded once, then retained per call.
     *
     * @param message a message to write to one or more other connections
     * @return a retained duplicate of the one encoding, for one write (the writer's pipeline releases it)
     */
    ByteBuf encoded(Message message) {
        if (message != lastMessage) {
            releaseEncoding();
            byte[] encoded = MessageCodec.encode(message);
            // A pooled (so leak-tracked) buffer: one copy per message, not per recipient.
            lastEncoded = allocator.heapBuffer(encoded.length).writeBytes(encoded);
            lastMessage = message;
        }
        return lastEncoded.retainedDuplicate();
    }

    /**
     * Adds a write, made when {@link #dispatch()} is called.
     *
     * @param recipient the connection to write to
     * @param message what to write: the recipient's pipeline takes it from its tail
     * @param promise completed by the write; the recipient's void promise where no one listens
     */
    void add(Channel recipient, Object message, ChannelPromise promise) {
        EventLoop loop = recipient.eventLoop();
        Group group = null;
        for (Group g : groups) {
            if (g.loop == loop) {
                group = g;
                break;
            }
        }
        if (group == null) {
            group = new Group(loop, sender);
            groups.add(group);
        }
        group.recipients.add(recipient);
        group.messages.add(message);
        group.promises.add(promise);
    }

    /**
     * Whether there is nothing to dispatch.
     *
     * @return {@code true} if no write was added since the last dispatch
     */
    boolean isEmpty() {
        return groups.isEmpty();
    }

    /**
     * Makes the writes: in place for the connections on the current loop; for each other loop, in one task handed
     * over after the current loop's iteration, with the other connections' writes to that loop ({@link LoopBatch}).
     * A loop that no longer takes tasks (the relay's threads are stopping) fails its writes.
     */
    void dispatch() {
        releaseEncoding();
        EventLoop current = sender == null ? null : sender.eventLoop();
        for (Group group : groups) {
            if (group.loop.inEventLoop()) {
                group.run();
            } else {
                LoopBatch.execute(current, group.loop, group);
            }
        }
        groups.clear();
    }

    /** Drops this turn's reference to the shared encoding; the recipients' duplicates hold theirs. */
    private void releaseEncoding() {
        if (lastEncoded != null) {
            lastEncoded.release();
            lastEncoded = null;
            lastMessage = null;
        }
    }

    /**
     * The writes for the connections of one event loop: one delivery there, handed over in a {@link LoopBatch}. Run
     * on that loop, it joins the loop's {@link Lanes}.
     */
    private static final class Group implements LoopBatch.Task {
        final EventLoop loop;
        final Channel sender;
        final List<Channel> recipients = new ArrayList<>();
        final List<Object> messages = new ArrayList<>();
        final List<ChannelPromise> promises = new ArrayList<>();

        Group(EventLoop loop, Channel sender) {
            this.loop = loop;
            this.sender = sender;
        }

        @Override
        public void run() {
            if (loop instanceof SingleThreadIoEventLoop ioLoop) {
                Lanes.of(ioLoop).offer(this);
            } else {
                // Not a loop that does I/O and runs its after-iteration tasks (an EmbeddedChannel's, in tests):
                // written at once, in the order handed over.
                write();
            }
        }

        /** Its weight in the lanes: the bytes it seals and its recipients. */
        long weight() {
            long bytes = 0;
            for (Object m : messages) {
                if (m instanceof ByteBuf b) {
                    bytes += b.readableBytes();
                }
            }
            return DeliveryLanes.weight(recipients.size(), bytes);
        }

        /** Makes the writes, in order. */
        void write() {
            Object senderGroup = null; // the sender's address, as its recipients' fair queues group their senders
            for (int i = 0; i < recipients.size(); i++) {
                Channel recipient = recipients.get(i);
                FairOutbound fair = FairOutbound.of(recipient);
                if (fair != null && messages.get(i) instanceof ByteBuf encoded) {
                    if (senderGroup == null) {
                        senderGroup = FairOutbound.groupOf(sender);
                    }
                    fair.write(senderGroup, encoded, promises.get(i));
                } else {
                    FlushBatch.makeRoom(recipient);
                    recipient.write(messages.get(i), promises.get(i));
                }
                FlushBatch.flushSoon(recipient);
            }
        }

        @Override
        public void rejected(RejectedExecutionException stopped) {
            fail(stopped);
        }

        /** Fails every write: the loop that was to make them no longer runs tasks. */
        void fail(Throwable cause) {
            for (int i = 0; i < recipients.size(); i++) {
                ReferenceCountUtil.release(messages.get(i));
                ChannelPromise promise = promises.get(i);
                if (!promise.isVoid()) {
                    promise.tryFailure(cause);
                }
            }
        }
    }

    /**
     * The Netty side of one event loop's {@link DeliveryLanes}: light deliveries are written as soon as they may,
     * heavy ones in passes of at most half a millisecond, each pass after the loop's I/O (a pass whose time ran out
     * asks for the next one after the loop's current iteration, so the loop reads its sockets in between). One per
     * loop thread, touched only by it.
     */
    private static final class Lanes implements Runnable {
        private static final FastThreadLocal<Lanes> LANES = new FastThreadLocal<>();

        private final SingleThreadIoEventLoop loop;
        private final DeliveryLanes<Channel, Group> lanes = new DeliveryLanes<>();
        private final Runnable nextPass = this::schedulePass;
        private boolean passScheduled;
        /**
         * Whether a delivery is being written: a write can call back in (a limit's disconnect makes its session
         * write), and the delivery handed over then waits for the outer loop, so that nothing of a sender's
         * overtakes the rest of its delivery being written.
         */
        private boolean writing;

        private Lanes(SingleThreadIoEventLoop loop) {
            this.loop = loop;
        }

        /** The lanes of the loop this thread runs. */
        static Lanes of(SingleThreadIoEventLoop loop) {
            Lanes lanes = LANES.get();
            if (lanes == null) {
                lanes = new Lanes(loop);
                LANES.set(lanes);
            }
            return lanes;
        }

        /** A delivery handed over: written now if it is light and its sender has nothing ahead, else queued. */
        void offer(Group group) {
            long weight = group.weight();
            if (!writing && lanes.handsOutAtOnce(weight)) {
                // What the lanes would hand out at once, written without them: taken in and handed out, the
                // delivery would be stored in the lanes' long-lived map and list, a store G1 pays for (issue 18).
                writing = true;
                try {
                    group.write();
                } finally {
                    writing = false;
                }
                writeLight(); // what a write handed over meanwhile
                if (!lanes.isEmpty() && !passScheduled) {
                    schedulePass();
                }
                return;
            }
            lanes.offer(group.sender, group, weight);
            if (writing) {
                return; // the outer loop writes it, or schedules the pass that will
            }
            writeLight();
            if (!lanes.isEmpty() && !passScheduled) {
                schedulePass();
            }
        }

        /** A pass: the light deliveries, and heavy ones for the pass's time, each followed by what became light. */
        @Override
        public void run() {
            passScheduled = false;
            lanes.newPass();
            writeLight();
            for (Group heavy; (heavy = lanes.pollHeavy()) != null; ) {
                writing = true;
                try {
                    heavy.write();
                } finally {
                    writing = false;
                }
                writeLight();
            }
            if (!lanes.isEmpty()) {
                // After this iteration: the pass then queues behind the next reads of the loop's sockets.
                passScheduled = true;
                try {
                    loop.executeAfterEventLoopIteration(nextPass);
                } catch (RejectedExecutionException stopped) {
                    failAll(stopped);
                }
            }
        }

        private void writeLight() {
            writing = true;
            try {
                for (Group light; (light = lanes.pollLight()) != null; ) {
                    light.write();
                }
            } finally {
                writing = false;
            }
        }

        private void schedulePass() {
            passScheduled = true;
            try {
                loop.execute(this);
            } catch (RejectedExecutionException stopped) {
                failAll(stopped);
            }
        }

        /** The loop is stopping (the relay's threads outlived its shutdown timeout): what waits fails. */
        private void failAll(RejectedExecutionException stopped) {
            passScheduled = false;
            for (Group g; (g = lanes.pollLight()) != null || (g = pollHeavyAnyway()) != null; ) {
                g.fail(stopped);
            }
        }

        private Group pollHeavyAnyway() {
            lanes.newPass();
            return lanes.pollHeavy();
        }
    }
}
