package io.securecomm.client;

import io.securecomm.internal.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Pins relay keys in a {@code known_relays} file; see {@link RelayTrustStore#knownRelaysFile(Path)}.
 *
 * <pre>
 * # comment
 * 127.0.0.1:8080 3f1c...e9 (64 hex digits: the relay's X25519 static public key)
 * </pre>
 *
 * <p>Thread-safe within one process (methods are synchronized); the file is re-read on every check so
 * an edit by the user takes effect on the next connection.
 */
final class KnownRelaysFile implements RelayTrustStore {
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;

    KnownRelaysFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized RelayKeyDecision verify(String relay, byte[] relayPublicKey)
            throws RelayIdentityMismatchException {
        Objects.requireNonNull(relay, "relay");
        if (relay.isBlank() || relay.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("relay address must be non-empty and contain no spaces");
        }
        byte[] key = relayPublicKey.clone();
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] fields = line.split("\\s+");
                    if (!fields[0].equals(relay)) {
                        continue;
                    }
                    byte[] pinned = parseKey(fields, i + 1);
                    if (MessageDigest.isEqual(pinned, key)) {
                        return RelayKeyDecision.MATCHES_PIN;
                    }
                    throw new RelayIdentityMismatchException(relay, pinned, key, file + " line " + (i + 1));
                }
            }
            append(relay + " " + HEX.formatHex(key) + System.lineSeparator());
            return RelayKeyDecision.PINNED_ON_FIRST_USE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the known relays file " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] parseKey(String[] fields, int lineNumber) throws IOException {
        try {
            if (fields.length < 2) {
                throw new IllegalArgumentException("no key");
            }
            return HEX.parseHex(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new IOException("line " + lineNumber + " is not 'host:port hex-key'; fix or delete it");
        }
    }

    private void append(String line) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
            OwnerOnlyFiles.createDirectories(parent);
        }
        if (!Files.exists(file)) {
            try {
                OwnerOnlyFiles.createFile(file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: append to theirs
            }
        }
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
