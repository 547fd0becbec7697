package io.securecomm.examples.attacks;

import io.securecomm.examples.attacks.Capture.Direction;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;

/**
 * An {@link InterceptingProxy.Interceptor} that forwards every frame unchanged and records it in a {@link
 * Capture}: a passive eavesdropper. Optionally it flips one bit of one client-to-relay frame, to show what an
 * integrity check is for.
 */
public final class Wiretap implements InterceptingProxy.Interceptor {
    private final Capture capture;
    private final IntPredicate tamperClientFrame;

    private Wiretap(Capture capture, IntPredicate tamperClientFrame) {
        this.capture = capture;
        this.tamperClientFrame = tamperClientFrame;
    }

    /**
     * A wiretap that only listens.
     *
     * @param capture where to record
     * @return the interceptor
     */
    public static Wiretap listening(Capture capture) {
        return new Wiretap(capture, i -> false);
    }

    /**
     * A wiretap that flips the lowest bit of the last byte of the client-to-relay frames whose index (0 = the
     * first frame of the connection) matches.
     *
     * @param capture where to record (the frames as the client sent them)
     * @param frameIndex which frames to tamper with
     * @return the interceptor
     */
    public static Wiretap tampering(Capture capture, IntPredicate frameIndex) {
        return new Wiretap(capture, frameIndex);
    }

    @Override
    public void handle(FrameLink client, FrameLink relay, ExecutorService threads) throws Exception {
        Future<?> back = threads.submit(() -> {
            InterceptingProxy.pump(relay, client, frame -> {
                capture.record(Direction.RELAY_TO_CLIENT, frame);
                return frame;
            });
            return null;
        });
        int[] index = {0};
        try {
            InterceptingProxy.pump(client, relay, frame -> {
                capture.record(Direction.CLIENT_TO_RELAY, frame);
                if (tamperClientFrame.test(index[0]++)) {
                    byte[] changed = frame.clone();
                    changed[changed.length - 1] ^= 1;
                    return changed;
                }
                return frame;
            });
        } finally {
            back.cancel(true);
        }
    }
}
