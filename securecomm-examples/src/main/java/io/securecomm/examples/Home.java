package io.securecomm.examples;

import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The securecomm home folder: the client's and the relay's identity keys and the {@code known_relays}
 * pins. Resolved from the {@code --home} flag, else the {@value #ENV_VAR} environment variable, else
 * {@code ~/.securecomm}. Created on first use; the folder and the key files are readable and writable
 * by their owner only (POSIX permissions {@code rwx------} and {@code rw-------}).
 */
final class Home {
    /** The environment variable that overrides the default home folder. */
    static final String ENV_VAR = "SECURECOMM_HOME";
    /** The client's identity key file. */
    static final String CLIENT_KEY = "identity.key";
    /** The relay's identity key file. */
    static final String RELAY_KEY = "relay.key";
    /** The relay pins. */
    static final String KNOWN_RELAYS = "known_relays";

    private static final HexFormat HEX = HexFormat.of();
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

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
        return dir.resolve("e2e").resolve(nickname.toLowerCase(java.util.Locale.ROOT));
    }

    Path knownRelays() {
        return dir.resolve(KNOWN_RELAYS);
    }

    /**
     * Loads an X25519 identity key, creating it (and the folder) on first use.
     *
     * @param fileName {@link #CLIENT_KEY} or {@link #RELAY_KEY}
     * @param warnings receives one line if the file is readable by others
     * @return the key pair; the caller closes it
     * @throws IOException if the file cannot be read, written or parsed
     */
    NoiseKeyPair loadOrCreateKey(String fileName, java.util.function.Consumer<String> warnings) throws IOException {
        Path file = dir.resolve(fileName);
        if (!Files.exists(file)) {
            createPrivateDirectory();
            byte[] raw = new byte[NoiseDh.X25519.dhLengthBytes()];
            new SecureRandom().nextBytes(raw);
            try {
                createPrivateFile(file);
                Files.writeString(file, "# securecomm X25519 private key: keep it secret\n" + HEX.formatHex(raw) + "\n",
                        StandardCharsets.US_ASCII);
                return NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, raw);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (isPosix(file) && !java.util.Collections.disjoint(Files.getPosixFilePermissions(file), GROUP_OR_OTHER)) {
            warnings.accept("warning: " + file + " is accessible by other users; run: chmod 600 " + file);
        }
        String hex = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                hex = s;
                break;
            }
        }
        byte[] raw = null;
        try {
            if (hex == null) {
                throw new IllegalArgumentException("empty");
            }
            raw = HEX.parseHex(hex);
            if (raw.length != NoiseDh.X25519.dhLengthBytes()) {
                throw new IllegalArgumentException("length");
            }
            return NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, raw);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold a key (expected one line of 64 hex digits);"
                    + " move it away to create a new key");
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    private void createPrivateDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void createPrivateFile(Path file) throws IOException {
        if (isPosix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
            var f = file.toFile();
            f.setReadable(false, false);
            f.setWritable(false, false);
            f.setReadable(true, true);
            f.setWritable(true, true);
        }
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
