package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.relay.ClientRegistry;
import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.relay.DepartureReason;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
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
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay's logic for one connection, above the message codec: admits the client on its
 * {@link ClientHello}, answers list requests, serves pre-keys ({@link RelayPreKeys}), forwards end-to-end
 * envelopes (and, for the INSECURE legacy suite's clients, plaintext public and private messages), and
 * announces joins and departures. It never decrypts an envelope: it holds no key that could.
 *
 * <p>Delivery (docs/PROTOCOL.md, "Delivery guarantee"): a message is written to each recipient's channel from
 * this (the sender's) event loop, so Netty queues one sender's messages to a recipient in the order they were
 * sent. {@link Delivered} goes back once every write has completed. If a write failed because the relay
 * disconnected the recipient as too slow, or is shutting down, the sender gets an {@link ErrorReply} with
 * {@code RECIPIENT_TOO_SLOW} or {@code SHUTTING_DOWN} instead; a message to one client whose recipient left gets
 * {@code RECIPIENT_GONE}, while a message to the room simply does not count a recipient that left on its own (it is
 * no longer online). A recipient whose outbound queue is full is not written to at all.
 *
 * <p>Ending a session: the policy handlers below this one (keep-alive, rate limit, back-pressure) fire a
 * {@link Disconnect}; this handler removes the client, announces its departure, says {@code Bye} and closes.
 * On shutdown it first waits for the replies to this client's accepted messages, then says {@code Bye}.
 *
 * <p>Failure isolation: a malformed message, a protocol violation or a dead socket ends this connection
 * only; the error is answered over the encrypted channel first when one exists. Not sharable.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    /** The user event that tells every connection the relay is shutting down. */
    static final Object SHUTDOWN = new Object() {
        @Override
        public String toString() {
            return "SHUTDOWN";
        }
    };

    /** Set on a channel that speaks the INSECURE legacy suite, for the relay's other handlers to see. */
    static final AttributeKey<Boolean> INSECURE_LEGACY = AttributeKey.valueOf("securecomm.relay.insecureLegacy");

    /** Why the relay ended a channel's session, for the senders whose messages to it then fail. */
    static final AttributeKey<ByeReason> END_REASON = AttributeKey.valueOf("securecomm.relay.endReason");

    /**
     * How long a last message (a goodbye, a refusal) may take to be written before the connection is cut: a
     * client that does not read would otherwise keep its queue, and its place, for ever.
     */
    static final java.time.Duration LAST_MESSAGE_GRACE = java.time.Duration.ofSeconds(1);

    /**
     * What follows a goodbye that ends a session for a policy reason: a half-close once it is written (see
     * {@link #endSession}), or a close if the write failed or the transport cannot half-close.
     */
    private static final ChannelFutureListener HALF_CLOSE = f -> {
        if (f.isSuccess() && f.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            f.channel().close();
        }
    };

    /**
     * The user event that tells a connection its client reads too slowly to keep up and must go; the same as a
     * {@link Disconnect} with {@link ByeReason#TOO_SLOW}.
     */
    static final Object TOO_SLOW = new Object() {
        @Override
        public String toString() {
            return "TOO_SLOW";
        }
    };

    private final RelayContext relay;
    private int inFlight;
    private boolean byeAfterInFlight;
    private final RelayPreKeys preKeys;
    private byte[] identityKey;
    /** Whether this connection speaks the INSECURE legacy suite, the only one that may send plaintext chat. */
    private boolean insecureLegacy;
    private Member<Channel> member;
    private LeaveReason leaveReason = LeaveReason.DISCONNECTED;
    private ScheduledFuture<?> helloDeadline;
    private boolean closing;

    RelayHandler(RelayContext relay) {
        this.relay = relay;
        this.preKeys = new RelayPreKeys(relay);
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
            insecureLegacy = established.insecureLegacy();
            ctx.channel().attr(INSECURE_LEGACY).set(insecureLegacy);
        } else if (evt == SHUTDOWN) {
            if (closing) {
                return; // already saying goodbye for another reason
            } else if (identityKey == null) {
                ctx.close();
            } else if (inFlight == 0) {
                closeWith(ctx, new Bye(ByeReason.SERVER_SHUTDOWN, "the relay is shutting down"));
            } else {
                // Replies to accepted messages are still to come: they go out first, then the goodbye.
                byeAfterInFlight = true;
            }
        } else if (evt instanceof Disconnect disconnect) {
            endSession(ctx, disconnect);
        } else if (evt == TOO_SLOW) {
            endSession(ctx, tooSlow());
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
        OptionalLong newWork = newWorkRequestId(message);
        if (relay.shuttingDown && newWork.isPresent()) {
            ctx.writeAndFlush(new ErrorReply(newWork.getAsLong(), ErrorCode.SHUTTING_DOWN,
                    "the relay is shutting down and accepts no new messages"));
        } else if (preKeys.handle(ctx, member, identityKey, message)) {
            return;
        } else if (message instanceof SendRoomEnvelope send) {
            byte[] ciphertext = send.ciphertext();
            forwarded(true, ciphertext.length);
            // One ciphertext for the members the sender knows of (so holds a key for): encrypted once, fanned out.
            toMany(ctx, send.requestId(), new RoomEnvelope(member.clientId(), ciphertext), listed(send.recipientIds()));
        } else if (message instanceof SendEnvelope send) {
            byte[] ciphertext = send.ciphertext();
            forwarded(false, ciphertext.length);
            toOne(ctx, send.requestId(), send.recipientId(), new Envelope(member.clientId(), ciphertext));
        } else if ((message instanceof SendPublic || message instanceof SendPrivate) && !insecureLegacy) {
            // Chat in plaintext would let this relay read it: only the legacy suite's toy clients may send it.
            refuse(ctx, ErrorCode.PROTOCOL_VIOLATION, message.type() + " is plaintext chat, which this relay accepts"
                    + " only from INSECURE legacy-suite clients; send end-to-end envelopes (SendEnvelope,"
                    + " SendRoomEnvelope)");
        } else if (message instanceof SendPublic send) {
            if (textIsValid(ctx, send.requestId(), send.text())) {
                toMany(ctx, send.requestId(), new PublicMessage(member.clientId(), member.nickname(), send.text()),
                        relay.registry.othersThan(member.clientId()));
            }
        } else if (message instanceof SendPrivate send) {
            if (textIsValid(ctx, send.requestId(), send.text())) {
                toOne(ctx, send.requestId(), send.recipientId(),
                        new PrivateMessage(member.clientId(), member.nickname(), send.text()));
            }
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

    /**
     * The request id of a message that would start new work for the relay (a message to forward, pre-keys to
     * store, a bundle to hand out), which a relay that is shutting down refuses; empty for anything else.
     */
    private static OptionalLong newWorkRequestId(Message message) {
        long requestId = RequestIds.of(message);
        return requestId == 0 || message instanceof ListRequest ? OptionalLong.empty() : OptionalLong.of(requestId);
    }

    /**
     * The members a room envelope is for: those of the listed ids that are online now, never the sender. An id
     * that is not online is a member that left while the message was on its way: as for a public message, it
     * simply is no longer there to count.
     */
    private List<Member<Channel>> listed(int[] recipientIds) {
        List<Member<Channel>> out = new ArrayList<>(recipientIds.length);
        for (int id : recipientIds) {
            if (id != member.clientId()) {
                relay.registry.byId(id).ifPresent(out::add);
            }
        }
        return out;
    }

    private void forwarded(boolean toRoom, int bytes) {
        notify(() -> relay.options.listener().onEnvelopeForwarded(member.clientId(), toRoom, bytes));
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
        Joined joined = new Joined(new ClientInfo(member.clientId(), member.nickname(), identityKey));
        for (Member<Channel> other : relay.registry.othersThan(member.clientId())) {
            other.session().writeAndFlush(joined);
        }
    }

    /**
     * Forwards one message to several members and answers the sender once every write has completed: a public
     * message in the legacy suite (to every other member), or a room envelope (to the members its sender listed),
     * encoded once for all recipients.
     */
    private void toMany(ChannelHandlerContext ctx, long requestId, Message out, List<Member<Channel>> recipients) {
        if (recipients.isEmpty()) {
            ctx.writeAndFlush(new Delivered(requestId));
            return;
        }
        AtomicInteger remaining = new AtomicInteger(recipients.size());
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<ErrorCode> firstFailure = new AtomicReference<>();
        inFlight++;
        Runnable oneDone = () -> {
            if (remaining.decrementAndGet() == 0) {
                ErrorCode code = firstFailure.get();
                reply(ctx, code == null ? new Delivered(requestId)
                        : new ErrorReply(requestId, code, clip("not delivered to " + failed.get() + " of "
                                + recipients.size() + " recipients (" + describe(code) + ")")));
            }
        };
        for (Member<Channel> recipient : recipients) {
            Channel channel = recipient.session();
            if (channel.isActive() && !channel.isWritable()) {
                dropSlowReader(channel);
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, ErrorCode.RECIPIENT_TOO_SLOW);
                oneDone.run();
                continue;
            }
            channel.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
                ErrorCode failure = f.isSuccess() ? null : failureOf(channel);
                // A recipient that left on its own is no longer online: it simply misses a public message.
                if (failure != null && failure != ErrorCode.RECIPIENT_GONE) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, failure);
                }
                oneDone.run();
            });
        }
    }

    /**
     * Forwards one message to one member and answers the sender once the write has completed: a private
     * message in the legacy suite, or an end-to-end envelope.
     */
    private void toOne(ChannelHandlerContext ctx, long requestId, int recipientId, Message out) {
        var recipient = relay.registry.byId(recipientId);
        if (recipient.isEmpty()) {
            ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + recipientId + " is online"));
            return;
        }
        Channel channel = recipient.get().session();
        inFlight++;
        if (channel.isActive() && !channel.isWritable()) {
            dropSlowReader(channel);
            reply(ctx, new ErrorReply(requestId, ErrorCode.RECIPIENT_TOO_SLOW,
                    "client " + recipientId + " reads too slowly and was disconnected"));
            return;
        }
        channel.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                reply(ctx, new Delivered(requestId));
            } else {
                ErrorCode code = failureOf(channel);
                reply(ctx, new ErrorReply(requestId, code,
                        clip("client " + recipientId + " did not get the message (" + describe(code) + ")")));
            }
        });
    }

    /**
     * Sends the reply to an accepted message from this channel's own event loop (delivery completes on the
     * recipients' loops), and says the pending goodbye once the last reply is out.
     */
    private void reply(ChannelHandlerContext ctx, Message reply) {
        try {
            ctx.executor().execute(() -> {
                ctx.writeAndFlush(reply);
                inFlight--;
                if (byeAfterInFlight && inFlight == 0 && !closing) {
                    closeWith(ctx, new Bye(ByeReason.SERVER_SHUTDOWN, "the relay is shutting down"));
                }
            });
        } catch (RejectedExecutionException stopped) {
            // The relay's threads are stopping after its shutdown timeout: the sender's connection is being
            // closed, and its client treats every unanswered request as not delivered.
        }
    }

    /**
     * A recipient whose unsent bytes passed the high-water mark would make the relay buffer without bound for
     * it; it is disconnected (on its own event loop). {@link SlowReaderHandler} usually got there first, when
     * the mark was crossed; this covers a sender that sees the full queue before that event ran.
     */
    private static void dropSlowReader(Channel channel) {
        channel.pipeline().fireUserEventTriggered(TOO_SLOW);
    }

    private static Disconnect tooSlow() {
        return new Disconnect(ByeReason.TOO_SLOW, "you read too slowly to keep up with the relay's traffic;"
                + " your unread messages exceeded the relay's limit");
    }

    /** Why a write to a recipient failed, as the sender is told. */
    private ErrorCode failureOf(Channel recipient) {
        ByeReason reason = recipient.attr(END_REASON).get();
        if (reason == ByeReason.TOO_SLOW) {
            return ErrorCode.RECIPIENT_TOO_SLOW;
        }
        if (relay.shuttingDown || reason == ByeReason.SERVER_SHUTDOWN) {
            return ErrorCode.SHUTTING_DOWN;
        }
        return ErrorCode.RECIPIENT_GONE;
    }

    private static String describe(ErrorCode code) {
        return switch (code) {
            case RECIPIENT_TOO_SLOW -> "a recipient did not read fast enough";
            case SHUTTING_DOWN -> "the relay is shutting down";
            default -> "a recipient left before the message reached it";
        };
    }

    /**
     * Ends this session for a policy reason: stops routing to the client at once, announces its departure, says
     * goodbye, and closes when the client closes or {@link #LAST_MESSAGE_GRACE} has passed, whichever is first.
     */
    private void endSession(ChannelHandlerContext ctx, Disconnect disconnect) {
        if (closing) {
            return;
        }
        ctx.channel().attr(END_REASON).set(disconnect.reason());
        if (member != null && relay.registry.remove(member)) {
            LeaveReason reason = disconnect.reason() == ByeReason.IDLE_TIMEOUT ? LeaveReason.TIMED_OUT
                    : LeaveReason.KICKED;
            leaveReason = reason;
            DepartureReason why = switch (disconnect.reason()) {
                case TOO_SLOW -> DepartureReason.TOO_SLOW;
                case RATE_LIMITED -> DepartureReason.RATE_LIMITED;
                case IDLE_TIMEOUT -> DepartureReason.TIMED_OUT;
                default -> DepartureReason.DISCONNECTED;
            };
            Member<Channel> gone = member;
            notify(() -> relay.options.listener().onClientLeft(gone.clientId(), gone.nickname(), why));
            Left left = new Left(member.clientId(), member.nickname(), reason);
            for (Member<Channel> other : relay.registry.members()) {
                other.session().writeAndFlush(left);
            }
        }
        if (identityKey == null) {
            closing = true;
            ctx.close();
            return;
        }
        // A lingering close: say goodbye, then only half-close. Closing at once while the client is still
        // sending (a flooder always is) would make the kernel answer with a reset, and a reset can discard the
        // goodbye before the client reads it. What the client sends meanwhile is read and ignored.
        sendLast(ctx, new Bye(disconnect.reason(), clip(disconnect.detail())), HALF_CLOSE);
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
        sendLast(ctx, new ErrorReply(0, code, clip(detail)), ChannelFutureListener.CLOSE);
    }

    private void closeWith(ChannelHandlerContext ctx, Bye bye) {
        ctx.channel().attr(END_REASON).setIfAbsent(bye.reason());
        sendLast(ctx, bye, ChannelFutureListener.CLOSE);
    }

    /**
     * Sends a last message (a refusal, a goodbye) and ends the connection: {@code then} runs once the write has
     * completed, successfully or not, and the connection is closed after {@link #LAST_MESSAGE_GRACE} in any case,
     * since a peer that has stopped reading never drains the message. From here on the client is not listened to.
     */
    private void sendLast(ChannelHandlerContext ctx, Message last, ChannelFutureListener then) {
        closing = true;
        ctx.writeAndFlush(last).addListener(then);
        // A block lambda, so that schedule takes a Runnable, not a Callable of the close future.
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LAST_MESSAGE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        boolean removedNow = member != null && relay.registry.remove(member);
        if (member != null) {
            // After the removal: a bundle request that waited for this client is answered "gone", not "no keys".
            preKeys.left(member);
        }
        if (removedNow && !relay.shuttingDown) {
            // Only a goodbye or a lost connection come this way: a limit's departure was announced at once.
            DepartureReason why = leaveReason == LeaveReason.BYE ? DepartureReason.LEFT : DepartureReason.DISCONNECTED;
            notify(() -> relay.options.listener().onClientLeft(member.clientId(), member.nickname(), why));
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
