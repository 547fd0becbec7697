package io.securecomm.benchmarks.relay;

import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.relay.RateLimit;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Connects {@link ChatClient}s to a securecomm relay on 127.0.0.1. */
final class SecurecommClients {
    private static final int CONNECT_BATCH = 16;

    private SecurecommClients() {}

    static List<LoadClient> connect(int port, int count, Receiver receiver)
            throws InterruptedException, ExecutionException, TimeoutException {
        return connect(List.of(port), count, receiver);
    }

    /** Connects client {@code i} to {@code ports.get(i % ports.size())}: the nodes of a cluster in turn. */
    static List<LoadClient> connect(List<Integer> ports, int count, Receiver receiver)
            throws InterruptedException, ExecutionException, TimeoutException {
        int[] ids = new int[count];
        List<LoadClient> clients = new ArrayList<>(count);
        for (int start = 0; start < count; start += CONNECT_BATCH) {
            List<CompletableFuture<Session>> sessions = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + CONNECT_BATCH); i++) {
                int index = i;
                // The relay under load has its rate limit out of the way (RelayProcess): so has the clients' pace,
                // and the harness's window is what bounds each client.
                int port = ports.get(index % ports.size());
                ChatClient client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port)
                        .nickname("load" + index)
                        // A load harness on loopback, whose relay may be another process: pinned per process.
                        .trustStore(RelayTrustStore.trustOnFirstUseInMemory())
                        .pacing(RateLimit.MAX_MESSAGES, RateLimit.MAX_MESSAGES)
                        .build(), new ChatListener() {
                            @Override
                            public void onMessage(ChatMessage message) {
                                receiver.onMessage(index, message.text());
                            }
                        });
                clients.add(new Adapter(client, ids));
                sessions.add(client.connect());
            }
            for (int i = 0; i < sessions.size(); i++) {
                ids[start + i] = sessions.get(i).get(60, TimeUnit.SECONDS).clientId();
            }
        }
        return clients;
    }

    private record Adapter(ChatClient client, int[] ids) implements LoadClient {
        @Override
        public CompletableFuture<Void> sendPublic(String text) {
            return client.sendPublic(text).thenApply(delivered -> null);
        }

        @Override
        public CompletableFuture<Void> sendPrivate(int recipient, String text) {
            return client.sendPrivate(ids[recipient], text).thenApply(delivered -> null);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
