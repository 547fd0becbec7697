package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.securecomm.e2e.E2eException;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.PreKeyDirectory;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's part of end-to-end encryption, for one admitted connection: it stores pre-keys, hands out
 * bundles, and forwards opaque envelopes. It never decrypts anything and holds no secret: the
 * ciphertexts pass through unchanged, with the sender's id attached by the relay.
 *
 * <p>Delivery follows the same rules as {@link RelayHandler}'s: writes go out from the sender's event
 * loop (so one sender's messages stay in order at each recipient, envelopes and room envelopes alike),
 * {@link Delivered} follows the completed writes, and a recipient past its high-water mark is dropped.
 */
final class RelayEnvelopes {
    private final RelayContext relay;
    private final PreKeyDirectory preKeys;

    RelayEnvelopes(RelayContext relay) {
        this.relay = relay;
        this.preKeys = relay.preKeys;
    }

    /**
     * Handles an end-to-end message of an admitted client.
     *
     * @return {@code false} if the message is not an end-to-end request
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
            bundle(ctx, request);
        } else if (message instanceof SendEnvelope send) {
            direct(ctx, member, send);
        } else if (message instanceof SendRoomEnvelope send) {
            room(ctx, member, send);
        } else {
            return false;
        }
        return true;
    }

    private void bundle(ChannelHandlerContext ctx, PreKeyBundleRequest request) {
        Optional<Member<Channel>> owner = relay.registry.byId(request.clientId());
        if (owner.isEmpty()) {
            ctx.writeAndFlush(new ErrorReply(request.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + request.clientId() + " is online"));
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
            public void gone() {
                if (answered.compareAndSet(false, true)) {
                    requester.writeAndFlush(new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS,
                            "client " + request.clientId() + " has not published pre-keys"));
                }
            }
        };
        // A client just admitted publishes its pre-keys right after its Welcome, but others learn of it (Joined)
        // at the Welcome: a request in between waits for the upload, up to the handshake timeout.
        Optional<PreKeyDirectory.Handout> now = preKeys.takeBundleOrWait(request.clientId(), waiter);
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

    private void forwarded(Member<Channel> member, boolean toRoom, int bytes) {
        try {
            relay.options.listener().onEnvelopeForwarded(member.clientId(), toRoom, bytes);
        } catch (RuntimeException listenerBug) { // NOPMD: an operator's listener must not break a session
            // ignored, as RelayListener documents
        }
    }

    private void direct(ChannelHandlerContext ctx, Member<Channel> member, SendEnvelope send) {
        Channel sender = ctx.channel();
        Optional<Member<Channel>> recipient = relay.registry.byId(send.recipientId());
        if (recipient.isEmpty()) {
            sender.writeAndFlush(new ErrorReply(send.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + send.recipientId() + " is online"));
            return;
        }
        Channel to = recipient.get().session();
        forwarded(member, false, send.ciphertext().length);
        if (!to.isWritable()) {
            to.pipeline().fireUserEventTriggered(RelayHandler.TOO_SLOW);
            sender.writeAndFlush(new ErrorReply(send.requestId(), ErrorCode.RECIPIENT_TOO_SLOW,
                    "client " + send.recipientId() + " reads too slowly and was disconnected"));
            return;
        }
        to.writeAndFlush(new Envelope(member.clientId(), send.ciphertext())).addListener((ChannelFutureListener) f ->
                sender.writeAndFlush(f.isSuccess()
                        ? new Delivered(send.requestId())
                        : new ErrorReply(send.requestId(), ErrorCode.RECIPIENT_GONE,
                                "client " + send.recipientId() + " left before the message reached it")));
    }

    private void room(ChannelHandlerContext ctx, Member<Channel> member, SendRoomEnvelope send) {
        Channel sender = ctx.channel();
        List<Member<Channel>> recipients = relay.registry.othersThan(member.clientId());
        forwarded(member, true, send.ciphertext().length);
        if (recipients.isEmpty()) {
            sender.writeAndFlush(new Delivered(send.requestId()));
            return;
        }
        // One ciphertext for everyone: the sender encrypted once, the relay fans the same bytes out.
        RoomEnvelope out = new RoomEnvelope(member.clientId(), send.ciphertext());
        AtomicInteger remaining = new AtomicInteger(recipients.size());
        Runnable countDown = () -> {
            if (remaining.decrementAndGet() == 0) {
                sender.writeAndFlush(new Delivered(send.requestId()));
            }
        };
        for (Member<Channel> r : recipients) {
            Channel ch = r.session();
            if (ch.isWritable()) {
                ch.writeAndFlush(out).addListener(f -> countDown.run());
            } else {
                ch.pipeline().fireUserEventTriggered(RelayHandler.TOO_SLOW);
                countDown.run();
            }
        }
    }

    /** Forgets a departed client's pre-keys. */
    void left(Member<Channel> member) {
        preKeys.remove(member.clientId());
    }
}
