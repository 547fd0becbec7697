package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeys;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's pre-key service against a client that tries to drain another client's one-time pre-keys. */
class RelayPreKeysTest {
    private final SecureRandom random = new SecureRandom();
    private final RelayContext relay = new RelayContext(RelayOptions.builder().maxClients(4).build());

    private EmbeddedChannel admitted(String nickname, IdentityKeyPair id) {
        EmbeddedChannel ch = new EmbeddedChannel(new RelayHandler(relay));
        ch.pipeline().fireUserEventTriggered(new NoiseHandler.Established(id.publicKey().agreementKey(), new byte[32]));
        ch.writeInbound(new ClientHello(nickname, "test/1"));
        assertInstanceOf(Welcome.class, ch.readOutbound());
        return ch;
    }

    private static Message next(EmbeddedChannel ch) {
        ch.runPendingTasks();
        return ch.readOutbound();
    }

    @Test
    void aClientCannotDrainAnothersOneTimePreKeys() throws Exception {
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        EmbeddedChannel bob = admitted("bob", bobId);
        bob.writeInbound(new UploadPreKeys(1, PreKeys.prepareUpload(new InMemoryProtocolStore(bobId), 20,
                Clock.systemUTC(), random).encode()));
        assertEquals(new Delivered(1), next(bob));
        EmbeddedChannel eve = admitted("eve", IdentityKeyPair.generate(random));

        int requests = 20;
        Set<Integer> oneTimeKeysHandedOut = new HashSet<>();
        int refused = 0;
        for (int i = 1; i <= requests; i++) {
            eve.writeInbound(new PreKeyBundleRequest(i, 1));
            Message m;
            do {
                m = next(eve);
            } while (!(m instanceof PreKeyBundleResponse || m instanceof ErrorReply));
            if (m instanceof PreKeyBundleResponse r) {
                PreKeyBundle b = PreKeyBundle.decode(r.bundle());
                b.oneTime().ifPresent(k -> oneTimeKeysHandedOut.add(k.id()));
            } else {
                ErrorReply e = (ErrorReply) m;
                assertEquals(ErrorCode.RATE_LIMITED, e.code(), e.toString());
                assertTrue(e.detail().contains("pre-key bundles"), e.detail());
                refused++;
            }
        }
        assertTrue(oneTimeKeysHandedOut.size() <= 3, "eve drained " + oneTimeKeysHandedOut.size() + " one-time pre-keys");
        assertEquals(requests - oneTimeKeysHandedOut.size(), refused, "each request beyond the bound is refused");
        assertTrue(eve.isOpen() && bob.isOpen());
    }
}
