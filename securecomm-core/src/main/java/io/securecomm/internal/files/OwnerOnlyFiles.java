package io.securecomm.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Set;

/**
 * Files and folders that only their owner may read and write: POSIX {@code rw-------} and {@code rwx------}
 * where the file system has POSIX permissions, and owner-only read and write flags elsewhere. Keys, pins and
 * end-to-end state are written through here, and only here.
 *
 * <p>Writes are durable: a file's content is forced to the disk before it is renamed into place, and the folder
 * after, so that once {@link #writeAtomically} returns, a power loss leaves the new content. End-to-end session
 * state depends on it: a ratchet rolled back to a message key that already encrypted a message that left would
 * encrypt again under the same key and nonce.
 */
public final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {}

    /**
     * Creates a folder and its missing parents, owner-only; an existing folder is made owner-only too.
     *
     * @param dir the folder
     * @throws IOException if it cannot be created or its permissions cannot be set
     */
    public static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (isPosix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (isPosix(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /**
     * Creates a new, empty, owner-only file; its folder must exist.
     *
     * @param file the file
     * @throws java.nio.file.FileAlreadyExistsException if it exists
     * @throws IOException if it cannot be created
     */
    public static void createFile(Path file) throws IOException {
        if (isPosix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
            Files.createFile(file);
            restrictToOwner(file);
        }
    }

    /**
     * Replaces a file's content atomically and durably: a temporary owner-only file in the same folder, forced to
     * the disk (fsync), renamed over the target, then the folder forced too, so that the rename is on the disk
     * when this returns. A crash leaves the old content or the new, never a mix, and a power loss after the
     * return leaves the new.
     *
     * @param target the file to write
     * @param content its new content
     * @throws IOException if it cannot be written or forced to the disk
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        writeAtomically(target, content, FileChannel::open);
    }

    /** Opens file channels; the tests pass one that records when {@code force} is called. */
    interface ChannelOpener {
        /**
         * Opens a channel, as {@link FileChannel#open(Path, OpenOption...)} does.
         *
         * @param path the file or folder
         * @param options how to open it
         * @return the channel
         * @throws IOException if it cannot be opened
         */
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    static void writeAtomically(Path target, byte[] content, ChannelOpener files) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = isPosix(dir)
                ? Files.createTempFile(dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(FILE))
                : Files.createTempFile(dir, ".tmp-", "");
        try {
            if (!isPosix(dir)) {
                restrictToOwner(tmp);
            }
            try (FileChannel ch = files.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                // The content is on the disk before any name points to it.
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir, files);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes a file if it exists, durably: the folder is forced to the disk after, so a power loss cannot bring
     * back, say, a one-time pre-key already used.
     *
     * @param file the file
     * @return whether it existed
     * @throws IOException if it cannot be deleted or the folder not forced
     */
    public static boolean deleteDurably(Path file) throws IOException {
        return deleteDurably(file, FileChannel::open);
    }

    static boolean deleteDurably(Path file, ChannelOpener files) throws IOException {
        boolean existed = Files.deleteIfExists(file);
        if (existed) {
            syncDirectory(file.toAbsolutePath().getParent(), files);
        }
        return existed;
    }

    /**
     * Forces a folder's entries (a rename, a deletion) to the disk. POSIX systems fsync a folder opened for
     * reading; Windows cannot open one as a channel, and its file systems journal the rename themselves.
     */
    private static void syncDirectory(Path dir, ChannelOpener files) throws IOException {
        if (!isPosix(dir)) {
            return;
        }
        try (FileChannel ch = files.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Tells whether users other than the owner may use a file, where the file system can say.
     *
     * @param file an existing file
     * @return {@code true} if its POSIX permissions grant anything to the group or others
     * @throws IOException if its permissions cannot be read
     */
    public static boolean isAccessibleByOthers(Path file) throws IOException {
        return isPosix(file) && !Collections.disjoint(Files.getPosixFilePermissions(file), GROUP_OR_OTHERS);
    }

    private static void restrictToOwner(Path file) {
        var f = file.toFile();
        f.setReadable(false, false);
        f.setWritable(false, false);
        f.setReadable(true, true);
        f.setWritable(true, true);
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
