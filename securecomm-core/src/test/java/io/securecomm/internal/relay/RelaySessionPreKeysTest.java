package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.UploadPreKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's pre-key service against a client that tries to drain another client's one-time pre-keys. */
class RelaySessionPreKeysTest {
    private final SecureRandom random = new SecureRandom();
    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(4));

    private Conn admitted(String nickname, IdentityKeyPair id) {
        return relay.admit(relay.established(id.publicKey().agreementKey(), ProtocolExtension.NONE), nickname);
    }

    /** The answer to a bundle request, skipping the notices (Joined, PreKeyCount) in between. */
    private static Message answer(Conn c) {
        for (Message m = c.next(); m != null; m = c.next()) {
            if (m instanceof PreKeyBundleResponse || m instanceof ErrorReply) {
                return m;
            }
        }
        throw new AssertionError("no answer to the bundle request");
    }

    @Test
    void aClientCannotDrainAnothersOneTimePreKeys() throws Exception {
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        Conn bob = admitted("bob", bobId);
        bob.send(new UploadPreKeys(1, PreKeys.prepareUpload(new InMemoryProtocolStore(bobId), 20, 2,
                Clock.systemUTC(), random).encode()));
        assertEquals(new Delivered(1), bob.next());
        Conn eve = admitted("eve", IdentityKeyPair.generate(random));

        int requests = 20;
        Set<Integer> oneTimeKeysHandedOut = new HashSet<>();
        int refused = 0;
        for (int i = 1; i <= requests; i++) {
            eve.send(new PreKeyBundleRequest(i, 1));
            Message m = answer(eve);
            if (m instanceof PreKeyBundleResponse r) {
                PreKeyBundle.decode(r.bundle()).oneTime().ifPresent(k -> oneTimeKeysHandedOut.add(k.id()));
            } else {
                ErrorReply e = assertInstanceOf(ErrorReply.class, m);
                assertEquals(ErrorCode.RATE_LIMITED, e.code(), e.toString());
                assertTrue(e.detail().contains("pre-key bundles"), e.detail());
                refused++;
            }
        }
        assertTrue(oneTimeKeysHandedOut.size() <= PreKeyDirectory.MAX_BUNDLES_PER_REQUESTER_AND_TARGET,
                "eve drained " + oneTimeKeysHandedOut.size() + " one-time pre-keys");
        assertEquals(requests - oneTimeKeysHandedOut.size(), refused, "each request beyond the bound is refused");

        // The bound is a sliding window on the relay's clock: later, eve may ask again.
        relay.advance(PreKeyDirectory.BUNDLE_REQUEST_WINDOW);
        eve.send(new PreKeyBundleRequest(99, 1));
        assertInstanceOf(PreKeyBundleResponse.class, answer(eve));
    }
}
