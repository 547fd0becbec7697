package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.noise.NoiseKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayKeyFileTest {
    @TempDir
    Path tmp;

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void theKeyIsCreatedOwnerOnlyWithItsFolderOnFirstUseAndReloadedAfter() throws Exception {
        Path file = tmp.resolve("new-folder").resolve("relay.key");
        List<String> warnings = new ArrayList<>();
        byte[] first;
        try (NoiseKeyPair k = RelayKeyFile.loadOrCreate(file, warnings::add)) {
            first = k.publicKey();
        }
        if (posix(file)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
        try (NoiseKeyPair k = RelayKeyFile.loadOrCreate(file, warnings::add)) {
            assertArrayEquals(first, k.publicKey(), "the same key after a restart");
        }
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void aFileReadableByOthersIsUsedWithAWarning() throws Exception {
        Path file = tmp.resolve("relay.key");
        RelayKeyFile.loadOrCreate(file, w -> { }).close();
        if (posix(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> warnings = new ArrayList<>();
            RelayKeyFile.loadOrCreate(file, warnings::add).close();
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("chmod 600 " + file), warnings::toString);
        }
    }

    @Test
    void aCorruptFileIsAClearErrorAndIsNotReplaced() throws Exception {
        Path file = tmp.resolve("relay.key");
        for (String content : List.of("not a key\n", "# only a comment\n", "abcd\n")) {
            Files.writeString(file, content);
            IOException e = assertThrows(IOException.class, () -> RelayKeyFile.loadOrCreate(file, w -> { }));
            assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
            assertEquals(content, Files.readString(file), "the operator's file is left alone");
        }
    }
}
