package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.relay.store.sqlite.SqliteRelayStore;
import io.securecomm.relay.store.sqlite.SqliteStoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's store on the command line (#16): a file it cannot open, and the operator's account commands. */
@Timeout(60)
class RelayStoreCommandTest {
    @TempDir
    Path home;

    @Test
    void aCorruptStoreIsOneLineAndItsOwnExitCodeAndTheFileIsLeftAlone() throws Exception {
        Path db = home.resolve(RelayStores.DEFAULT_FILE);
        byte[] garbage = "this is not a database, it is a text file that happens to be here\n".repeat(100)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(db, garbage);
        Cli r = Cli.run("", home, "server", "0", "--bind", "127.0.0.1");
        assertEquals(ExitCodes.STORE_UNUSABLE, r.exitCode, r::toString);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        assertTrue(r.err.contains(db.toString()), r::toString);
        assertTrue(Arrays.equals(garbage, Files.readAllBytes(db)), "never started empty over it");
        Cli other = Cli.run("", home, "server", "accounts", "list", "--store", db.toString());
        assertEquals(ExitCodes.STORE_UNUSABLE, other.exitCode, other::toString);
    }

    @Test
    void aStoreLockedByAnotherProcessIsOneLineAndItsOwnExitCode() throws Exception {
        Path db = home.resolve(RelayStores.DEFAULT_FILE);
        SqliteRelayStore.open(db, SqliteStoreOptions.defaults()).close();
        // Another program holds the write lock (here another connection; to SQLite there is no difference).
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            Cli r = Cli.run("", home, "server", "0", "--bind", "127.0.0.1");
            assertEquals(ExitCodes.STORE_UNUSABLE, r.exitCode, r::toString);
            assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
            assertTrue(r.err.contains(db.toString()) && r.err.contains("lock"), r::toString);
            s.execute("ROLLBACK");
        }
    }

    @Test
    void theOperatorListsAndRemovesAccounts() throws Exception {
        Path db = home.resolve(RelayStores.DEFAULT_FILE);
        try (var store = SqliteRelayStore.open(db,
                SqliteStoreOptions.defaults())) {
            store.accounts().register("bob", new byte[32]).toCompletableFuture().join();
        }
        Cli list = Cli.run("", home, "server", "accounts", "list");
        assertEquals(0, list.exitCode, list::toString);
        assertTrue(list.out.contains("bob  ") && list.out.contains("1 account"), list::toString);
        Cli remove = Cli.run("", home, "server", "accounts", "remove", "BOB");
        assertEquals(0, remove.exitCode, remove::toString);
        assertTrue(remove.out.contains("removed the account 'bob'"), remove::toString);
        Cli again = Cli.run("", home, "server", "accounts", "remove", "bob");
        assertEquals(ExitCodes.FAILURE, again.exitCode, again::toString);
        assertTrue(again.err.contains("no account 'bob'"), again::toString);
    }
}
