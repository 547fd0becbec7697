package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatListener;
import io.securecomm.client.NotConnectedException;
import io.securecomm.internal.client.ClientAction;
import io.securecomm.internal.client.ClientAction.Close;
import io.securecomm.internal.client.ClientAction.Complete;
import io.securecomm.internal.client.ClientAction.Fail;
import io.securecomm.internal.client.ClientAction.Notify;
import io.securecomm.internal.client.ClientAction.Send;
import io.securecomm.internal.client.ClientAction.SendLast;
import io.securecomm.internal.client.ClientSession;
import io.securecomm.internal.client.Unreachable;
import io.securecomm.wire.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Netty adapter of a client's {@link ClientSession}, at the top of its pipeline: it hands the session the
 * transport's events (up, authenticated, each message, a failure, the end) and the application's commands, carries
 * out the session's {@link ClientAction}s in order, and runs its one timer. It decides nothing.
 *
 * <p>Threads: the handler is added to the pipeline with the client's own thread as its executor
 * ({@code securecomm-client-events-N}), so Netty hands it every inbound event there, in order, and the session, the
 * end-to-end work, the listener's callbacks and the completions of the application's futures all run on that one
 * thread, off the socket's event loop. The application's calls come in through {@link #submit}. Once the channel is
 * gone, the handler stops both of the client's threads.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    /**
     * The longest the timer waits before it reads the clock again: while a deadline is set, an injected clock that
     * moves (a test's) is followed this closely, as the old expiry timer did.
     */
    static final Duration MAX_TIMER_DELAY = Duration.ofMillis(250);

    private final ClientSession session;
    private final ChatListener listener;
    private final EventLoop thread;
    private final DeadlineTimer timer;
    private final InboundWindow window = new InboundWindow();
    private ChannelHandlerContext ctx;
    private boolean active;
    private boolean removed;
    private volatile Channel channel;
    private volatile Runnable releaseIo = () -> { };
    private volatile boolean connected;
    private volatile ChatClientException ended;
    private boolean released;

    /**
     * Creates the adapter of one client.
     *
     * @param session the client's session; from now on touched only on {@code thread}
     * @param listener the application's listener
     * @param thread the client's own thread
     * @param clock the session's clock, to turn its deadlines into delays
     */
    ClientHandler(ClientSession session, ChatListener listener, EventLoop thread, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = Objects.requireNonNull(thread, "thread");
        this.timer = new DeadlineTimer(thread, clock, MAX_TIMER_DELAY, this::timeout);
    }

    /** The handler just below this one that bounds what waits for the client's thread. */
    InboundWindow inboundWindow() {
        return window;
    }

    /** The client's own thread, which the pipeline gives this handler as its executor. */
    EventLoop thread() {
        return thread;
    }

    /**
     * The channel the client connects on, and how to stop its I/O threads once the channel is gone.
     *
     * @param ch the channel
     * @param stopIo stops the channel's event loop group
     */
    void attach(Channel ch, Runnable stopIo) {
        channel = ch;
        releaseIo = stopIo;
    }

    /**
     * Runs a command on the client's thread, then carries out what it caused. If the client's threads are already
     * gone, {@code orFail} fails with why the session ended.
     *
     * @param command the command
     * @param orFail the application's future, or {@code null}
     */
    void submit(Consumer<ClientSession> command, CompletableFuture<?> orFail) {
        try {
            thread.execute(() -> {
                try {
                    command.accept(session);
                } catch (RuntimeException misuse) {
                    // connect() racing close(): the session refuses; the application's future says so
                    if (orFail != null) {
                        orFail.completeExceptionally(misuse);
                    }
                }
                run();
            });
        } catch (RejectedExecutionException gone) {
            if (orFail != null) {
                ChatClientException cause = ended;
                orFail.completeExceptionally(cause != null ? cause
                        : new NotConnectedException("the client was closed"));
            }
        }
    }

    /** As {@link #submit}, then stops the client's threads: the channel that would have stopped them never came. */
    void submitThenRelease(Consumer<ClientSession> command) {
        submit(command.andThen(s -> release()), null);
    }

    /**
     * The connection could not be made. Netty may already have removed this handler from the channel it never
     * opened; then the threads stop here, once the session has heard why.
     *
     * @param why the failure, classified
     * @param cause the transport's exception
     */
    void connectFailed(Unreachable why, Throwable cause) {
        submit(session -> {
            session.handleUnreachable(why, cause);
            if (removed || ctx == null) {
                release();
            }
        }, null);
    }

    boolean isConnected() {
        return connected;
    }

    boolean inClientThread() {
        return thread.inEventLoop();
    }

    // ---------------------------------------------------------------- the transport's events, on the client thread

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        active = true;
        session.handleConnected();
        run();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RelayAuthenticated relay) {
            session.handleEstablished(relay.relayKey(), relay.trust());
            run();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The codec below hands up decoded values only (a Message or a Malformed), never a buffer to release.
        try {
            if (msg instanceof Message message) {
                session.handleMessage(message);
            } else if (msg instanceof MessageCodecHandler.Malformed malformed) {
                session.handleMalformed(malformed.cause());
            }
            run();
        } finally {
            window.processed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.handleTransportError(cause);
        run();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.handleTransportClosed();
        run();
        super.channelInactive(ctx);
    }

    /**
     * The last thing Netty does with this handler: the channel is gone, and so are the client's threads; unless the
     * channel never opened, and the session has yet to hear why ({@link #connectFailed}).
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        if (active || session.isEnded()) {
            session.handleTransportClosed();
            run();
            release();
        }
    }

    // ---------------------------------------------------------------- the session's actions

    /** Carries out every action the session has, then sets the timer to its next deadline. */
    private void run() {
        connected = session.isConnected();
        for (ClientAction action; (action = session.poll()) != null; ) {
            carryOut(action);
        }
        if (session.isEnded()) {
            ended = session.endCause().orElse(null);
            connected = false;
        }
        if (!released) {
            timer.arm(session.pollTimeout());
        }
    }

    private void carryOut(ClientAction action) {
        Channel ch = ctx != null ? ctx.channel() : channel;
        if (action instanceof Send send && ch != null) {
            ch.writeAndFlush(send.message()); // a failed write ends in channelInactive, which the session hears
        } else if (action instanceof SendLast last && ch != null) {
            ch.writeAndFlush(last.message()).addListener(ChannelFutureListener.CLOSE);
        } else if (action instanceof Close && ch != null) {
            ch.close();
        } else if (action instanceof Notify notify) {
            try {
                notify.event().tell(listener);
            } catch (RuntimeException listenerBug) {
                // ignored, as ChatListener documents: an application's listener must not break the session
            }
        } else if (action instanceof Complete<?> complete) {
            complete.run();
        } else if (action instanceof Fail fail) {
            fail.future().completeExceptionally(fail.cause());
        }
    }

    private void timeout(Instant now) {
        if (session.pollTimeout().filter(t -> !t.isAfter(now)).isPresent()) {
            session.handleTimeout(now);
        }
        run();
    }

    /** Stops the client's threads, once; what is queued on the client's thread still runs. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        timer.cancel();
        releaseIo.run();
        thread.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
