package io.securecomm.relay.store.sqlite;

import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.tck.RelayStoreConformanceTest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against the SQLite store, each store in a new file. */
class SqliteRelayStoreConformanceTest extends RelayStoreConformanceTest {
    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected RelayStore open(Clock clock, StoreLimits limits) throws Exception {
        return SqliteRelayStore.open(dir.resolve("relay-" + files.incrementAndGet() + ".db"),
                SqliteStoreOptions.builder().clock(clock).limits(limits).build());
    }
}
