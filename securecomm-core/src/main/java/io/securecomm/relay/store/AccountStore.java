package io.securecomm.relay.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Accounts: each canonical nickname is bound to one identity key, registered on first use and kept until its
 * owner or the operator releases it. The store compares keys byte for byte (in constant time) and never
 * interprets them; the caller passes the nickname in its canonical form (PROTOCOL.md), so two spellings of one
 * name are one account.
 *
 * <p>Releasing an account deletes, in the same durable step, its published pre-keys and every message queued
 * for it: whoever registers the nickname next never receives what was meant for the previous owner.
 *
 * <p>Stages fail with {@link StoreException} when the store cannot do the operation; a stage that changes data
 * completes only once the change is durable.
 */
public interface AccountStore {
    /**
     * Registers a nickname to a key, or confirms it is already that key's.
     *
     * @param nickname the canonical nickname
     * @param identityKey the caller's public identity key, as the handshake authenticated it
     * @return {@link Registration#REGISTERED} if it was free (now durably bound),
     *     {@link Registration#ALREADY_REGISTERED} if it is this key's, {@link Registration#TAKEN} if another key's
     * @throws IllegalArgumentException if the nickname or the key is empty
     */
    CompletionStage<Registration> register(String nickname, byte[] identityKey);

    /**
     * Looks an account up.
     *
     * @param nickname the canonical nickname
     * @return the account, or empty if the nickname is free
     * @throws IllegalArgumentException if the nickname is empty
     */
    CompletionStage<Optional<Account>> find(String nickname);

    /**
     * Releases an account at its owner's request: only the key it is bound to may release it.
     *
     * @param nickname the canonical nickname
     * @param identityKey the requester's public identity key
     * @return {@link Release#RELEASED} if it was the requester's and is now deleted (with its pre-keys and
     *     queued messages), otherwise why nothing changed
     * @throws IllegalArgumentException if the nickname or the key is empty
     */
    CompletionStage<Release> release(String nickname, byte[] identityKey);

    /**
     * Releases an account at the operator's request, whoever owns it: deletes it with its pre-keys and queued
     * messages.
     *
     * @param nickname the canonical nickname
     * @return {@code true} if an account was deleted, {@code false} if there was none
     * @throws IllegalArgumentException if the nickname is empty
     */
    CompletionStage<Boolean> releaseByOperator(String nickname);

    /**
     * Lists every account, ordered by nickname, Unicode code point by code point (for the operator).
     *
     * @return the accounts
     */
    CompletionStage<List<Account>> list();
}
