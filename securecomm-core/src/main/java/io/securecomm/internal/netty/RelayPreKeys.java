package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.securecomm.e2e.E2eException;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.PreKeyDirectory;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.UploadPreKeys;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The relay's pre-key service for one admitted connection: it stores the client's pre-keys and hands out
 * one bundle per request, within the bounds {@link PreKeyDirectory} sets (a request beyond them is answered
 * {@link ErrorCode#RATE_LIMITED}). It holds no secret: pre-keys are public, and the relay cannot forge a bundle
 * because the signed pre-key is signed by the owner's identity key. The envelopes themselves are forwarded
 * by {@link RelayHandler}, with the same delivery rules as every other message.
 */
final class RelayPreKeys {
    private final RelayContext relay;
    private final PreKeyDirectory preKeys;

    RelayPreKeys(RelayContext relay) {
        this.relay = relay;
        this.preKeys = relay.preKeys;
    }

    /**
     * Handles a pre-key message of an admitted client.
     *
     * @return {@code false} if the message is not a pre-key request
     */
    boolean handle(ChannelHandlerContext ctx, Member<Channel> member, byte[] noiseStaticKey, Message message) {
        if (message instanceof UploadPreKeys upload) {
            try {
                preKeys.upload(member.clientId(), noiseStaticKey, upload.preKeys());
                ctx.writeAndFlush(new Delivered(upload.requestId()));
            } catch (E2eException e) {
                ctx.writeAndFlush(new ErrorReply(upload.requestId(), ErrorCode.INVALID_PRE_KEYS,
                        RelayHandler.clip("pre-keys refused: " + e.getMessage())));
            }
        } else if (message instanceof PreKeyBundleRequest request) {
            bundle(ctx, member.clientId(), request);
        } else {
            return false;
        }
        return true;
    }

    private void bundle(ChannelHandlerContext ctx, int requesterId, PreKeyBundleRequest request) {
        Optional<Member<Channel>> owner = relay.registry.byId(request.clientId());
        if (owner.isEmpty()) {
            ctx.writeAndFlush(new ErrorReply(request.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + request.clientId() + " is online"));
            return;
        }
        if (Boolean.TRUE.equals(owner.get().session().attr(RelayHandler.INSECURE_LEGACY).get())) {
            // A client of the INSECURE legacy suite has no end-to-end layer and will never upload: nothing to wait
            // for.
            ctx.writeAndFlush(new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS, "client "
                    + request.clientId() + " uses the INSECURE legacy suite and has no end-to-end keys"));
            return;
        }
        Channel requester = ctx.channel();
        Channel ownerChannel = owner.get().session();
        AtomicBoolean answered = new AtomicBoolean();
        PreKeyDirectory.Waiter waiter = new PreKeyDirectory.Waiter() {
            @Override
            public void bundle(PreKeyDirectory.Handout handout) {
                if (answered.compareAndSet(false, true)) {
                    requester.writeAndFlush(new PreKeyBundleResponse(request.requestId(), request.clientId(),
                            handout.bundle().encode()));
                    // Tell the owner how many one-time pre-keys are left, so it replenishes in time.
                    ownerChannel.writeAndFlush(new PreKeyCount(Math.min(0xFFFF, handout.remaining())));
                }
            }

            @Override
            public void refused(String reason) {
                if (answered.compareAndSet(false, true)) {
                    requester.writeAndFlush(new ErrorReply(request.requestId(), ErrorCode.RATE_LIMITED,
                            RelayHandler.clip(reason)));
                }
            }

            @Override
            public void gone() {
                if (answered.compareAndSet(false, true)) {
                    boolean left = relay.registry.byId(request.clientId()).isEmpty();
                    requester.writeAndFlush(left
                            ? new ErrorReply(request.requestId(), ErrorCode.RECIPIENT_GONE,
                                    "client " + request.clientId() + " left before publishing pre-keys")
                            : new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS,
                                    "client " + request.clientId() + " has not published pre-keys"));
                }
            }
        };
        // A client just admitted publishes its pre-keys right after its Welcome, but others learn of it (Joined)
        // at the Welcome: a request in between waits for the upload, up to the handshake timeout.
        Optional<PreKeyDirectory.Handout> now = preKeys.takeBundleOrWait(requesterId, request.clientId(),
                waiter);
        if (now.isPresent()) {
            waiter.bundle(now.get());
        } else if (!answered.get()) {
            ctx.executor().schedule(() -> {
                if (preKeys.cancel(request.clientId(), waiter)) {
                    waiter.gone();
                }
            }, relay.options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Forgets a departed client's pre-keys. */
    void left(Member<Channel> member) {
        preKeys.remove(member.clientId());
    }
}
