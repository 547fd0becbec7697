package io.securecomm.e2e;

import io.securecomm.internal.files.OwnerOnlyFiles;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.wire.Nickname;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ProtocolStore} in a folder (normally under the client's home folder), so a client that
 * restarts keeps its identity, its trusted peers, its pre-keys and its sessions.
 *
 * <p>Layout: {@code identity.key}; {@code trusted/<hex(peer)>}; {@code prekeys/<id>};
 * {@code signed-prekeys/<id>}; {@code kem-prekeys/<id>} (ML-KEM pre-keys, both kinds); {@code sessions/<hex(peer)>}.
 * Peer names are the hex-encoded UTF-8 of the
 * nickname's canonical form ({@link Nickname#canonical}), so that no name can escape the folder and every
 * spelling of one nickname finds the same entry. On POSIX file systems folders are created {@code rwx------} and files
 * {@code rw-------} (owner only); every write goes to a temporary file that is forced to the disk and then
 * atomically renamed over the old one, and the folder is forced after the rename (and after a deletion), so a
 * crash leaves either the old or the new content, and a power loss after a write returned leaves the new: a
 * session never rolls back to a message key it already used. Files are not encrypted: the
 * protection at rest is the operating system's access control.
 *
 * <p>Thread-safe (every method synchronizes on this store); one process per folder.
 * I/O failures are reported as {@link UncheckedIOException}; a file that does not parse as
 * {@link IllegalStateException} with the path (the folder was damaged or tampered with).
 */
public final class FileProtocolStore implements ProtocolStore {
    private static final int TRUSTED_VERSION = 1;

    private final Path root;
    private final IdentityKeyPair identity;

    private FileProtocolStore(Path root, IdentityKeyPair identity) {
        this.root = root;
        this.identity = identity;
    }

    /**
     * Opens the store in {@code folder}, creating it (owner-only) and a fresh identity if needed.
     *
     * @param folder the folder, e.g. {@code ~/.securecomm/alice}
     * @param random randomness for a new identity
     * @return the store
     * @throws UncheckedIOException if the folder cannot be created or read
     * @throws IllegalStateException if the stored identity is damaged
     */
    public static FileProtocolStore open(Path folder, SecureRandom random) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(random, "random");
        try {
            Path root = folder.toAbsolutePath();
            OwnerOnlyFiles.createDirectories(root);
            for (String sub : List.of("trusted", "prekeys", "signed-prekeys", "kem-prekeys", "sessions")) {
                OwnerOnlyFiles.createDirectories(root.resolve(sub));
            }
            Path idFile = root.resolve("identity.key");
            IdentityKeyPair id;
            if (Files.exists(idFile)) {
                byte[] b = Files.readAllBytes(idFile);
                try {
                    id = IdentityKeyPair.decodeSecret(b);
                } catch (E2eException e) {
                    throw new IllegalStateException("damaged identity file " + idFile + ": " + e.getMessage(), e);
                } finally {
                    Arrays.fill(b, (byte) 0);
                }
            } else {
                id = IdentityKeyPair.generate(random);
                byte[] b = id.encodeSecret();
                try {
                    OwnerOnlyFiles.writeAtomically(idFile, b);
                } finally {
                    Arrays.fill(b, (byte) 0);
                }
            }
            return new FileProtocolStore(root, id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open key store " + folder, e);
        }
    }

    /**
     * Returns the conventional folder for a client's keys under the user's home folder:
     * {@code ~/.securecomm/keys/<hex(UTF-8 name)>}.
     *
     * @param localName the client's name
     * @return the folder (not created)
     * @throws IllegalArgumentException if the name is empty
     */
    public static Path defaultFolder(String localName) {
        return Path.of(System.getProperty("user.home"), ".securecomm", "keys", peerFile(localName));
    }

    /**
     * Returns the store's folder.
     *
     * @return the absolute folder
     */
    public Path folder() {
        return root;
    }

    private static String peerFile(String peer) {
        Objects.requireNonNull(peer, "peer");
        if (peer.isEmpty()) {
            throw new IllegalArgumentException("peer name is empty");
        }
        return HexFormat.of().formatHex(Nickname.canonical(peer).getBytes(StandardCharsets.UTF_8));
    }

    private Optional<byte[]> read(Path p) {
        try {
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private void write(Path p, byte[] content) {
        try {
            OwnerOnlyFiles.writeAtomically(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    private void delete(Path p) {
        try {
            OwnerOnlyFiles.deleteDurably(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    private static IllegalStateException damaged(Path p, Exception e) {
        return new IllegalStateException("damaged key store file " + p + ": " + e.getMessage(), e);
    }

    @Override
    public IdentityKeyPair identityKeyPair() {
        return identity;
    }

    @Override
    public synchronized Optional<TrustedIdentity> loadTrustedIdentity(String peer) {
        Path p = root.resolve("trusted").resolve(peerFile(peer));
        Optional<byte[]> b = read(p);
        if (b.isEmpty()) {
            return Optional.empty();
        }
        try {
            ByteReader r = new ByteReader(b.get(), "trusted identity");
            if (r.u8() != TRUSTED_VERSION) {
                throw new InvalidEncodingException("unknown trusted identity version");
            }
            boolean verified = r.bool();
            IdentityKey key = IdentityKey.read(r);
            IdentityKey changedTo = r.bool() ? IdentityKey.read(r) : null;
            r.end();
            return Optional.of(new TrustedIdentity(key, verified, changedTo));
        } catch (E2eException e) {
            throw damaged(p, e);
        }
    }

    @Override
    public synchronized void saveTrustedIdentity(String peer, TrustedIdentity id) {
        Objects.requireNonNull(id, "id");
        ByteWriter w = new ByteWriter().u8(TRUSTED_VERSION).bool(id.verified()).bytes(id.key().encode())
                .bool(id.changedTo() != null);
        if (id.changedTo() != null) {
            w.bytes(id.changedTo().encode());
        }
        write(root.resolve("trusted").resolve(peerFile(peer)), w.toByteArray());
    }

    @Override
    public synchronized Optional<OneTimePreKeyRecord> loadPreKey(int id) {
        Path p = root.resolve("prekeys").resolve(Integer.toUnsignedString(id));
        Optional<byte[]> b = read(p);
        try {
            return b.isEmpty() ? Optional.empty() : Optional.of(OneTimePreKeyRecord.decodeSecret(b.get()));
        } catch (E2eException e) {
            throw damaged(p, e);
        } finally {
            b.ifPresent(x -> Arrays.fill(x, (byte) 0));
        }
    }

    @Override
    public synchronized void storePreKey(OneTimePreKeyRecord record) {
        byte[] b = record.encodeSecret();
        write(root.resolve("prekeys").resolve(Integer.toUnsignedString(record.id())), b);
        Arrays.fill(b, (byte) 0);
    }

    @Override
    public synchronized void removePreKey(int id) {
        delete(root.resolve("prekeys").resolve(Integer.toUnsignedString(id)));
    }

    @Override
    public synchronized boolean containsPreKey(int id) {
        return Files.exists(root.resolve("prekeys").resolve(Integer.toUnsignedString(id)));
    }

    @Override
    public synchronized Optional<SignedPreKeyRecord> loadSignedPreKey(int id) {
        Path p = root.resolve("signed-prekeys").resolve(Integer.toUnsignedString(id));
        Optional<byte[]> b = read(p);
        try {
            return b.isEmpty() ? Optional.empty() : Optional.of(SignedPreKeyRecord.decodeSecret(b.get()));
        } catch (E2eException e) {
            throw damaged(p, e);
        } finally {
            b.ifPresent(x -> Arrays.fill(x, (byte) 0));
        }
    }

    @Override
    public synchronized void storeSignedPreKey(SignedPreKeyRecord record) {
        byte[] b = record.encodeSecret();
        write(root.resolve("signed-prekeys").resolve(Integer.toUnsignedString(record.id())), b);
        Arrays.fill(b, (byte) 0);
    }

    @Override
    public synchronized void removeSignedPreKey(int id) {
        delete(root.resolve("signed-prekeys").resolve(Integer.toUnsignedString(id)));
    }

    @Override
    public synchronized Optional<KemPreKeyRecord> loadKemPreKey(int id) {
        Path p = root.resolve("kem-prekeys").resolve(Integer.toUnsignedString(id));
        Optional<byte[]> b = read(p);
        try {
            return b.isEmpty() ? Optional.empty() : Optional.of(KemPreKeyRecord.decodeSecret(b.get()));
        } catch (E2eException e) {
            throw damaged(p, e);
        } finally {
            b.ifPresent(x -> Arrays.fill(x, (byte) 0));
        }
    }

    @Override
    public synchronized void storeKemPreKey(KemPreKeyRecord record) {
        byte[] b = record.encodeSecret();
        write(root.resolve("kem-prekeys").resolve(Integer.toUnsignedString(record.id())), b);
        Arrays.fill(b, (byte) 0);
    }

    @Override
    public synchronized void removeKemPreKey(int id) {
        delete(root.resolve("kem-prekeys").resolve(Integer.toUnsignedString(id)));
    }

    @Override
    public synchronized boolean containsKemPreKey(int id) {
        return Files.exists(root.resolve("kem-prekeys").resolve(Integer.toUnsignedString(id)));
    }

    @Override
    public synchronized List<Integer> kemPreKeyIds() {
        return ids("kem-prekeys");
    }

    @Override
    public synchronized List<Integer> preKeyIds() {
        return ids("prekeys");
    }

    @Override
    public synchronized List<Integer> signedPreKeyIds() {
        return ids("signed-prekeys");
    }

    private List<Integer> ids(String folder) {
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(folder))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    ids.add(Integer.parseUnsignedInt(n));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("unexpected file in " + root.resolve(folder), e);
        }
        return ids;
    }

    @Override
    public synchronized Optional<byte[]> loadSession(String peer) {
        return read(root.resolve("sessions").resolve(peerFile(peer)));
    }

    @Override
    public synchronized void storeSession(String peer, byte[] session) {
        write(root.resolve("sessions").resolve(peerFile(peer)), session);
    }

    @Override
    public synchronized void deleteSession(String peer) {
        delete(root.resolve("sessions").resolve(peerFile(peer)));
    }

    /**
     * Describes the store without any key material.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "FileProtocolStore[" + root + ", identity=" + identity.publicKey().fingerprint() + "]";
    }
}
