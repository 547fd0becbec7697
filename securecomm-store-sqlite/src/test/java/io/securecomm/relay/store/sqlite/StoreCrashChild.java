package io.securecomm.relay.store.sqlite;

import io.securecomm.relay.store.EnqueueResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link StoreCrashTest}: opens the store, registers "bob", then enqueues messages without
 * end (at most 64 waiting) and prints "stored ID" for each as its stage completes, until it is killed.
 */
final class StoreCrashChild {
    private StoreCrashChild() {}

    public static void main(String[] args) throws Exception {
        SqliteRelayStore store = SqliteRelayStore.open(Path.of(args[0]), SqliteStoreOptions.defaults());
        store.accounts().register("bob", new byte[] {1}).toCompletableFuture().join();
        Semaphore window = new Semaphore(64);
        for (int i = 0; ; i++) {
            window.acquire();
            store.messages().enqueue("bob", "alice", ("m" + i).getBytes(StandardCharsets.UTF_8))
                    .whenComplete((r, e) -> {
                        if (r instanceof EnqueueResult.Stored s) {
                            print("stored " + s.messageId());
                        } else {
                            print("failed " + (e != null ? e : r));
                        }
                        window.release();
                    });
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
        if (System.out.checkError()) {
            // The parent is gone: nothing left to report to.
            Runtime.getRuntime().halt(3);
        }
    }
}
