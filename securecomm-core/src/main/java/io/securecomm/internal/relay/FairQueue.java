package io.securecomm.internal.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What waits for one recipient, queued per sender and handed out fairly across senders (sans I/O): a deficit round
 * robin by bytes over per-sender queues, in which a sender that was idle goes ahead of the backlogged ones. One
 * sender's flood therefore queues behind, not ahead of, the others' messages to the same recipient: a message from
 * a sender with nothing queued is the next one handed out (after what was already handed out), and backlogged
 * senders share what the recipient reads, {@code quantumBytes} each per round.
 *
 * <p>The scheme is the flow queueing of FQ-CoDel (RFC 8290, section 4) without its delay control: a sender that
 * becomes active gets a quantum and joins the list of <em>new</em> senders, served before the <em>old</em> ones; a
 * sender that spent its quantum goes to the end of the old list with a new quantum added to its deficit; a sender
 * whose queue ran empty leaves the lists.
 *
 * <p>Memory is bounded, and what does not fit is handed back to the caller (who tells its sender), never dropped
 * silently: a sender may have at most {@code senderLimitBytes} queued (a larger message is taken only into an empty
 * queue); and when everything queued would exceed {@code totalLimitBytes}, the newest messages of the sender with
 * the most queued are pushed out until it fits ("longest queue drop"), so a flood cannot push out a light sender's
 * message while the flooder has more queued.
 *
 * <p>Per sender, messages are handed out in the order they were offered. Not thread-safe: one per recipient,
 * confined to its thread.
 *
 * @param <S> who sent a message (compared with {@code equals})
 * @param <M> a message
 */
public final class FairQueue<S, M> {
    private final int quantumBytes;
    private final int senderLimitBytes;
    private final long totalLimitBytes;
    private final Map<S, Flow<S, M>> flows = new HashMap<>();
    private final ArrayDeque<Flow<S, M>> newFlows = new ArrayDeque<>();
    private final ArrayDeque<Flow<S, M>> oldFlows = new ArrayDeque<>();
    private long totalBytes;
    private int totalMessages;

    /**
     * Creates an empty queue.
     *
     * @param quantumBytes the bytes each backlogged sender may be handed out per round (at least 1)
     * @param senderLimitBytes the most one sender may have queued (at least 1)
     * @param totalLimitBytes the most all senders together may have queued (at least {@code senderLimitBytes})
     */
    public FairQueue(int quantumBytes, int senderLimitBytes, long totalLimitBytes) {
        if (quantumBytes < 1 || senderLimitBytes < 1 || totalLimitBytes < senderLimitBytes) {
            throw new IllegalArgumentException("need quantum >= 1, sender limit >= 1, total >= sender limit: "
                    + quantumBytes + ", " + senderLimitBytes + ", " + totalLimitBytes);
        }
        this.quantumBytes = quantumBytes;
        this.senderLimitBytes = senderLimitBytes;
        this.totalLimitBytes = totalLimitBytes;
    }

    /**
     * Queues a message, unless it does not fit.
     *
     * @param sender who sent it
     * @param message the message
     * @param bytes its size, at least 0
     * @return the messages that did not fit, oldest first: empty, or the offered message (its sender has too much
     *     queued), or messages of the sender with the most queued pushed out to make room (possibly the offered one)
     */
    public List<M> offer(S sender, M message, int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        Flow<S, M> flow = flows.get(sender);
        if (flow != null && flow.bytes > 0 && flow.bytes + bytes > senderLimitBytes) {
            return List.of(message);
        }
        if (flow == null) {
            flow = new Flow<>(sender);
            flows.put(sender, flow);
        }
        if (!flow.listed) {
            flow.listed = true;
            flow.deficit = quantumBytes;
            newFlows.addLast(flow);
        }
        flow.messages.addLast(message);
        flow.sizes.addLast(bytes);
        flow.bytes += bytes;
        totalBytes += bytes;
        totalMessages++;
        if (totalBytes <= totalLimitBytes) {
            return List.of();
        }
        List<M> pushedOut = new ArrayList<>();
        while (totalBytes > totalLimitBytes) {
            Flow<S, M> longest = flow;
            for (Flow<S, M> f : flows.values()) {
                if (f.bytes > longest.bytes) {
                    longest = f;
                }
            }
            int size = longest.sizes.removeLast();
            pushedOut.add(0, longest.messages.removeLast());
            longest.bytes -= size;
            totalBytes -= size;
            totalMessages--;
        }
        return pushedOut;
    }

    /**
     * Whether a message of this size, offered now, would be taken and be the very next one handed out: nothing is
     * queued and it fits the limit. A caller about to hand it out at once may then skip the queue, and the queue keeps
     * no trace of the message (issue 18: taking it in is a store into this long-lived queue per message, which G1
     * pays for).
     *
     * @param bytes its size, at least 0
     * @return {@code true} if {@code offer} would take it and {@link #poll()} would return it next
     */
    public boolean passesAtOnce(int bytes) {
        return totalMessages == 0 && bytes <= totalLimitBytes;
    }

    /**
     * Hands out the next message, fairly across senders.
     *
     * @return the next message, or {@code null} if nothing is queued
     */
    public M poll() {
        while (true) {
            ArrayDeque<Flow<S, M>> list = newFlows.isEmpty() ? oldFlows : newFlows;
            Flow<S, M> flow = list.peekFirst();
            if (flow == null) {
                return null;
            }
            if (flow.messages.isEmpty()) {
                // Ran empty (or was pushed out): it leaves the lists, and comes back as a new sender.
                list.removeFirst();
                flow.listed = false;
                flows.remove(flow.sender);
                continue;
            }
            if (flow.deficit <= 0) {
                list.removeFirst();
                flow.deficit += quantumBytes;
                oldFlows.addLast(flow);
                continue;
            }
            int size = flow.sizes.removeFirst();
            flow.deficit -= size;
            flow.bytes -= size;
            totalBytes -= size;
            totalMessages--;
            return flow.messages.removeFirst();
        }
    }

    /**
     * Removes everything queued.
     *
     * @return every queued message, each sender's in order
     */
    public List<M> clear() {
        List<M> all = new ArrayList<>();
        for (Flow<S, M> f : flows.values()) {
            all.addAll(f.messages);
        }
        flows.clear();
        newFlows.clear();
        oldFlows.clear();
        totalBytes = 0;
        totalMessages = 0;
        return all;
    }

    /**
     * Whether nothing is queued.
     *
     * @return {@code true} if {@link #poll()} would return {@code null}
     */
    public boolean isEmpty() {
        return totalMessages == 0;
    }

    /**
     * The bytes queued, all senders together.
     *
     * @return the sum of the sizes of the queued messages
     */
    public long bytes() {
        return totalBytes;
    }

    /**
     * The bytes one sender has queued.
     *
     * @param sender a sender
     * @return the sum of the sizes of its queued messages, 0 if none
     */
    public long bytes(S sender) {
        Flow<S, M> flow = flows.get(sender);
        return flow == null ? 0 : flow.bytes;
    }

    /** One sender's queue and its place in the round. */
    private static final class Flow<S, M> {
        final S sender;
        final ArrayDeque<M> messages = new ArrayDeque<>();
        final ArrayDeque<Integer> sizes = new ArrayDeque<>();
        long bytes;
        long deficit;
        boolean listed;

        Flow(S sender) {
            this.sender = sender;
        }
    }
}
