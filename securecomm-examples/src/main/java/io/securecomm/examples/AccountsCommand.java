package io.securecomm.examples;

import io.securecomm.crypto.Fingerprint;
import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreException;
import io.securecomm.wire.Nickname;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code securecomm server accounts list|remove NAME}: the operator's view of the relay's accounts, in its store. A
 * removed account's nickname is free for another identity key; its published pre-keys and stored messages are
 * deleted with it. Works while the relay runs (SQLite lets a second process write; it waits for the relay's writer).
 */
@Command(name = "accounts", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists or removes the relay's accounts (nickname bound to an identity key).",
        subcommands = {AccountsCommand.ListAccounts.class, AccountsCommand.RemoveAccount.class},
        footer = ExitCodes.FOOTER)
final class AccountsCommand {
    @ParentCommand
    ServerCommand server;

    /** What both subcommands share: the parent command, the common options, and the store they open. */
    abstract static class StoreSubcommand implements Callable<Integer> {
        @ParentCommand
        AccountsCommand accounts;

        @Mixin
        CommonOptions common;

        @Option(names = "--store", paramLabel = "PATH", description = "The relay's store (default: relay.db in the"
                + " home).")
        String store;

        Main main() {
            return accounts.server.main;
        }

        RelayStore openStore() {
            return RelayStores.open(store, Home.resolve(common.home, main().env));
        }
    }

    /** {@code accounts list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the accounts: nickname, identity key fingerprint, registration time.")
    static final class ListAccounts extends StoreSubcommand {
        @Override
        public Integer call() {
            Main main = main();
            try (RelayStore s = openStore()) {
                List<Account> all = await(s.accounts().list());
                for (Account a : all) {
                    main.out.println(a.nickname() + "  " + Fingerprint.of(a.identityKey())
                            .displayString() + "  registered " + a.registeredAt());
                }
                main.out.println(all.size() + (all.size() == 1 ? " account" : " accounts"));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code accounts remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Releases an account: the nickname is free for another identity key; its published"
                    + " pre-keys and stored messages are deleted.")
    static final class RemoveAccount extends StoreSubcommand {
        @Parameters(paramLabel = "NAME", description = "The account's nickname, in any letter case.")
        String name;

        @Override
        public Integer call() {
            Main main = main();
            String canonical = Nickname.canonical(name);
            try (RelayStore s = openStore()) {
                if (!await(s.accounts().releaseByOperator(canonical))) {
                    throw new CliFailure(ExitCodes.FAILURE, "no account '" + canonical + "' in the relay's store",
                            null);
                }
                main.out.println("removed the account '" + canonical + "' with its pre-keys and stored messages;"
                        + " the nickname is free (a running relay still refuses look-alikes of it until it"
                        + " restarts)");
                return ExitCodes.OK;
            }
        }
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            StoreException failure = StoreException.of(e).orElse(null);
            throw new CliFailure(ExitCodes.STORE_UNUSABLE, failure != null ? failure.getMessage()
                    : String.valueOf(e.getCause()), e);
        }
    }
}
