package io.securecomm.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayTrustStoreTest {
    private static final byte[] KEY_A = key(1);
    private static final byte[] KEY_B = key(2);

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void aKnownKeyIsTheOnlyKeyAcceptedEvenTheFirstTime() throws Exception {
        RelayTrustStore store = RelayTrustStore.knownKey(KEY_A);
        RelayIdentityMismatchException e =
                assertThrows(RelayIdentityMismatchException.class, () -> store.verify("h:1", KEY_B));
        assertArrayEquals(KEY_A, e.pinnedKey());
        assertArrayEquals(KEY_B, e.presentedKey());
        assertEquals(RelayKeyDecision.MATCHES_PIN, store.verify("h:1", KEY_A));
        assertEquals(RelayKeyDecision.MATCHES_PIN, store.verify("other:2", KEY_A));
        assertThrows(IllegalArgumentException.class, () -> RelayTrustStore.knownKey(new byte[31]));
    }

    @Test
    void inMemoryFirstUseMatchMismatch() throws Exception {
        RelayTrustStore store = RelayTrustStore.trustOnFirstUseInMemory();
        assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, store.verify("h:1", KEY_A));
        assertEquals(RelayKeyDecision.MATCHES_PIN, store.verify("h:1", KEY_A));
        RelayIdentityMismatchException e =
                assertThrows(RelayIdentityMismatchException.class, () -> store.verify("h:1", KEY_B));
        assertArrayEquals(KEY_A, e.pinnedKey());
        assertArrayEquals(KEY_B, e.presentedKey());
        assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, store.verify("h:2", KEY_B), "pins are per address");
    }

    @Test
    void fileFirstUseMatchMismatchSurviveANewStore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("home").resolve("known_relays");
        assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, RelayTrustStore.knownRelaysFile(file).verify("h:1", KEY_A));
        assertTrue(Files.exists(file));
        RelayTrustStore again = RelayTrustStore.knownRelaysFile(file);
        assertEquals(RelayKeyDecision.MATCHES_PIN, again.verify("h:1", KEY_A));
        RelayIdentityMismatchException e =
                assertThrows(RelayIdentityMismatchException.class, () -> again.verify("h:1", KEY_B));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.pinSource().endsWith("line 1"), e.pinSource());
        assertEquals("h:1", e.relay());
        assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, again.verify("h:2", KEY_B));
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void removingTheLineAcceptsTheNewKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("known_relays");
        RelayTrustStore store = RelayTrustStore.knownRelaysFile(file);
        store.verify("h:1", KEY_A);
        Files.writeString(file, "# edited by hand\n");
        assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, store.verify("h:1", KEY_B));
        assertEquals(RelayKeyDecision.MATCHES_PIN, store.verify("h:1", KEY_B));
    }

    @Test
    void fileAndFolderAreOwnerOnly(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        Path file = home.resolve("known_relays");
        RelayTrustStore.knownRelaysFile(file).verify("h:1", KEY_A);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        }
    }

    @Test
    void corruptLineIsReportedWithItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("known_relays");
        Files.writeString(file, "# c\nh:1 not-hex\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> RelayTrustStore.knownRelaysFile(file).verify("h:1", KEY_A));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void addressWithSpacesIsRejected(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> RelayTrustStore.knownRelaysFile(dir.resolve("k")).verify("a b", KEY_A));
    }
}
