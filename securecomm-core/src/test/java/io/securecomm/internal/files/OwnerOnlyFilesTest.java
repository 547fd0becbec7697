package io.securecomm.internal.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable writes: the content is forced to the disk before the rename, and the folder after it. The test opens
 * files through a recording {@link FileChannel} and notes, at each {@code force}, what the target holds then.
 */
class OwnerOnlyFilesTest {
    @TempDir
    Path dir;

    /** One call of {@code force}: on which path, and whether the target held the new content at that moment. */
    private record Force(Path path, boolean targetHadNewContent) {}

    @Test
    void theFileIsForcedBeforeTheRenameAndTheFolderAfter() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "folders are forced on POSIX file systems only");
        Path target = dir.resolve("session");
        Files.write(target, bytes("old state"));
        byte[] fresh = bytes("new state");
        List<Force> forces = new ArrayList<>();
        OwnerOnlyFiles.writeAtomically(target, fresh, (path, options) -> new Recording(FileChannel.open(path, options),
                () -> forces.add(new Force(path, Arrays.equals(fresh, Files.readAllBytes(target))))));

        assertEquals(2, forces.size(), forces.toString());
        Force file = forces.get(0);
        assertEquals(dir, file.path().getParent());
        assertTrue(file.path().getFileName().toString().startsWith(".tmp-"), "the temporary file: " + file);
        assertFalse(file.targetHadNewContent(), "forced before the rename");
        Force folder = forces.get(1);
        assertEquals(dir.toAbsolutePath(), folder.path());
        assertTrue(folder.targetHadNewContent(), "the folder is forced after the rename");
        assertArrayEquals(fresh, Files.readAllBytes(target));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList(), "no temporary file is left");
        }
    }

    @Test
    void aDeletionForcesTheFolder() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "folders are forced on POSIX file systems only");
        Path used = dir.resolve("prekey-7");
        Files.write(used, bytes("one-time pre-key"));
        List<Path> forced = new ArrayList<>();
        assertTrue(OwnerOnlyFiles.deleteDurably(used, (path, options) -> new Recording(FileChannel.open(path, options),
                () -> forced.add(path))));
        assertFalse(Files.exists(used));
        assertEquals(List.of(dir.toAbsolutePath()), forced);
        assertFalse(OwnerOnlyFiles.deleteDurably(used, (path, options) -> {
            throw new AssertionError("nothing to delete, nothing to force");
        }));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs a hook on every {@code force}, then forces the real channel. */
    private static final class Recording extends FileChannel {
        /** What {@link #force} runs first; it may throw an IOException. */
        interface Hook {
            void run() throws IOException;
        }

        private final FileChannel real;
        private final Hook onForce;

        Recording(FileChannel real, Hook onForce) {
            this.real = real;
            this.onForce = onForce;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            onForce.run();
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
