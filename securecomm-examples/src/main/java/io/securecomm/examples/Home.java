package io.securecomm.examples;

import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.RelayKeyFile;
import io.securecomm.wire.Nickname;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The securecomm home folder: the relay's identity key, each client nickname's end-to-end store and the
 * {@code known_relays} pins. Resolved from the {@code --home} flag, else the {@value #ENV_VAR} environment
 * variable, else {@code ~/.securecomm}. Created on first use; the folder and the key files are readable and writable
 * by their owner only (POSIX permissions {@code rwx------} and {@code rw-------}).
 */
final class Home {
    /** The environment variable that overrides the default home folder. */
    static final String ENV_VAR = "SECURECOMM_HOME";
    /** The relay's identity key file. */
    static final String RELAY_KEY = "relay.key";
    /** The relay pins. */
    static final String KNOWN_RELAYS = "known_relays";

    private final Path dir;

    private Home(Path dir) {
        this.dir = dir;
    }

    /**
     * Resolves the home folder.
     *
     * @param flag the {@code --home} value, or {@code null}
     * @param env the environment
     * @return the home folder (not created yet)
     */
    static Home resolve(Path flag, Map<String, String> env) {
        if (flag != null) {
            return new Home(flag.toAbsolutePath());
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Home(Path.of(fromEnv).toAbsolutePath());
        }
        return new Home(Path.of(System.getProperty("user.home"), ".securecomm"));
    }

    Path dir() {
        return dir;
    }

    /**
     * The folder of the end-to-end store of one nickname (identity, trusted peers, pre-keys, sessions),
     * owner-only; one per nickname so that two clients with different names never share sessions.
     */
    Path e2eStore(String nickname) {
        return dir.resolve("e2e").resolve(Nickname.canonical(nickname));
    }

    Path knownRelays() {
        return dir.resolve(KNOWN_RELAYS);
    }

    /**
     * Loads an X25519 identity key, creating it (and the folder) on first use, owner-only.
     *
     * @param fileName {@link #RELAY_KEY}
     * @param warnings receives one line if the file is readable by others
     * @return the key pair; the caller closes it
     * @throws IOException if the file cannot be read, written or parsed
     */
    NoiseKeyPair loadOrCreateKey(String fileName, Consumer<String> warnings) throws IOException {
        return RelayKeyFile.loadOrCreate(dir.resolve(fileName), warnings);
    }
}
