package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RelayOptionsTest {
    @Test
    void defaults() {
        RelayOptions o = RelayOptions.defaults();
        assertEquals(8080, o.port());
        assertEquals("0.0.0.0", o.bindAddress());
        assertEquals(10_000, o.maxClients());
        assertEquals(256, o.maxRoomMembers());
        assertEquals(RelayOptions.DEFAULT_EVENT_LOOPS, o.eventLoops());
        assertFalse(o.toString().contains("eventLoops"));
        assertEquals(2, RelayOptions.builder().eventLoops(2).build().eventLoops());
        assertEquals(32, o.identity().publicKey().length);
        assertFalse(o.toString().contains(HexFormat.of().formatHex(o.identity().publicKey())));
    }

    @Test
    void callerMistakesAreUnchecked() {
        RelayOptions.Builder b = RelayOptions.builder();
        assertThrows(IllegalArgumentException.class, () -> b.port(-1));
        assertThrows(IllegalArgumentException.class, () -> b.port(65536));
        assertThrows(IllegalArgumentException.class, () -> b.maxClients(0));
        assertThrows(IllegalArgumentException.class, () -> b.maxClients(1_000_001));
        assertThrows(IllegalArgumentException.class, () -> b.maxRoomMembers(0));
        assertThrows(IllegalArgumentException.class, () -> b.maxRoomMembers(257));
        assertThrows(IllegalArgumentException.class, () -> b.handshakeTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.slowReaderLimitBytes(1000));
        assertThrows(IllegalArgumentException.class, () -> b.eventLoops(-1));
        assertThrows(IllegalArgumentException.class, () -> b.eventLoops(RelayOptions.MAX_EVENT_LOOPS + 1));
        assertThrows(NullPointerException.class, () -> b.bindAddress(null));
    }

    @Test
    void lifecycleMisuseIsIllegalState() throws Exception {
        RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0).build());
        assertThrows(IllegalStateException.class, relay::localAddress);
        relay.start();
        assertThrows(IllegalStateException.class, relay::start);
        relay.close();
        relay.close();
        assertThrows(IllegalStateException.class, relay::start);
    }
}
