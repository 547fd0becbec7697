package io.securecomm.internal.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Set;

/**
 * Files and folders that only their owner may read and write: POSIX {@code rw-------} and {@code rwx------}
 * where the file system has POSIX permissions, and owner-only read and write flags elsewhere. Keys, pins and
 * end-to-end state are written through here, and only here.
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
     * Replaces a file's content atomically (a temporary owner-only file in the same folder, then a rename), so a
     * crash leaves the old content or the new, never a mix.
     *
     * @param target the file to write
     * @param content its new content
     * @throws IOException if it cannot be written
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = isPosix(dir)
                ? Files.createTempFile(dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(FILE))
                : Files.createTempFile(dir, ".tmp-", "");
        try {
            if (!isPosix(dir)) {
                restrictToOwner(tmp);
            }
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
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
