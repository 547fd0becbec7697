package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeys;
import io.securecomm.testing.MutableClock;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.UploadPreKeys;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** This client's pre-keys at the relay: published once, topped up one at a time, the signed keys rotated when due. */
class PreKeyMaintenanceTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MutableClock clock = new MutableClock();
    private final ChatClientOptions options = ChatClientOptions.builder("relay.test", 7000).nickname("alice")
            .protocolStore(new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM))).clock(clock)
            .trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build();
    private final Outbound outbound = new Outbound(1000, 1000, clock.instant());
    private final Requests requests = new Requests(outbound, clock, Duration.ofSeconds(10), new ClientErrors(options));
    private final List<ClientEvent> events = new ArrayList<>();
    private final PreKeyMaintenance preKeys = new PreKeyMaintenance(options.protocolStore(), requests, clock, RANDOM,
            events::add);

    private List<UploadPreKeys> sent() {
        List<UploadPreKeys> out = new ArrayList<>();
        outbound.release(clock.instant(), m -> out.add((UploadPreKeys) m));
        return out;
    }

    private void accept(List<UploadPreKeys> uploads) {
        uploads.forEach(u -> requests.answer(u.requestId(), new Delivered(u.requestId())));
    }

    @Test
    void publishesOnceAndCompletesWhenTheRelayAcceptedEveryUpload() {
        CompletableFuture<Void> published = preKeys.publish();
        List<UploadPreKeys> uploads = sent();
        assertEquals(2, uploads.size(), "the one-time keys in two uploads, each within the default frame");
        preKeys.count(new PreKeyCount(0, 0));
        assertTrue(sent().isEmpty(), "no top-up while the first uploads are on their way");
        accept(uploads.subList(0, 1));
        assertFalse(published.isDone());
        accept(uploads.subList(1, 2));
        assertTrue(published.isDone() && !published.isCompletedExceptionally());
        assertFalse(preKeys.replenishing());
    }

    @Test
    void topsUpBelowTheWatermarkOneAtATimeAndReportsARefusal() {
        preKeys.publish();
        accept(sent());
        preKeys.count(new PreKeyCount(PreKeys.LOW_WATERMARK, PreKeys.KEM_LOW_WATERMARK));
        assertTrue(sent().isEmpty(), "at the watermarks: nothing to do");
        preKeys.count(new PreKeyCount(PreKeys.LOW_WATERMARK - 1, PreKeys.KEM_LOW_WATERMARK));
        preKeys.count(new PreKeyCount(0, 0));
        List<UploadPreKeys> topUp = sent();
        assertEquals(1, topUp.size(), "one replenishment at a time");
        requests.refuse(new ErrorReply(topUp.get(0).requestId(), ErrorCode.PROTOCOL_VIOLATION, "no"));
        assertEquals(1, events.size(), "no application future waits for it: the failure is reported");
        assertInstanceOf(ClientEvent.Error.class, events.get(0));
        assertFalse(preKeys.replenishing(), "the next count may try again");
    }

    @Test
    void checksTheSignedKeysOncePerPeriodAndRotatesThemWhenDue() {
        assertTrue(preKeys.pollTimeout().isEmpty(), "nothing to check before the client is connected");
        preKeys.connected();
        assertEquals(clock.instant().plus(PreKeyMaintenance.SIGNED_PRE_KEY_CHECK_PERIOD),
                preKeys.pollTimeout().orElseThrow());
        preKeys.publish();
        accept(sent());
        preKeys.handleTimeout(clock.instant());
        assertTrue(sent().isEmpty(), "not due: nothing checked");
        clock.advance(PreKeyMaintenance.SIGNED_PRE_KEY_CHECK_PERIOD);
        preKeys.handleTimeout(clock.instant());
        assertTrue(sent().isEmpty(), "checked, but the signed keys are young");
        clock.advance(PreKeys.SIGNED_PRE_KEY_ROTATION);
        preKeys.handleTimeout(clock.instant());
        assertEquals(1, sent().size(), "rotated and published");
        assertEquals(clock.instant().plus(PreKeyMaintenance.SIGNED_PRE_KEY_CHECK_PERIOD),
                preKeys.pollTimeout().orElseThrow());
    }
}
