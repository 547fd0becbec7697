package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultEventLoop;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a client's {@link ClientSession} on the client's own thread ({@code securecomm-client-events-N}): the
 * application's commands come in through {@link #submit}, the transport's events through {@link ClientHandler}, and
 * after each the driver carries out the session's {@link ClientAction}s in order and sets its one timer. It decides
 * nothing. Once the channel is gone it stops both of the client's threads ({@link #release}).
 *
 * <p>Threads: everything but {@link #submit}, {@link #isConnected} and {@link #inClientThread} runs on the client's
 * thread.
 */
final class ClientDriver {
    /**
     * The longest the timer waits before it reads the clock again: while a deadline is set, an injected clock that
     * moves (a test's) is followed this closely, as the old expiry timer did.
     */
    static final Duration MAX_TIMER_DELAY = Duration.ofMillis(250);
    private static final AtomicInteger CLIENT_NUMBER = new AtomicInteger();

    private final ClientSession session;
    private final ChatListener listener;
    private final EventLoop thread;
    private final DeadlineTimer timer;
    private volatile Channel channel;
    private volatile Runnable releaseIo = () -> { };
    private volatile boolean connected;
    private volatile ChatClientException ended;
    private boolean released;

    /**
     * Creates the driver of one client, with the client's own thread.
     *
     * @param session the client's session; from now on touched only on the client's thread
     * @param listener the application's listener
     * @param clock the session's clock, to turn its deadlines into delays
     */
    ClientDriver(ClientSession session, ChatListener listener, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.listener = Objects.requireNonNull(listener, "listener");
        int n = CLIENT_NUMBER.incrementAndGet();
        this.thread = new DefaultEventLoop(r -> {
            Thread t = new Thread(r, "securecomm-client-events-" + n);
            t.setDaemon(true);
            return t;
        });
        this.timer = new DeadlineTimer(thread, clock, MAX_TIMER_DELAY, this::timeout);
    }

    /** The client's own thread, which the pipeline gives the client's handler as its executor. */
    EventLoop thread() {
        return thread;
    }

    /** The session, for the handler's calls on the client's thread. */
    ClientSession session() {
        return session;
    }

    /**
     * The channel the client connects on, and how to stop its I/O threads once the channel is gone.
     *
     * @param ch the channel, or {@code null} if the first attempt has yet to make it
     * @param stopIo stops the channel's event loop group
     */
    void attach(Channel ch, Runnable stopIo) {
        channel = ch;
        releaseIo = stopIo;
    }

    /**
     * The channel of the connect's next attempt (another node of the relay), on the I/O thread already attached.
     *
     * @param ch the channel
     */
    void attach(Channel ch) {
        channel = ch;
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

    /** The handler joined the channel's pipeline: actions go to that channel. */
    void channelReady(Channel ch) {
        channel = ch;
    }

    /** As {@link #submit}, then stops the client's threads: the channel that would have stopped them never came. */
    void submitThenRelease(Consumer<ClientSession> command) {
        submit(command.andThen(s -> release()), null);
    }

    boolean isConnected() {
        return connected;
    }

    boolean inClientThread() {
        return thread.inEventLoop();
    }

    /** Carries out every action the session has, then sets the timer to its next deadline. */
    void run() {
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

    /** Stops the client's threads, once; what is queued on the client's thread still runs. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        timer.cancel();
        releaseIo.run();
        thread.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    private void carryOut(ClientAction action) {
        Channel ch = channel;
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
}
