package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securecomm.relay.RelayOptions;
import org.junit.jupiter.api.Test;

/** How many event loops the relay runs: the option where given, else one per processor (issue 18). */
class RelayEventLoopsTest {
    @Test
    void theOptionWinsAndTheDefaultIsOneLoopPerProcessor() {
        assertEquals(1, NettyRelayServer.eventLoops(RelayOptions.builder().eventLoops(1).build()));
        assertEquals(3, NettyRelayServer.eventLoops(RelayOptions.builder().eventLoops(3).build()));
        int expected = Integer.getInteger("io.netty.eventLoopThreads", 0) > 0
                ? Integer.getInteger("io.netty.eventLoopThreads") : Runtime.getRuntime().availableProcessors();
        // Netty's own default would be twice the processors.
        assertEquals(expected, NettyRelayServer.eventLoops(RelayOptions.defaults()));
    }
}
