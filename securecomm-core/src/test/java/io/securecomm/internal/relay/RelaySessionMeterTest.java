package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a relay session tells the operator's {@link RelayMeter}, sans I/O, on the harness's clock. */
class RelaySessionMeterTest {
    private final List<String> measured = new ArrayList<>();
    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(2).meter(new RelayMeter() {
        @Override
        public void clientAdmitted() {
            measured.add("admitted");
        }

        @Override
        public void clientRefused(AdmissionRefusal reason) {
            measured.add("refused " + reason);
        }

        @Override
        public void clientDeparted(DepartureReason reason) {
            measured.add("departed " + reason);
        }

        @Override
        public void messageForwarded(MessageKind kind, DeliveryResult result, Duration latency) {
            measured.add("forwarded " + kind + " " + result + " " + latency.toMillis() + " ms");
        }

        @Override
        public void limitDisconnected(LimitDisconnect limit) {
            measured.add("limit " + limit);
        }
    }));

    @Test
    void admissionsRefusalsAndDeparturesAreMeasuredWithTheirReasons() {
        Conn alice = relay.admitted("alice", 1);
        relay.established(2).send(new ClientHello("ALICE", "test/1"));
        relay.established(3).send(new ClientHello("not a nickname!", "test/1"));
        Conn bob = relay.admitted("bob", 4);
        relay.established(5).send(new ClientHello("carol", "test/1"));
        bob.clientCloses();
        alice.session.handlePolicyDisconnect(new Disconnect(ByeReason.RATE_LIMITED, "x"));
        alice.session.handlePolicyDisconnect(new Disconnect(ByeReason.IDLE_TIMEOUT, "x"));
        relay.pump();
        Conn late = relay.established(6);
        relay.relay.beginShutdown(); // a hello read before this session is told of the shutdown
        late.send(new ClientHello("dave", "test/1"));
        assertEquals(List.of("admitted", "refused NICKNAME_TAKEN", "refused INVALID_NICKNAME", "admitted",
                "refused RELAY_FULL", "departed DISCONNECTED", "limit RATE_LIMITED", "departed RATE_LIMITED"),
                measured.subList(0, 8));
        // A second limit finds the session going already: measured once. The late hello meets the shutdown.
        assertEquals(List.of("refused SHUTTING_DOWN"), measured.subList(8, measured.size()));
    }

    @Test
    void eachForwardIsMeasuredWithItsKindOutcomeAndLatencyOnTheRelaysClock() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        bob.drain();
        alice.session.handleMessage(new SendEnvelope(1, 2, new byte[] {1}));
        relay.clock.advance(Duration.ofMillis(7));
        relay.pump();
        alice.session.handleMessage(new SendRoomEnvelope(2, new int[] {2}, new byte[] {1}));
        relay.pump();
        bob.queueFull = true;
        alice.send(new SendEnvelope(3, 2, new byte[] {1}));
        assertEquals(List.of("admitted", "admitted", "forwarded PAIRWISE DELIVERED 7 ms",
                "forwarded ROOM DELIVERED 0 ms", "forwarded PAIRWISE RECIPIENT_TOO_SLOW 0 ms", "limit SLOW_READER",
                "departed TOO_SLOW"), measured);
    }
}
