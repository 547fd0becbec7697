package io.securecomm.relay.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.relay.store.StoredMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Stored" survives a crash: a child process enqueues messages and reports each one the store completed; it is
 * killed with SIGKILL in the middle of its writes; every message it reported is in the database afterwards.
 */
class StoreCrashTest {
    private static final int REPORTED_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @Test
    void everyMessageReportedStoredSurvivesSigkill() throws Exception {
        Path file = dir.resolve("relay.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StoreCrashChild.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Set<Long> reported = new HashSet<>();
        try {
            CompletableFuture<Void> enough = CompletableFuture.runAsync(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while (reported.size() < REPORTED_BEFORE_KILL && (line = out.readLine()) != null) {
                        if (!line.startsWith("stored ")) {
                            throw new AssertionError("the child said: " + line);
                        }
                        reported.add(Long.parseLong(line.substring("stored ".length())));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            enough.get(120, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no final commit.
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        }
        assertEquals(REPORTED_BEFORE_KILL, reported.size());
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");

        try (SqliteRelayStore store = SqliteRelayStore.open(file, SqliteStoreOptions.defaults())) {
            Set<Long> inStore = store.messages().fetch("bob", 0, 1_000_000).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS).stream().map(StoredMessage::messageId).collect(Collectors.toSet());
            Set<Long> lost = new HashSet<>(reported);
            lost.removeAll(inStore);
            assertEquals(Set.of(), lost, "messages reported stored but missing after the crash");
            assertTrue(inStore.size() >= REPORTED_BEFORE_KILL);
        }
    }
}
