package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
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
 * <p>Per recipient, writes keep the order in which they were added: those for one loop run in one task, in order,
 * and the tasks of one sender's loop reach a recipient's loop in the order they were submitted. A recipient with a
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

    /** The writes for the connections of one event loop. */
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
}
