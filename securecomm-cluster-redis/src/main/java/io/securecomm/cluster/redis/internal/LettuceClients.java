package io.securecomm.cluster.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce client as the store and the cluster use it, one convention for both: two I/O threads, every command
 * with a deadline, commands refused at once while disconnected (never queued without bound), reconnection by itself
 * with a backoff from 10 ms, and a command in flight when the connection broke failed rather than sent again (an
 * enqueue or a route must never run twice). Stateless.
 */
public final class LettuceClients {
    private LettuceClients() {}

    /**
     * A client with its own resources, for one Redis.
     *
     * @param uri where Redis is (its timeout is set to {@code commandTimeout})
     * @param commandTimeout every command's deadline
     * @param connectTimeout a new connection's deadline
     * @param maxReconnectDelay the longest wait between two reconnection attempts
     * @return the client and its resources, to {@link Client#shutDown()} when done
     */
    public static Client create(RedisURI uri, Duration commandTimeout, Duration connectTimeout,
            Duration maxReconnectDelay) {
        uri.setTimeout(commandTimeout);
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), maxReconnectDelay, 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected, rather than queue commands without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                // A command in flight when the connection broke may have run: never send it again (an enqueue
                // would be stored twice, a route delivered twice); fail it, with its outcome unknown.
                .replayFilter(command -> {
                    command.completeExceptionally(new RedisException("the connection to Redis broke while the"
                            + " command was in flight"));
                    return true;
                })
                .build());
        return new Client(client, resources);
    }

    /**
     * "Redis at host:port", for messages: never the password.
     *
     * @param uri the Redis URI
     * @return the description
     */
    public static String where(RedisURI uri) {
        return "Redis at " + uri.getHost() + ":" + uri.getPort();
    }

    /**
     * A Lettuce client and the resources it alone uses.
     *
     * @param client the client
     * @param resources its threads
     */
    public record Client(RedisClient client, ClientResources resources) {
        /** Closes the client's connections and stops its threads, waiting up to two seconds. */
        public void shutDown() {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
