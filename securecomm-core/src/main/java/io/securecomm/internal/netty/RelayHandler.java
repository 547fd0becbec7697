package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.relay.ClientRegistry;
import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.Limits;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's logic for one connection, above the message codec: admits the client on its
 * {@link ClientHello}, answers list requests, forwards public and private messages, and announces joins
 * and departures.
 *
 * <p>Delivery: a message is written to each recipient's channel from this (the sender's) event loop, so
 * Netty queues one sender's messages to a recipient in the order they were sent. {@link Delivered} goes
 * back once every write has completed. A recipient that vanishes meanwhile simply misses a public
 * message; a private message to it is answered with {@code RECIPIENT_GONE}. A recipient that stops
 * reading, so that its unsent bytes pass the channel's high-water mark, is disconnected with
 * {@code Bye(TOO_SLOW)} instead of being buffered for without bound.
 *
 * <p>Failure isolation: a malformed message, a protocol violation or a dead socket ends this connection
 * only; the error is answered over the encrypted channel first when one exists. Not sharable.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    /** The user event that tells a connection its client reads too slowly to keep up and must go. */
    static final Object TOO_SLOW = new Object() {
        @Override
        public String toString() {
            return "TOO_SLOW";
        }
    };

    /** The user event that tells every connection the relay is shutting down. */
    static final Object SHUTDOWN = new Object() {
        @Override
        public String toString() {
            return "SHUTDOWN";
        }
    };

    /** How long a last message (a goodbye, a refusal) may take to be written before the connection is cut. */
    static final java.time.Duration LAST_MESSAGE_GRACE = java.time.Duration.ofSeconds(1);

    private final RelayContext relay;
    private final RelayEnvelopes envelopes;
    private byte[] identityKey;
    private Member<Channel> member;
    private LeaveReason leaveReason = LeaveReason.DISCONNECTED;
    private ScheduledFuture<?> helloDeadline;
    private boolean closing;

    RelayHandler(RelayContext relay) {
        this.relay = relay;
        this.envelopes = new RelayEnvelopes(relay);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long timeout = relay.options.handshakeTimeout().toNanos();
        helloDeadline = ctx.executor().schedule(() -> {
            if (member == null) {
                ctx.close();
            }
        }, timeout, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof NoiseHandler.Established established) {
            identityKey = established.remoteStaticPublicKey();
        } else if (evt == TOO_SLOW) {
            if (!closing) {
                leaveReason = LeaveReason.KICKED;
                closeWith(ctx, new Bye(ByeReason.TOO_SLOW, "you read too slowly to keep up with the relay's"
                        + " traffic; your unread messages exceeded the relay's limit"));
            }
        } else if (evt == SHUTDOWN) {
            if (identityKey != null) {
                closeWith(ctx, new Bye(ByeReason.SERVER_SHUTDOWN, "the relay is shutting down"));
            } else {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing) {
                return;
            }
            if (msg instanceof MessageCodecHandler.Malformed malformed) {
                refuse(ctx, ErrorCode.MALFORMED_MESSAGE, "the relay could not parse your message: "
                        + malformed.cause().getMessage());
            } else if (msg instanceof Message message) {
                if (member == null) {
                    beforeAdmission(ctx, message);
                } else {
                    afterAdmission(ctx, message);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void beforeAdmission(ChannelHandlerContext ctx, Message message) {
        if (message instanceof ClientHello hello) {
            admit(ctx, hello);
        } else if (message instanceof Ping ping) {
            ctx.writeAndFlush(new Pong(ping.nonce()));
        } else if (message instanceof Bye) {
            ctx.close();
        } else {
            refuse(ctx, ErrorCode.PROTOCOL_VIOLATION, "send ClientHello first, got " + message.type());
        }
    }

    private void afterAdmission(ChannelHandlerContext ctx, Message message) {
        if (envelopes.handle(ctx, member, identityKey, message)) {
            return;
        }
        if (message instanceof SendPublic send) {
            sendPublic(ctx, send);
        } else if (message instanceof SendPrivate send) {
            sendPrivate(ctx, send);
        } else if (message instanceof ListRequest list) {
            List<ClientInfo> clients = new ArrayList<>();
            for (Member<Channel> m : relay.registry.members()) {
                if (clients.size() == Limits.CLIENT_LIST_MAX_ENTRIES) {
                    break;
                }
                clients.add(new ClientInfo(m.clientId(), m.nickname(), m.identityKey()));
            }
            ctx.writeAndFlush(new ClientList(list.requestId(), clients));
        } else if (message instanceof Ping ping) {
            ctx.writeAndFlush(new Pong(ping.nonce()));
        } else if (message instanceof Bye) {
            leaveReason = LeaveReason.BYE;
            closing = true;
            ctx.close();
        } else {
            refuse(ctx, ErrorCode.PROTOCOL_VIOLATION, "a client may not send " + message.type() + " now");
        }
    }

    private void admit(ChannelHandlerContext ctx, ClientHello hello) {
        if (relay.shuttingDown) {
            closeWith(ctx, new Bye(ByeReason.SERVER_SHUTDOWN, "the relay is shutting down"));
            return;
        }
        Admission<Channel> admission = relay.registry.admit(hello.nickname(), identityKey, ctx.channel());
        if (admission instanceof Admission.Refused<Channel> refused) {
            ErrorCode code = switch (refused.reason()) {
                case INVALID_NICKNAME -> ErrorCode.INVALID_NICKNAME;
                case NICKNAME_TAKEN -> ErrorCode.NICKNAME_TAKEN;
                case RELAY_FULL -> ErrorCode.SERVER_FULL;
            };
            refuse(ctx, code, refused.detail());
            return;
        }
        member = ((Admission.Admitted<Channel>) admission).member();
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        ctx.writeAndFlush(new io.securecomm.wire.Welcome(member.clientId(), member.nickname(),
                relay.options.serverInfo()));
        notify(() -> relay.options.listener().onClientJoined(member.clientId(), member.nickname(), identityKey.clone()));
        Joined joined = new Joined(member.clientId(), member.nickname(), identityKey);
        for (Member<Channel> other : relay.registry.othersThan(member.clientId())) {
            other.session().writeAndFlush(joined);
        }
    }

    private void sendPublic(ChannelHandlerContext ctx, SendPublic send) {
        if (!textIsValid(ctx, send.requestId(), send.text())) {
            return;
        }
        List<Member<Channel>> recipients = relay.registry.othersThan(member.clientId());
        Channel sender = ctx.channel();
        if (recipients.isEmpty()) {
            sender.writeAndFlush(new Delivered(send.requestId()));
            return;
        }
        PublicMessage out = new PublicMessage(member.clientId(), member.nickname(), send.text());
        AtomicInteger remaining = new AtomicInteger(recipients.size());
        Runnable countDown = () -> {
            if (remaining.decrementAndGet() == 0) {
                sender.writeAndFlush(new Delivered(send.requestId()));
            }
        };
        for (Member<Channel> recipient : recipients) {
            Channel ch = recipient.session();
            if (ch.isWritable()) {
                ch.writeAndFlush(out).addListener(f -> countDown.run());
            } else {
                dropSlowReader(ch);
                countDown.run();
            }
        }
    }

    private void sendPrivate(ChannelHandlerContext ctx, SendPrivate send) {
        if (!textIsValid(ctx, send.requestId(), send.text())) {
            return;
        }
        Channel sender = ctx.channel();
        var recipient = relay.registry.byId(send.recipientId());
        if (recipient.isEmpty()) {
            sender.writeAndFlush(new ErrorReply(send.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + send.recipientId() + " is online"));
            return;
        }
        PrivateMessage out = new PrivateMessage(member.clientId(), member.nickname(), send.text());
        Channel to = recipient.get().session();
        if (!to.isWritable()) {
            dropSlowReader(to);
            sender.writeAndFlush(new ErrorReply(send.requestId(), ErrorCode.RECIPIENT_TOO_SLOW,
                    "client " + send.recipientId() + " reads too slowly and was disconnected"));
            return;
        }
        to.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            sender.writeAndFlush(f.isSuccess()
                    ? new Delivered(send.requestId())
                    : new ErrorReply(send.requestId(), ErrorCode.RECIPIENT_GONE,
                            "client " + send.recipientId() + " left before the message reached it"));
        });
    }

    /**
     * A recipient whose unsent bytes passed the high-water mark would make the relay buffer without
     * bound for it; it is disconnected (on its own event loop) so it cannot exhaust memory others need.
     */
    private static void dropSlowReader(Channel ch) {
        ch.pipeline().fireUserEventTriggered(TOO_SLOW);
    }

    private boolean textIsValid(ChannelHandlerContext ctx, long requestId, String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < Limits.TEXT_MIN_BYTES) {
            ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.EMPTY_MESSAGE, "the message is empty"));
            return false;
        }
        if (bytes > Limits.TEXT_MAX_BYTES) {
            ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.MESSAGE_TOO_LONG, "the message has " + bytes
                    + " bytes in UTF-8; the limit is " + Limits.TEXT_MAX_BYTES));
            return false;
        }
        return true;
    }

    /** Answers with an error over the encrypted channel, then closes the connection. */
    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String detail) {
        sendLastAndClose(ctx, new ErrorReply(0, code, clip(detail)));
    }

    private void closeWith(ChannelHandlerContext ctx, Bye bye) {
        sendLastAndClose(ctx, bye);
    }

    /**
     * Sends a last message and closes once it is written, or after {@link #LAST_MESSAGE_GRACE} if it
     * cannot be written (a peer that has stopped reading never drains it).
     */
    private void sendLastAndClose(ChannelHandlerContext ctx, Message last) {
        closing = true;
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LAST_MESSAGE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        if (member != null) {
            envelopes.left(member);
        }
        if (member != null && relay.registry.remove(member) && !relay.shuttingDown) {
            String words = switch (leaveReason) {
                case BYE -> "left";
                case DISCONNECTED -> "disconnected";
                case TIMED_OUT -> "timed out";
                case KICKED -> "too slow";
            };
            notify(() -> relay.options.listener().onClientLeft(member.clientId(), member.nickname(), words));
            Left left = new Left(member.clientId(), member.nickname(), leaveReason);
            for (Member<Channel> other : relay.registry.members()) {
                other.session().writeAndFlush(left);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed handshake, a framing error, a forged record or a dead socket: this connection ends,
        // no other is touched, and nothing is printed (the peer chose the bytes).
        ctx.close();
    }

    private static void notify(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException listenerBug) { // NOPMD: an operator's listener must not break a session
            // ignored, as RelayListener documents
        }
    }

    /** Shortens a detail to the wire's cap, at a character boundary. */
    static String clip(String detail) {
        String s = detail == null ? "" : detail;
        while (s.getBytes(StandardCharsets.UTF_8).length > Limits.INFO_FIELD_MAX_BYTES) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    ClientRegistry<Channel> registry() {
        return relay.registry;
    }
}
