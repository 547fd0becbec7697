package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One peer's steps run one after the other, whatever the previous one's outcome; other peers do not wait. */
class PeerChainsTest {
    private final PeerChains chains = new PeerChains();
    private final List<String> started = new ArrayList<>();

    private CompletableFuture<String> step(String name, CompletableFuture<String> outcome) {
        return chains.serially(name.substring(0, 3), () -> {
            started.add(name);
            return outcome;
        });
    }

    @Test
    void aStepForOnePeerWaitsForThePreviousOneOnlyAndAfterAFailure() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> a1 = step("bob-1", first);
        CompletableFuture<String> a2 = step("bob-2", CompletableFuture.completedFuture("two"));
        CompletableFuture<String> other = step("amy-1", CompletableFuture.completedFuture("amy"));
        assertEquals(List.of("bob-1", "amy-1"), started, "bob's second step waits; amy's does not");
        assertEquals("amy", other.join());
        first.completeExceptionally(new IllegalStateException("refused"));
        assertTrue(a1.isCompletedExceptionally());
        assertEquals(List.of("bob-1", "amy-1", "bob-2"), started, "a failure does not stop the chain");
        assertEquals("two", a2.join());
        assertEquals(0, chains.busy(), "nothing is kept once the steps are done");
    }

    @Test
    void stepsRunInTheOrderTheyCame() {
        List<CompletableFuture<String>> gates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            gates.add(new CompletableFuture<>());
            step("bob-" + i, gates.get(i));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, started.size());
            gates.get(i).complete("ok");
        }
        assertEquals(List.of("bob-0", "bob-1", "bob-2", "bob-3", "bob-4"), started);
        assertEquals(0, chains.busy());
    }
}
