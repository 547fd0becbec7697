package io.securecomm.benchmarks.relay;

import java.util.concurrent.CompletableFuture;

/** One connected client as the harness drives it, whatever the server. */
public interface LoadClient extends AutoCloseable {
    /**
     * Sends a message to every other client.
     *
     * @param text the text
     * @return completes when the server has accepted (securecomm: {@code Delivered}) or the client has written it
     *     (MQTT QoS 0)
     */
    CompletableFuture<Void> sendPublic(String text);

    /**
     * Sends a message to one client.
     *
     * @param recipient the recipient's index in the harness
     * @param text the text
     * @return as {@link #sendPublic(String)}
     */
    CompletableFuture<Void> sendPrivate(int recipient, String text);

    @Override
    void close();
}
