package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.noise.NoiseKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void theRelayKeyLivesInTheHomeFolderAndSurvivesARestart() throws Exception {
        // The file format, permissions and errors are RelayKeyFile's, tested in securecomm-core.
        Home home = Home.resolve(tmp.resolve("h"), Map.of());
        byte[] first;
        try (NoiseKeyPair k = home.loadOrCreateKey(Home.RELAY_KEY, w -> { })) {
            first = k.publicKey();
        }
        assertTrue(Files.exists(home.dir().resolve(Home.RELAY_KEY)));
        try (NoiseKeyPair k = home.loadOrCreateKey(Home.RELAY_KEY, w -> { })) {
            assertArrayEquals(first, k.publicKey());
        }
    }
}
