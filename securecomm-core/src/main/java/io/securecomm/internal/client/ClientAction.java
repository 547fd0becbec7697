package io.securecomm.internal.client;

import io.securecomm.wire.Message;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link ClientSession} asks its adapter to do, one at a time from {@link ClientSession#poll()}, in order:
 * messages for the relay, the end of the connection, listener calls, and the outcomes of the application's futures.
 * Carrying them out in order is what keeps the client's promise that events and completions come in the order the
 * relay sent what caused them.
 */
public sealed interface ClientAction {

    /**
     * Writes a message to the relay.
     *
     * @param message the message
     */
    record Send(Message message) implements ClientAction {
        /**
         * Checks the message.
         *
         * @param message the message
         */
        public Send {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Writes a last message to the relay (the goodbye), then closes the connection once it is written, or at once
     * if the write fails.
     *
     * @param message the last message
     */
    record SendLast(Message message) implements ClientAction {
        /**
         * Checks the message.
         *
         * @param message the last message
         */
        public SendLast {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Closes the connection now (or gives up connecting); the adapter then reports the end of the transport. */
    record Close() implements ClientAction {}

    /**
     * Calls the application's listener; an exception it throws is ignored, as {@code ChatListener} documents.
     *
     * @param event the call
     */
    record Notify(ClientEvent event) implements ClientAction {
        /**
         * Checks the event.
         *
         * @param event the call
         */
        public Notify {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * Completes one of the application's futures with a value.
     *
     * @param future the future an API call returned
     * @param value its value
     * @param <T> the value's type
     */
    record Complete<T>(CompletableFuture<T> future, T value) implements ClientAction {
        /**
         * Checks the future.
         *
         * @param future the future
         * @param value its value, {@code null} for a {@code Void} future
         */
        public Complete {
            Objects.requireNonNull(future, "future");
        }

        /** Completes the future. */
        public void run() {
            future.complete(value);
        }
    }

    /**
     * Fails one of the application's futures.
     *
     * @param future the future an API call returned
     * @param cause why
     */
    record Fail(CompletableFuture<?> future, Throwable cause) implements ClientAction {
        /**
         * Checks the components.
         *
         * @param future the future
         * @param cause why
         */
        public Fail {
            Objects.requireNonNull(future, "future");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
