package io.securecomm.examples;

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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeTest {
    @TempDir
    Path tmp;

    @Test
    void flagBeatsEnvironmentBeatsDefault() {
        Path flag = tmp.resolve("flag");
        assertEquals(flag, Home.resolve(flag, Map.of(Home.ENV_VAR, "/elsewhere")).dir());
        assertEquals(Path.of("/elsewhere"), Home.resolve(null, Map.of(Home.ENV_VAR, "/elsewhere")).dir());
        assertEquals(Path.of(System.getProperty("user.home"), ".securecomm"), Home.resolve(null, Map.of()).dir());
    }

    @Test
    void keyIsCreatedOwnerOnlyOnFirstUseAndReloaded() throws Exception {
        Home home = Home.resolve(tmp.resolve("h"), Map.of());
        List<String> warnings = new ArrayList<>();
        byte[] first;
        try (NoiseKeyPair k = home.loadOrCreateKey(Home.CLIENT_KEY, warnings::add)) {
            first = k.publicKey();
        }
        Path file = home.dir().resolve(Home.CLIENT_KEY);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.dir())));
        }
        try (NoiseKeyPair k = home.loadOrCreateKey(Home.CLIENT_KEY, warnings::add)) {
            assertArrayEquals(first, k.publicKey());
        }
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void readableByOthersWarns() throws Exception {
        Home home = Home.resolve(tmp.resolve("h"), Map.of());
        home.loadOrCreateKey(Home.RELAY_KEY, w -> { }).close();
        Path file = home.dir().resolve(Home.RELAY_KEY);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> warnings = new ArrayList<>();
            home.loadOrCreateKey(Home.RELAY_KEY, warnings::add).close();
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("chmod 600"), warnings::toString);
        }
    }

    @Test
    void corruptKeyFileIsAClearError() throws Exception {
        Home home = Home.resolve(tmp.resolve("h"), Map.of());
        Files.createDirectories(home.dir());
        Files.writeString(home.dir().resolve(Home.CLIENT_KEY), "not a key\n");
        IOException e = assertThrows(IOException.class, () -> home.loadOrCreateKey(Home.CLIENT_KEY, w -> { }));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
    }
}
