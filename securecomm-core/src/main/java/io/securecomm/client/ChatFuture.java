package io.securecomm.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The outcome of a {@link ChatClient} call: a {@link CompletableFuture} (so it composes with {@code thenAccept},
 * {@code thenCompose}, {@code whenComplete}, and is a {@link java.util.concurrent.CompletionStage}) that a program
 * can also simply wait for, getting the client's own checked exception back instead of an
 * {@link ExecutionException} to unwrap:
 *
 * <pre>{@code
 * try {
 *     alice.sendPrivate("bob", "hi").await();
 * } catch (UnknownRecipientException e) {
 *     System.out.println("bob is not online");
 * }
 * }</pre>
 *
 * <p>Failures: the future fails with a {@link ChatClientException} (one of its specific subclasses, each
 * documented on the method that returned the future), never with anything else unless the program's own dependent
 * stage throws. {@link #await()} throws that exception as it is.
 *
 * <p>Never waits forever: every future a client returns completes, at the latest when its deadline passes (the
 * options' request timeout, or the connect and handshake timeouts for {@link ChatClient#connect()}) or when the
 * session ends.
 *
 * <p>The one rule: do not wait for a client's future on that client's event thread, that is, inside one of its
 * {@link ChatListener} callbacks or in a dependent stage that runs there. That thread is the one that completes it,
 * so the wait could never end. {@link #await()}, {@link #get()}, {@link #get(long, TimeUnit)} and {@link #join()}
 * therefore throw {@link IllegalStateException} at once when called there on a future not yet done (dependent
 * futures made by {@code thenApply} and the like keep the rule). Inside a callback, chain instead
 * ({@code message.reply("...").whenComplete(...)}), or hand the waiting to another thread.
 *
 * <p>Thread-safe, as every {@link CompletableFuture}.
 *
 * @param <T> the value
 */
public class ChatFuture<T> extends CompletableFuture<T> {
    private final BooleanSupplier onCompletingThread;

    /** Creates a future that any thread may wait for (for tests, and for programs that make their own). */
    public ChatFuture() {
        this(() -> false);
    }

    /**
     * Creates a future completed by one thread, on which waiting for it fails fast. For implementations of
     * {@link ChatClient}; applications get their futures from the client.
     *
     * @param onCompletingThread tells whether the calling thread is the one that completes this future
     */
    public ChatFuture(BooleanSupplier onCompletingThread) {
        this.onCompletingThread = Objects.requireNonNull(onCompletingThread, "onCompletingThread");
    }

    /**
     * Waits for the outcome.
     *
     * @return the value
     * @throws ChatClientException the failure, as the method that returned this future documents it (its specific
     *     subclass: catch that, or this root)
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws CancellationException if the future was cancelled
     * @throws IllegalStateException if called on the client's event thread before the future is done (see the
     *     class documentation)
     */
    public T await() throws ChatClientException, InterruptedException {
        refuseToWaitOnCompletingThread("await()");
        try {
            return super.get();
        } catch (ExecutionException e) {
            throw unwrapped(e);
        }
    }

    /**
     * Waits for the outcome, at most this long.
     *
     * @param timeout the longest to wait
     * @return the value
     * @throws ChatClientException the failure, as for {@link #await()}
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws TimeoutException if the outcome did not come in time (the operation goes on)
     * @throws CancellationException if the future was cancelled
     * @throws IllegalStateException if called on the client's event thread before the future is done
     */
    public T await(Duration timeout) throws ChatClientException, InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        refuseToWaitOnCompletingThread("await(timeout)");
        try {
            return super.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrapped(e);
        }
    }

    /**
     * As {@link CompletableFuture#get()}, but fails fast on the client's event thread.
     *
     * @return the value
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws ExecutionException wrapping the failure
     * @throws IllegalStateException if called on the client's event thread before the future is done
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseToWaitOnCompletingThread("get()");
        return super.get();
    }

    /**
     * As {@link CompletableFuture#get(long, TimeUnit)}, but fails fast on the client's event thread.
     *
     * @param timeout the longest to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return the value
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws ExecutionException wrapping the failure
     * @throws TimeoutException if the outcome did not come in time
     * @throws IllegalStateException if called on the client's event thread before the future is done
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseToWaitOnCompletingThread("get(timeout)");
        return super.get(timeout, unit);
    }

    /**
     * As {@link CompletableFuture#join()}, but fails fast on the client's event thread.
     *
     * @return the value
     * @throws java.util.concurrent.CompletionException wrapping the failure
     * @throws IllegalStateException if called on the client's event thread before the future is done
     */
    @Override
    public T join() {
        refuseToWaitOnCompletingThread("join()");
        return super.join();
    }

    /**
     * Makes the futures of dependent stages: {@code ChatFuture}s with the same rule.
     *
     * @param <U> the dependent stage's value
     * @return a new incomplete future
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ChatFuture<>(onCompletingThread);
    }

    private void refuseToWaitOnCompletingThread(String call) {
        if (!isDone() && onCompletingThread.getAsBoolean()) {
            throw new IllegalStateException(call + " on a ChatClient's future inside one of its callbacks would wait"
                    + " forever: the client's event thread (" + Thread.currentThread().getName() + "), which runs the"
                    + " callbacks, is the thread that completes it. Chain instead (thenAccept, whenComplete), or wait"
                    + " on another thread");
        }
    }

    private static ChatClientException unwrapped(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ChatClientException c) {
            return c;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new ChatClientException(String.valueOf(cause), cause);
    }
}
