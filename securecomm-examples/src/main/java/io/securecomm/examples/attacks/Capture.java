package io.securecomm.examples.attacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a wiretap recorded of one connection: every frame payload, per direction, in order. Thread-safe: the
 * proxy's two pump threads append, a test or demo reads and waits.
 */
public final class Capture {
    /** Which way a frame travelled. */
    public enum Direction {
        /** From the client to the relay. */
        CLIENT_TO_RELAY,
        /** From the relay to the client. */
        RELAY_TO_CLIENT
    }

    private final List<byte[]> clientToRelay = new ArrayList<>();
    private final List<byte[]> relayToClient = new ArrayList<>();

    /**
     * Records a frame payload.
     *
     * @param direction which way
     * @param payload the payload (copied)
     */
    public synchronized void record(Direction direction, byte[] payload) {
        Objects.requireNonNull(direction, "direction");
        (direction == Direction.CLIENT_TO_RELAY ? clientToRelay : relayToClient).add(payload.clone());
        notifyAll();
    }

    /**
     * The frames of one direction so far.
     *
     * @param direction which way
     * @return copies of the payloads, in order
     */
    public synchronized List<byte[]> frames(Direction direction) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] f : direction == Direction.CLIENT_TO_RELAY ? clientToRelay : relayToClient) {
            out.add(f.clone());
        }
        return out;
    }

    /**
     * Waits until a direction has at least {@code count} frames.
     *
     * @param direction which way
     * @param count how many frames
     * @param timeout how long to wait at most
     * @return the frames (at least {@code count})
     * @throws AttackFailedException if they did not arrive in time
     * @throws InterruptedException if interrupted
     */
    public synchronized List<byte[]> awaitFrames(Direction direction, int count, Duration timeout)
            throws AttackFailedException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<byte[]> list = direction == Direction.CLIENT_TO_RELAY ? clientToRelay : relayToClient;
        while (list.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AttackFailedException("the wiretap saw " + list.size() + " frames " + direction
                        + ", expected "
                        + count + " within " + timeout.toMillis() + " ms");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return frames(direction);
    }
}
