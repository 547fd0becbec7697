package io.securecomm.benchmarks.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store benchmark runs a tiny workload end to end through all three stores; it checks the harness (every
 * message stored once, every queue drained), not speed.
 */
class StoreThroughputSmokeTest {
    @TempDir
    Path dir;

    @Test
    void tinyRunStoresAndDrainsEverything() throws Exception {
        StoreThroughput.Config c = new StoreThroughput.Config(300, 30, 7, 3, 16, 64, dir);
        List<StoreThroughput.Result> results = StoreThroughput.run(c);
        assertEquals(List.of(300, 300, 30), results.stream().map(StoreThroughput.Result::stored).toList());
        String report = StoreThroughput.format(c, results);
        assertTrue(report.contains("group commit / naive"), report);
        assertTrue(report.contains("in-memory store"), report);
    }
}
