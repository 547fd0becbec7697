package io.securecomm.internal.relay;

import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.Release;
import io.securecomm.relay.store.StoreException;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.ReleaseAccount;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The account of one session's client (docs/PROTOCOL.md 6.5, docs/STORE.md): at the hello, the nickname must be valid
 * and must not look like another registered account; then the store registers it to the client's key, or says that
 * another key holds it. A client of a variant without end-to-end keys (the INSECURE legacy suite) has no lasting key:
 * it may use only a nickname no account holds. Later the client may release its account.
 *
 * <p>Threads: confined to the session's connection thread; every store answer comes back through its executor.
 *
 * @param <C> the adapter's handle of a connection
 */
final class SessionAccount<C> {
    /** What the session does once the store has answered a hello that may go on. */
    interface Checked {
        /**
         * The nickname may be used.
         *
         * @param nickname the nickname as the client wrote it
         * @param newAccount whether the store registered it just now
         */
        void admit(String nickname, boolean newAccount);
    }

    private final RelayState<C> relay;
    private final SessionOutput<C> out;
    private final Executor thread;
    /** The client said AccountHello: it takes stored messages and understands the account messages. */
    private boolean takesStored;
    /** The canonical nickname of this client's account, once the hello was admitted. */
    private String account;
    /** The store is checking the account; the client is not admitted yet. */
    private boolean checking;

    SessionAccount(RelayState<C> relay, SessionOutput<C> out, Executor thread) {
        this.relay = relay;
        this.out = out;
        this.thread = thread;
    }

    /** The client said AccountHello: it takes stored messages and understands the account messages. */
    boolean takesStored() {
        return takesStored;
    }

    /** The canonical nickname of this client's account, or {@code null} if it has none (or released it). */
    String account() {
        return account;
    }

    /** The store is checking the hello's nickname. */
    boolean checking() {
        return checking;
    }

    /**
     * The first step of a hello: refuses a relay shutting down, an invalid or look-alike nickname at once; otherwise
     * asks the store and, if the nickname may be used, calls {@code then} on the session's thread.
     *
     * @param identityKey the client's static public key
     * @param withoutPreKeys whether the connection's variant has no end-to-end keys (so no lasting identity)
     */
    void check(String nickname, boolean accountHello, byte[] identityKey, boolean withoutPreKeys, Checked then) {
        if (relay.isShuttingDown()) {
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.SHUTTING_DOWN);
            out.closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SessionOutput.SHUTTING_DOWN));
            return;
        }
        String problem = Nicknames.problem(nickname);
        if (problem != null) {
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.INVALID_NICKNAME);
            out.refuse(ErrorCode.INVALID_NICKNAME, problem);
            return;
        }
        takesStored = accountHello;
        String canonical = Nickname.canonical(nickname);
        Optional<String> lookAlike = relay.accountNames().lookAlike(canonical);
        if (lookAlike.isPresent()) {
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.NICKNAME_TAKEN);
            out.refuse(ErrorCode.NICKNAME_TAKEN, "the nickname '" + nickname + "' looks like '" + lookAlike.get()
                    + "', a nickname registered on this relay; the relay refuses look-alike nicknames (PROTOCOL.md"
                    + " 8.2)");
            return;
        }
        checking = true;
        CompletionStage<Registration> registration = withoutPreKeys
                ? relay.store().accounts().find(canonical).thenApply(a -> a.isPresent() ? Registration.TAKEN : null)
                : relay.store().accounts().register(canonical, identityKey);
        registration.whenComplete((result, error) -> thread.execute(() -> checked(nickname, canonical, result, error,
                then)));
    }

    private void checked(String nickname, String canonical, Registration registration, Throwable error,
            Checked then) {
        checking = false;
        if (out.closing()) {
            return;
        }
        if (error != null) {
            out.refuse(ErrorCode.INTERNAL_ERROR, "the relay could not check the account of '" + nickname + "' in its"
                    + " store (" + StoreException.of(error).map(Throwable::getMessage).orElse(String.valueOf(error))
                    + "); try again later");
            return;
        }
        if (registration == Registration.TAKEN) {
            // An older client knows only NICKNAME_TAKEN; the detail says which case it is.
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.NICKNAME_TAKEN);
            out.refuse(takesStored ? ErrorCode.NICKNAME_REGISTERED : ErrorCode.NICKNAME_TAKEN, "the nickname '"
                    + nickname + "' is registered on this relay to another identity key; only that key may use it"
                    + " until its holder or the relay's operator releases it");
            return;
        }
        if (registration == Registration.REGISTERED) {
            relay.accountNames().registered(canonical);
        }
        account = registration == null ? null : canonical;
        then.admit(nickname, registration == Registration.REGISTERED);
    }

    /** The client was refused after all (a full relay): an account registered for it just now is not kept. */
    void unregister() {
        relay.store().accounts().releaseByOperator(account);
        relay.accountNames().released(account);
    }

    /** The client releases its account; a client without one is simply told it is done. */
    void release(ReleaseAccount request, byte[] identityKey) {
        if (account == null) {
            out.send(new Delivered(request.requestId()));
            return;
        }
        String released = account;
        relay.store().accounts().release(released, identityKey).whenComplete((result, error) ->
                thread.execute(() -> {
                    if (error != null) {
                        out.send(new ErrorReply(request.requestId(), ErrorCode.NOT_STORED, SessionOutput.clip(
                                "the relay could not release the account '" + released + "' in its store; try again"
                                        + " later")));
                    } else if (result == Release.NOT_YOURS) {
                        out.send(new ErrorReply(request.requestId(), ErrorCode.NICKNAME_REGISTERED, SessionOutput.clip(
                                "the account '" + released + "' is registered to another identity key now")));
                    } else {
                        relay.accountNames().released(released);
                        if (account != null && account.equals(released)) {
                            account = null;
                        }
                        out.send(new Delivered(request.requestId()));
                    }
                }));
    }
}
