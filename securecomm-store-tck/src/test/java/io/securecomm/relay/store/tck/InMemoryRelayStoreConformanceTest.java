package io.securecomm.relay.store.tck;

import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import java.time.Clock;

/** The conformance suite against the in-memory store. */
class InMemoryRelayStoreConformanceTest extends RelayStoreConformanceTest {
    @Override
    protected RelayStore open(Clock clock, StoreLimits limits) {
        return new InMemoryRelayStore(clock, limits);
    }
}
