package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.RoomKeyWithheldReason;
import io.securecomm.client.RoomPolicy;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.TrustStore;
import io.securecomm.internal.client.RoomKeyHandOver.KeyState;
import io.securecomm.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The hand-over of this client's room key, one member at a time, without sessions: the pairwise layer is a stub. */
class RoomKeyHandOverTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MutableClock clock = new MutableClock();
    private final List<ClientEvent> events = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final Roster roster = new Roster();
    private final OnlineClient bob = new OnlineClient(2, "Bob", new byte[32]);
    private final OnlineClient carol = new OnlineClient(3, "carol", new byte[32]);
    private int keyVersion;

    private record Sent(OnlineClient to, byte[] plaintext, Outbound.Lane lane, CompletableFuture<DeliveryStatus> f) {}

    private RoomKeyHandOver handOver(RoomPolicy policy) {
        ChatClientOptions options = ChatClientOptions.builder("relay.test", 7000).nickname("alice")
                .protocolStore(new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM))).clock(clock)
                .roomPolicy(policy).trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build();
        Outbound outbound = new Outbound(1000, 1000, clock.instant());
        Requests requests = new Requests(outbound, clock, Duration.ofSeconds(10), new ClientErrors(options));
        ChatLayer.Context context = new ChatLayer.Context(options, roster, requests, events::add, null, m -> { });
        RoomKeyHandOver.Pairwise pairwise = new RoomKeyHandOver.Pairwise() {
            @Override
            public CompletableFuture<DeliveryStatus> sendKey(OnlineClient to, byte[] plaintext, Outbound.Lane lane) {
                CompletableFuture<DeliveryStatus> f = new CompletableFuture<>();
                sent.add(new Sent(to, plaintext, lane, f));
                return f;
            }

            @Override
            public Optional<PeerIdentity> describe(String peer) {
                return Optional.empty();
            }
        };
        return new RoomKeyHandOver(context, new TrustStore(options.protocolStore()), pairwise,
                () -> new byte[] {PairwisePlaintext.KIND_SENDER_KEY, (byte) ++keyVersion});
    }

    @Test
    void aMemberHoldsTheKeyOnceDeliveredAndIsARecipientWhileItIsOnItsWay() {
        RoomKeyHandOver keys = handOver(RoomPolicy.EVERYONE);
        keys.memberJoined(bob);
        keys.memberJoined(carol);
        assertEquals(Optional.of(KeyState.SENDING), keys.keyState("bob"), "named by the canonical nickname");
        assertEquals(2, sent.size());
        assertEquals(Outbound.Lane.KEYS, sent.get(0).lane(), "a newcomer's key goes in the gaps the chat leaves");
        assertArrayEquals(new int[] {2, 3}, keys.recipientIds(), "a key on its way: the member holds the message");
        sent.get(0).f().complete(DeliveryStatus.DELIVERED);
        assertEquals(Optional.of(KeyState.HOLDS_KEY), keys.keyState("bob"));
        keys.memberLeft(bob);
        assertEquals(Optional.empty(), keys.keyState("bob"));
        assertArrayEquals(new int[] {3}, keys.recipientIds());
    }

    @Test
    void aMemberWithoutPreKeysIsLeftOutReportedOnceAndTriedAgainWhenItWrites() {
        RoomKeyHandOver keys = handOver(RoomPolicy.EVERYONE);
        keys.memberJoined(bob);
        refuse(0, MessageRejectedException.Reason.NO_PRE_KEYS);
        assertEquals(Optional.of(KeyState.NO_PRE_KEYS), keys.keyState("bob"));
        assertArrayEquals(new int[0], keys.recipientIds(), "left out, never waited for");
        assertEquals(clock.instant().plus(RoomKeyHandOver.NO_PRE_KEYS_FIRST), keys.nextRetry().orElseThrow());
        assertEquals(1, events.size());
        ClientEvent.RoomKeyNotDelivered told = assertInstanceOf(ClientEvent.RoomKeyNotDelivered.class, events.get(0));
        assertSame(bob, told.member());
        assertEquals(MessageRejectedException.Reason.NO_PRE_KEYS, told.cause().reason());
        clock.advance(RoomKeyHandOver.NO_PRE_KEYS_FIRST);
        keys.handleTimeout(clock.instant());
        assertEquals(2, sent.size(), "tried again after the back-off");
        refuse(1, MessageRejectedException.Reason.NO_PRE_KEYS);
        assertEquals(1, events.size(), "reported once until it holds the key");
        assertEquals(clock.instant().plus(RoomKeyHandOver.NO_PRE_KEYS_FIRST.multipliedBy(2)),
                keys.nextRetry().orElseThrow(), "the back-off doubles");
        keys.heardFrom(bob);
        assertEquals(3, sent.size(), "it wrote to this client: a session exists, the key goes at once");
        assertEquals(Optional.of(KeyState.SENDING), keys.keyState("bob"));
    }

    @Test
    void aRefusedHandOverIsReportedOncePerMemberWithTheMemberAndWhyWhileItIsTriedAgain() {
        RoomKeyHandOver keys = handOver(RoomPolicy.EVERYONE);
        keys.memberJoined(bob);
        keys.memberJoined(carol);
        MessageRejectedException limited = new MessageRejectedException(MessageRejectedException.Reason.RATE_LIMITED,
                "too many bundle requests");
        sent.get(0).f().completeExceptionally(limited);
        refuse(1, MessageRejectedException.Reason.RELAY_ERROR);
        List<ClientEvent.RoomKeyNotDelivered> told = notDelivered();
        assertEquals(2, told.size(), events::toString);
        assertSame(bob, told.get(0).member());
        assertEquals(MessageRejectedException.Reason.RATE_LIMITED, told.get(0).cause().reason());
        assertSame(limited, told.get(0).cause().getCause(), "the failure itself, for a program that wants it");
        assertTrue(told.get(0).cause().getMessage().contains("did not reach Bob"), told.get(0).cause().getMessage());
        assertTrue(told.get(0).cause().getMessage().contains("first in 1 s"), told.get(0).cause().getMessage());
        assertSame(carol, told.get(1).member());
        assertEquals(MessageRejectedException.Reason.RELAY_ERROR, told.get(1).cause().reason());
        assertEquals(Optional.of(KeyState.RETRYING), keys.keyState("bob"));

        for (int round = 1; round <= 3; round++) {
            clock.advance(RoomKeyHandOver.RETRY_MAX);
            keys.handleTimeout(clock.instant());
            assertEquals(2 + 2 * round, sent.size(), "both tried again, round " + round);
            sent.get(sent.size() - 2).f().completeExceptionally(limited);
            sent.get(sent.size() - 1).f().completeExceptionally(limited);
        }
        assertEquals(2, notDelivered().size(), "once per member while it is tried again");
        assertEquals(List.of(), errors(), "the typed event, not an error as well");

        // bob gets the key, then loses a rotated one: reported again. carol leaves and comes back: reported again.
        clock.advance(RoomKeyHandOver.RETRY_MAX);
        keys.handleTimeout(clock.instant());
        sent.get(sent.size() - 2).f().complete(DeliveryStatus.DELIVERED);
        assertEquals(Optional.of(KeyState.HOLDS_KEY), keys.keyState("bob"));
        keys.memberLeft(carol);
        OnlineClient carolAgain = new OnlineClient(4, "carol", new byte[32]);
        keys.memberJoined(carolAgain);
        sent.get(sent.size() - 1).f().completeExceptionally(limited);
        keys.rotated(new byte[] {PairwisePlaintext.KIND_SENDER_KEY, 99});
        sent.get(sent.size() - 2).f().completeExceptionally(limited);
        List<ClientEvent.RoomKeyNotDelivered> again = notDelivered().subList(2, notDelivered().size());
        assertEquals(List.of(carolAgain, bob), again.stream().map(ClientEvent.RoomKeyNotDelivered::member).toList());
    }

    @Test
    void aListenerThatDoesNotOverrideTheCallbackGetsTheReportAsAnError() {
        RoomKeyHandOver keys = handOver(RoomPolicy.EVERYONE);
        keys.memberJoined(bob);
        refuse(0, MessageRejectedException.Reason.NO_PRE_KEYS);
        ClientEvent.RoomKeyNotDelivered told = notDelivered().get(0);

        List<ChatClientException> errors = new ArrayList<>();
        told.tell(new ChatListener() {
            @Override
            public void onError(ChatClientException error) {
                errors.add(error);
            }
        });
        assertEquals(List.of(told.cause()), errors, "the default: the same report as before the callback existed");

        List<OnlineClient> members = new ArrayList<>();
        errors.clear();
        told.tell(new ChatListener() {
            @Override
            public void onRoomKeyNotDelivered(OnlineClient member, MessageRejectedException cause) {
                members.add(member);
            }

            @Override
            public void onError(ChatClientException error) {
                errors.add(error);
            }
        });
        assertEquals(List.of(bob), members);
        assertEquals(List.of(), errors, "overridden: not an error as well");
    }

    /** The relay refuses the hand-over sent {@code index}-th. */
    private void refuse(int index, MessageRejectedException.Reason reason) {
        sent.get(index).f().completeExceptionally(new MessageRejectedException(reason, "refused: " + reason));
    }

    private List<ClientEvent.RoomKeyNotDelivered> notDelivered() {
        return events.stream().filter(ClientEvent.RoomKeyNotDelivered.class::isInstance)
                .map(ClientEvent.RoomKeyNotDelivered.class::cast).toList();
    }

    private List<ClientEvent> errors() {
        return events.stream().filter(ClientEvent.Error.class::isInstance).toList();
    }

    @Test
    void aRotatedKeyGoesToTheReadersInTheChatLaneAndToNewcomersInTheKeyLane() {
        RoomKeyHandOver keys = handOver(RoomPolicy.EVERYONE);
        keys.memberJoined(bob);
        keys.memberJoined(carol);
        sent.get(0).f().complete(DeliveryStatus.DELIVERED);
        byte[] fresh = {PairwisePlaintext.KIND_SENDER_KEY, 99};
        keys.rotated(fresh);
        assertEquals(4, sent.size());
        assertEquals(Outbound.Lane.CHAT, sent.get(2).lane(), "bob held the old key: the next message needs this one");
        assertEquals(Outbound.Lane.KEYS, sent.get(3).lane());
        assertArrayEquals(fresh, sent.get(2).plaintext());
        sent.get(1).f().complete(DeliveryStatus.DELIVERED);
        assertEquals(Optional.of(KeyState.SENDING), keys.keyState("carol"), "only the latest hand-over counts");
    }

    @Test
    void underTheVerifiedPolicyAnUnverifiedMemberIsWithheldAndTold() {
        RoomKeyHandOver keys = handOver(RoomPolicy.VERIFIED);
        keys.memberJoined(bob);
        assertTrue(sent.isEmpty());
        assertEquals(Optional.of(KeyState.WITHHELD), keys.keyState("bob"));
        ClientEvent.RoomKeyWithheld told = assertInstanceOf(ClientEvent.RoomKeyWithheld.class, events.get(0));
        assertEquals(RoomKeyWithheldReason.NOT_VERIFIED, told.reason());
        keys.verified("bob");
        assertTrue(sent.isEmpty(), "still not verified in the trust store: still withheld");
    }
}
