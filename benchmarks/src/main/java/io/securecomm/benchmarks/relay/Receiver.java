package io.securecomm.benchmarks.relay;

/** Where clients hand the texts they receive; called concurrently, but never concurrently for one receiver. */
@FunctionalInterface
public interface Receiver {
    /**
     * Records a received text.
     *
     * @param receiver the receiving client's index
     * @param text the text
     */
    void onMessage(int receiver, String text);
}
