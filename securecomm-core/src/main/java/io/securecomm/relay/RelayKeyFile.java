package io.securecomm.relay;

import io.securecomm.internal.files.OwnerOnlyFiles;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The relay's long-term identity key in a file, so that a relay keeps its key (and its clients' pins stay
 * valid) across restarts. The file holds one line of 64 hex digits, the X25519 private key, after a comment
 * line; it is created on first use, readable and writable by its owner only, with its folder.
 *
 * <pre>{@code
 * try (NoiseKeyPair key = RelayKeyFile.loadOrCreate(Path.of("/var/lib/securecomm/relay.key"), System.err::println)) {
 *     RelayServer relay = RelayServer.create(RelayOptions.builder().identity(key).build()).start();
 * }
 * }</pre>
 */
public final class RelayKeyFile {
    private static final HexFormat HEX = HexFormat.of();

    private RelayKeyFile() {}

    /**
     * Loads the key, or creates the file (and its folder) with a fresh key if it does not exist.
     *
     * @param file the key file
     * @param warnings receives one line if an existing file is accessible by other users
     * @return the key pair; the caller closes it (which wipes the private key)
     * @throws IOException if the file cannot be read, created or parsed (the message says what to do)
     */
    public static NoiseKeyPair loadOrCreate(Path file, Consumer<String> warnings) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(warnings, "warnings");
        if (!Files.exists(file)) {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                OwnerOnlyFiles.createDirectories(dir);
            }
            byte[] raw = new byte[NoiseDh.X25519.dhLengthBytes()];
            new SecureRandom().nextBytes(raw);
            try {
                OwnerOnlyFiles.createFile(file);
                Files.writeString(file, "# securecomm X25519 private key: keep it secret\n" + HEX.formatHex(raw)
                        + "\n", StandardCharsets.US_ASCII);
                return NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, raw);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (OwnerOnlyFiles.isAccessibleByOthers(file)) {
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
}
